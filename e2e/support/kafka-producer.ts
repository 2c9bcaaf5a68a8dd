// Publishes a contract event as another service would: for events a test forges on purpose (one tenant's event naming
// another tenant's records).
import { Kafka, Partitioners } from 'kafkajs';
import { EventDefinition, EventMeta } from '@agdar/contracts';
import { buildEnvelope } from '@agdar/messaging';
import { testEnv } from '@agdar/testing';
import { z } from 'zod';

export async function publishEvent<S extends z.ZodType>(
  definition: EventDefinition<S>,
  data: z.infer<S>,
  meta: EventMeta,
): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-producer', brokers: testEnv().kafkaBrokers, logLevel: 0 });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const envelope = buildEnvelope(definition, data, meta);
  await producer.send({
    topic: definition.topic.name,
    acks: -1,
    messages: [{ key: definition.keyOf(envelope.data), value: JSON.stringify(envelope) }],
  });
  await producer.disconnect();
}
