// Publishes contract events as another service would: for events whose producer is not built yet (notification's
// ConfirmationSent), and for events a test forges on purpose (one tenant's event naming another tenant's records).
import { Kafka, Partitioners } from 'kafkajs';
import { EventDefinition, EventMeta } from '@agdar/contracts';
import { buildEnvelope } from '@agdar/messaging';
import { testEnv } from '@agdar/testing';
import { z } from 'zod';

/** Publishes each event in turn as `meta` says, and answers their envelope ids. */
export async function publishEvents(
  meta: EventMeta,
  events: { definition: EventDefinition<z.ZodType>; data: unknown }[],
): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'test-producer', brokers: testEnv().kafkaBrokers, logLevel: 0 });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const ids: string[] = [];
  try {
    for (const { definition, data } of events) {
      const envelope = buildEnvelope(definition, data as never, meta);
      await producer.send({
        topic: definition.topic.name,
        acks: -1,
        messages: [{ key: definition.keyOf(envelope.data), value: JSON.stringify(envelope) }],
      });
      ids.push(envelope.id);
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
}

/** One event, typed by its definition. */
export const eventOf = <S extends z.ZodType>(definition: EventDefinition<S>, data: z.infer<S>) => ({
  definition: definition as unknown as EventDefinition<z.ZodType>,
  data,
});
