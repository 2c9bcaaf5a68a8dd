// Whether a failure says the database is away (restarting, unreachable, refusing connections for now) rather than
// anything about the request or message at hand. Such failures are retried, never dead-lettered, and answered 503.

interface ErrorLike {
  name?: string;
  code?: string;
  sqlState?: string;
  message?: string;
}

// SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown / cannot connect now.
const UNAVAILABLE_STATES = /^(08...|53...|57P0[123])$/;
const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|Connection ended|timeout acquiring a connection|Client has encountered a connection error/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const e = (error ?? {}) as ErrorLike;
  const state = e.sqlState ?? e.code;
  if (typeof state === 'string' && UNAVAILABLE_STATES.test(state)) return true;
  return e.name === 'ConnectionException' || UNAVAILABLE_MESSAGES.test(String(e.message ?? ''));
}
