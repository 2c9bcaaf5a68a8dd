// Whether a failure says the database is away (restarting, unreachable, refusing connections for now) rather than
// anything about the request or message at hand. Such failures are retried, never dead-lettered, and answered 503.
// And whether a failure may pass on its own (a deadlock, a serialisation failure, a lock or statement timeout): worth
// a few more tries. Anything else is deterministic: the same message fails the same way every time.

interface ErrorLike {
  name?: string;
  code?: string;
  sqlState?: string;
  message?: string;
}

// SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown / cannot connect now.
const UNAVAILABLE_STATES = /^(08...|53...|57P0[123])$/;
// "Transaction query already complete": knex's word for a transaction whose connection broke under it.
const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|Connection ended|timeout acquiring a connection|Client has encountered a connection error|Transaction query already complete/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const e = (error ?? {}) as ErrorLike;
  const state = e.sqlState ?? e.code;
  if (typeof state === 'string' && UNAVAILABLE_STATES.test(state)) return true;
  return e.name === 'ConnectionException' || UNAVAILABLE_MESSAGES.test(String(e.message ?? ''));
}

// SQLSTATE 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 57014 statement timeout or cancel.
const PASSING_STATES = /^(40001|40P01|55P03|57014)$/;

export function isPassingFailure(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const e = (error ?? {}) as ErrorLike;
  const state = e.sqlState ?? e.code;
  return typeof state === 'string' && PASSING_STATES.test(state);
}

interface DriverErrorLike extends ErrorLike {
  severity?: string;
  constraint?: string;
  table?: string;
  stack?: string;
}

/** A failure the database reported: PostgreSQL's own errors carry a severity; MikroORM's wrappers a SQLSTATE. */
function isDriverError(e: DriverErrorLike): boolean {
  return typeof e.sqlState === 'string' || (typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(e.code ?? ''));
}

/**
 * A failure as logs and dead-letter headers may carry it. The database's text is not for them: knex writes the
 * statement with its values into the message, and PostgreSQL's detail names the clashing row (a patient's email,
 * their name). Of a database error only its kind, SQLSTATE, constraint and table are kept; of any other, its first
 * line.
 */
export function errorSummary(error: unknown): string {
  const e = (error ?? {}) as DriverErrorLike;
  if (isDriverError(e)) {
    const where = [e.constraint && `constraint ${e.constraint}`, e.table && `table ${e.table}`].filter(Boolean);
    return `${e.name ?? 'DatabaseError'} (SQLSTATE ${e.sqlState ?? e.code}${where.length ? `, ${where.join(', ')}` : ''})`;
  }
  return String(e.message ?? error)
    .split('\n')[0]
    .slice(0, 2000);
}

/** The stack frames of a failure under its summary: where it happened, without what the database said. */
export function errorTrace(error: unknown): string | undefined {
  const stack = (error as DriverErrorLike | undefined)?.stack;
  if (!stack) return undefined;
  const frames = stack.split('\n').filter((line) => line.trim().startsWith('at '));
  return [errorSummary(error), ...frames].join('\n');
}
