// Exactly-once POSTs at the root: the service that makes the change records the caller's Idempotency-Key, with the
// request's fingerprint and the answer, in the same database transaction as the change (through the write path). A
// retry after anything (a lost answer, a timeout, a SIGKILL between commit and reply) finds the committed answer and
// gets it again; a retry while the first is still running waits for it on the key's row and then gets its answer; a
// first attempt that rolled back leaves no key, so the retry carries the request out. The same key with another
// request is 422.
import { createHash } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { Observable, catchError, of, throwError } from 'rxjs';
import { AuthUser } from './auth';
import { endpointOf } from './endpoint';
import { DomainError } from './problems';

export const IDEMPOTENCY_KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

/** DDL for the table of keys every service with POST endpoints keeps; its migrations create it. */
export const idempotencyTableSql = [
  `create table idempotency_keys (
     tenant text not null,
     subject text not null,
     key text not null,
     fingerprint text not null,
     status integer,
     answer jsonb,
     created_at timestamptz not null default now(),
     primary key (tenant, subject, key)
   )`,
  `create index idempotency_keys_created_at on idempotency_keys (created_at)`,
];

/** How long a key is kept: a retry later than this is a new request. */
const KEEP_HOURS = 24;

interface IdempotentRequest {
  tenant: string;
  subject: string;
  key: string;
  fingerprint: string;
  status: number;
}

const current = new AsyncLocalStorage<IdempotentRequest>();

/** The stored answer of a request carried out before: the interceptor sends it instead of the handler's. */
export class ReplayedAnswer extends Error {
  constructor(
    readonly status: number,
    readonly answer: unknown,
  ) {
    super('replayed');
  }
}

/**
 * Makes the key of this POST the write path's business: inside the handler, WritePath claims the key in its
 * transaction and stores the answer with the change. Validates the key's form; other methods pass through.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const key = req.headers['idempotency-key'];
    const endpoint = endpointOf(context.getHandler());
    if (req.method !== 'POST' || key === undefined || !endpoint || !req.user) return next.handle();
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_FORMAT.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1-200 printable characters.', [
        { field: 'Idempotency-Key', message: 'must be 1-200 printable characters' },
      ]);
    }
    const request: IdempotentRequest = {
      tenant: req.user.tenant,
      subject: req.user.sub,
      key,
      fingerprint: createHash('sha256')
        .update(`${req.method} ${req.path} ${JSON.stringify(req.body ?? null)}`)
        .digest('hex'),
      status: endpoint.status ?? 200,
    };
    const res = context.switchToHttp().getResponse<Response>();
    return new Observable((subscriber) =>
      current.run(request, () =>
        next
          .handle()
          .pipe(
            catchError((error: unknown) => {
              if (!(error instanceof ReplayedAnswer)) return throwError(() => error);
              res.status(error.status).setHeader('idempotent-replayed', 'true');
              return of(error.answer);
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}

/**
 * Claims the key of the request being served, first thing in the use case's transaction. A key committed before
 * answers with its stored answer (ReplayedAnswer); a key another transaction holds makes this one wait for it.
 * Returns a function that records the answer in the same transaction, or null when the request has no key.
 */
export async function claimIdempotencyKey(em: EntityManager): Promise<((answer: unknown) => Promise<void>) | null> {
  const request = current.getStore();
  if (!request) return null;
  const pk = [request.tenant, request.subject, request.key];
  const claimed = await em.execute<{ key: string }[]>(
    `insert into idempotency_keys (tenant, subject, key, fingerprint) values (?, ?, ?, ?)
     on conflict do nothing returning key`,
    [...pk, request.fingerprint],
  );
  if (!claimed.length) {
    const [stored] = await em.execute<
      { fingerprint: string; status: number | null; answer: unknown; fresh: boolean }[]
    >(
      `select fingerprint, status, answer, created_at > now() - interval '${KEEP_HOURS} hours' as fresh
       from idempotency_keys where tenant = ? and subject = ? and key = ?`,
      pk,
    );
    if (stored && !stored.fresh) {
      await em.execute(
        `update idempotency_keys set fingerprint = ?, status = null, answer = null, created_at = now()
                        where tenant = ? and subject = ? and key = ?`,
        [request.fingerprint, ...pk],
      );
    } else if (stored?.fingerprint !== request.fingerprint) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
    } else {
      throw new ReplayedAnswer(stored.status ?? request.status, stored.answer);
    }
  }
  return async (answer) => {
    await em.execute(
      `update idempotency_keys set status = ?, answer = ?::jsonb where tenant = ? and subject = ? and key = ?`,
      [request.status, JSON.stringify(answer), ...pk],
    );
  };
}
