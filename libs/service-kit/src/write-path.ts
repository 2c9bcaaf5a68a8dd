// The one way a use case changes data: in one database transaction together with the events it publishes (outbox)
// and, where the service keeps one, its audit trail; after the commit the relay is nudged to publish at once.
// Nothing reaches Kafka or the audit trail unless the change commits, and nothing commits without them.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Envelope, EventDefinition, EventMeta } from '@agdar/contracts';
import { addToOutbox, OutboxRelay } from '@agdar/messaging';
import { AuthUser, metaOf } from './auth';
import { claimIdempotencyKey } from './idempotency';

/** What a use case writes with: the transaction's entity manager, and the change's events and audit rows. */
export interface UseCaseContext {
  em: EntityManager;
  /** Who and what caused the change: carried into every event it publishes and every audit row it records. */
  meta: EventMeta;
  publish<S extends z.ZodType>(definition: EventDefinition<S>, data: z.infer<S>): Promise<Envelope<z.infer<S>>>;
}

/** Deadlock detected, serialization failure: the transaction was rolled back whole and can simply run again. */
const RETRIED_STATES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

@Injectable()
export class WritePath {
  constructor(
    private readonly orm: MikroORM,
    private readonly relay: OutboxRelay,
  ) {}

  /** Runs a use case for a caller of the API. */
  run<T>(user: AuthUser, useCase: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
    return this.runAs(metaOf(user), useCase);
  }

  /**
   * Runs a use case on behalf of `meta`: a caller, or an event being handled. For a POST with an Idempotency-Key the
   * key is claimed first and the use case's result is stored as the answer, all in this one transaction, so the use
   * case of such a request returns the body it answers with. A transaction PostgreSQL ended as a deadlock or a
   * serialization failure (two bookings of one patient racing through an exclusion constraint) rolled back entirely
   * and is run again, so the caller gets the answer of the rule (PATIENT_CONFLICT), not a retry-later.
   */
  async runAs<T>(meta: EventMeta, useCase: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.orm.em.fork().transactional(async (em) => {
          const recordAnswer = await claimIdempotencyKey(em);
          const answer = await useCase(contextOf(em, meta));
          await recordAnswer?.(answer);
          return answer;
        });
        this.relay.nudge();
        return result;
      } catch (error) {
        const { sqlState, code } = error as { sqlState?: string; code?: string };
        if (attempt >= MAX_ATTEMPTS || !RETRIED_STATES.has(sqlState ?? code ?? '')) throw error;
      }
    }
  }
}

/**
 * The context of a use case inside a transaction someone else opened: a Kafka handler runs inside the consumer's
 * transaction (with the processed-message row), and the relay picks its events up at its next poll.
 */
export function contextOf(em: EntityManager, meta: EventMeta): UseCaseContext {
  return { em, meta, publish: (definition, data) => addToOutbox(em, definition, data, meta) };
}
