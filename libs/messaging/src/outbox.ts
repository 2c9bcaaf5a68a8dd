// Writing an event = inserting an outbox row in the caller's transaction. Nothing reaches Kafka unless the change
// commits. The row is inserted at once with plain SQL rather than through the unit of work: outbox rows are append-only
// and written by every change, and MikroORM's flush cost ten times the insert itself (`npm run bench:orm`).
import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/core';
import { Envelope, EventDefinition, EventMeta, parseEventData } from '@agdar/contracts';
import { z } from 'zod';

export function buildEnvelope<S extends z.ZodType>(
  definition: EventDefinition<S>,
  data: z.infer<S>,
  meta: EventMeta,
): Envelope<z.infer<S>> {
  return {
    id: randomUUID(),
    type: definition.type,
    version: definition.version,
    tenant: meta.tenant,
    occurredAt: new Date().toISOString(),
    correlationId: meta.correlationId,
    causationId: meta.causationId ?? null,
    actor: meta.actor,
    data: parseEventData(definition, data),
  };
}

/** Writes the event into the outbox within `em`'s transaction, which must be the transaction of the change. */
export async function addToOutbox<S extends z.ZodType>(
  em: EntityManager,
  definition: EventDefinition<S>,
  data: z.infer<S>,
  meta: EventMeta,
): Promise<Envelope<z.infer<S>>> {
  if (!em.isInTransaction())
    throw new Error(`${definition.type} must be written in the transaction of the change it reports`);
  const envelope = buildEnvelope(definition, data, meta);
  await em
    .getConnection()
    .execute(
      'insert into outbox_messages (id, topic, message_key, envelope, created_at) values (?, ?, ?, ?::jsonb, now())',
      [envelope.id, definition.topic.name, definition.keyOf(envelope.data), JSON.stringify(envelope)],
      'run',
      em.getTransactionContext(),
    );
  return envelope;
}
