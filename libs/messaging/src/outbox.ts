// Writing an event = adding an outbox row in the caller's transaction. Nothing reaches Kafka unless the change commits.
import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/core';
import { Envelope, EventDefinition, EventMeta, parseEventData } from '@agdar/contracts';
import { z } from 'zod';
import { OutboxMessage } from './messaging.entities';

export function buildEnvelope<S extends z.ZodType>(definition: EventDefinition<S>, data: z.infer<S>, meta: EventMeta): Envelope<z.infer<S>> {
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

/** Adds the event to the unit of work of `em`; it is written when that transaction flushes and commits. */
export function addToOutbox<S extends z.ZodType>(em: EntityManager, definition: EventDefinition<S>, data: z.infer<S>, meta: EventMeta): Envelope<z.infer<S>> {
  const envelope = buildEnvelope(definition, data, meta);
  const message = em.create(OutboxMessage, {
    id: envelope.id,
    topic: definition.topic.name,
    key: definition.keyOf(envelope.data),
    envelope,
    createdAt: new Date(),
    publishedAt: null,
  });
  em.persist(message);
  return envelope;
}
