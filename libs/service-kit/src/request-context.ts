// Per-request context (correlation id, caller) carried through async calls, so logs and events can name them.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A caller's correlation id is kept when it is well-formed; anything else gets a fresh one. */
export function correlationIdFrom(header: unknown): string {
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
}
