// The one way a use case changes data: in one database transaction together with the events it publishes (outbox)
// and, where the service keeps one, its audit trail; after the commit the relay is nudged to publish at once.
// Nothing reaches Kafka or the audit trail unless the change commits, and nothing commits without them.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Envelope, EventDefinition, EventMeta } from '@agdar/contracts';
import { addToOutbox, OutboxRelay } from '@agdar/messaging';
import { AuthUser, metaOf } from './auth';

/** What a use case writes with: the transaction's entity manager, and the change's events and audit rows. */
export interface UseCaseContext {
  em: EntityManager;
  /** Who and what caused the change: carried into every event it publishes and every audit row it records. */
  meta: EventMeta;
  publish<S extends z.ZodType>(definition: EventDefinition<S>, data: z.infer<S>): Promise<Envelope<z.infer<S>>>;
}

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

  /** Runs a use case on behalf of `meta`: a caller, or an event being handled. */
  async runAs<T>(meta: EventMeta, useCase: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
    const result = await this.orm.em.fork().transactional((em) => useCase(contextOf(em, meta)));
    this.relay.nudge();
    return result;
  }
}

/**
 * The context of a use case inside a transaction someone else opened: a Kafka handler runs inside the consumer's
 * transaction (with the processed-message row), and the relay picks its events up at its next poll.
 */
export function contextOf(em: EntityManager, meta: EventMeta): UseCaseContext {
  return { em, meta, publish: (definition, data) => addToOutbox(em, definition, data, meta) };
}
