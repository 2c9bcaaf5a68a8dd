// The Idempotency-Key of a form's create, kept across its retries. Pure: no fetch, no React.

/** One create as a form sent it: what it asked, and the Idempotency-Key it asked with. */
export interface Attempt {
  fingerprint: string;
  key: string;
}

/**
 * The attempt a create goes out as. A form whose last attempt's outcome is unknown (no answer, or a 5xx) and that asks
 * the same again sends the same key, so the gateway replays what it did instead of recording the payment or the
 * patient twice; a changed form, or one whose last attempt was answered, gets a new key.
 */
export function attemptOf(last: Attempt | null, fingerprint: string, newKey: () => string): Attempt {
  return last && last.fingerprint === fingerprint ? last : { fingerprint, key: newKey() };
}

/** Whether the outcome of an attempt that failed this way is unknown (an ApiProblem: NETWORK, or a 5xx). */
export function outcomeUnknown(error: unknown): boolean {
  const problem = error as { code?: string; status?: number } | null;
  return !!problem && (problem.code === 'NETWORK' || (problem.status ?? 0) >= 500);
}
