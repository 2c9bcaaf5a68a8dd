// Idempotency-Key on POST: the first response (anything but a 5xx) is kept for a day and returned to every retry
// with the same key; the same key with a different request is refused with 422. While the first request is still in
// flight a retry gets 409 rather than a second execution. A 5xx answer frees the key for a retry (the service did
// nothing); a request the service may have carried out without answering (it timed out) keeps the key, so a retry
// cannot do it twice: it gets 409 IDEMPOTENCY_OUTCOME_UNKNOWN and the caller checks before using a new key.
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { AuthUser, DomainError } from '@agdar/service-kit';

export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse;
  outcomeUnknown?: boolean;
}

const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;
const PENDING_TTL_SECONDS = 60;

export type IdempotencyClaim =
  | { replay: StoredResponse }
  | {
      complete: (response: StoredResponse) => Promise<void>;
      /** The service never got the request (or answered 5xx): the key is free again. */
      release: () => Promise<void>;
      /** The service may have carried it out without answering: the key stays taken. */
      markOutcomeUnknown: () => Promise<void>;
    };

export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async claim(
    user: AuthUser,
    key: string,
    request: { method: string; path: string; body: unknown },
  ): Promise<IdempotencyClaim> {
    if (!KEY_FORMAT.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1-200 printable characters.', [
        { field: 'Idempotency-Key', message: 'must be 1-200 printable characters' },
      ]);
    }
    const redisKey = `idempotency:${user.tenant}:${user.sub}:${key}`;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.path} ${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const claimed = await this.redis.set(
      redisKey,
      JSON.stringify({ fingerprint } satisfies Entry),
      'EX',
      PENDING_TTL_SECONDS,
      'NX',
    );
    if (claimed !== 'OK') {
      const existing = JSON.parse((await this.redis.get(redisKey)) ?? 'null') as Entry | null;
      if (!existing) return this.claim(user, key, request);
      if (existing.fingerprint !== fingerprint) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for a different request; use a new key for a new request.',
        );
      }
      if (existing.outcomeUnknown) {
        throw new DomainError(
          'IDEMPOTENCY_OUTCOME_UNKNOWN',
          'The first request with this Idempotency-Key may have been carried out, but the service did not answer in time; check (for example with a GET) before sending it again with a new key.',
        );
      }
      if (!existing.response) {
        throw new DomainError(
          'IDEMPOTENCY_IN_PROGRESS',
          'A request with this Idempotency-Key is still being processed; retry in a moment.',
        );
      }
      return { replay: existing.response };
    }
    const release = async () => void (await this.redis.del(redisKey));
    return {
      complete: async (response) => {
        if (response.status >= 500) await release();
        else
          await this.redis.set(
            redisKey,
            JSON.stringify({ fingerprint, response } satisfies Entry),
            'EX',
            this.ttlSeconds,
          );
      },
      release,
      markOutcomeUnknown: async () =>
        void (await this.redis.set(
          redisKey,
          JSON.stringify({ fingerprint, outcomeUnknown: true } satisfies Entry),
          'EX',
          this.ttlSeconds,
        )),
    };
  }
}
