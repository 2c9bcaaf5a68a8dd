// The AsyncAPI document of every topic and event, built from the topic registry and the event definitions: what
// docs/asyncapi.json holds (`npm run docs:asyncapi` writes it; a test fails when it is stale).
import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { EVENT_DEFINITIONS } from './event-registry';
import { allTopics, deadLetterTopicOf, Topics } from './topics';

type JsonSchema = Record<string, unknown>;

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** Which services read which topics (the owner, named by the topic's first segment, writes it). */
const CONSUMERS: Record<string, string[]> = {
  [Topics.patients.name]: ['scheduling', 'billing', 'notification'],
  [Topics.clearances.name]: ['scheduling'],
  [Topics.invoices.name]: ['scheduling'],
  [Topics.deliveries.name]: ['scheduling'],
  [Topics.tenants.name]: ['participant', 'billing', 'notification'],
  [Topics.directory.name]: ['billing', 'notification'],
  [Topics.sessions.name]: ['billing', 'notification'],
  [Topics.participants.name]: ['billing', 'notification'],
};

export function buildAsyncApiDocument() {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const topic of allTopics()) {
    const events = EVENT_DEFINITIONS.filter(
      (d) => d.topic.name === topic.name || deadLetterTopicOf(d.topic.name) === topic.name,
    );
    const deadLetter = topic.name.endsWith('.dlq');
    channels[topic.name] = {
      address: topic.name,
      description: deadLetter
        ? `Messages of ${topic.name.replace(/\.dlq$/, '')} a consumer could not apply, unchanged, with the reason in the dlq-reason header (and dlq-original-topic, -partition, -offset, dlq-consumer-group, dlq-failed-at).`
        : `Keyed by ${topic.keyedBy} (per-${topic.keyedBy.replace(/ id$| code$/, '')} order), ${topic.partitions} partitions. Read by: ${(CONSUMERS[topic.name] ?? []).join(', ') || 'no service yet'}.`,
      messages: Object.fromEntries(events.map((d) => [d.type, { $ref: `#/components/messages/${d.type}` }])),
    };
    if (deadLetter) continue;
    operations[`publish.${topic.name}`] = {
      action: 'send',
      summary: `${topic.name.split('.')[0]} publishes through its outbox (acks=all)`,
      channel: { $ref: `#/channels/${topic.name}` },
      messages: events.map((d) => ({ $ref: `#/channels/${topic.name}/messages/${d.type}` })),
    };
  }
  for (const definition of EVENT_DEFINITIONS) {
    messages[definition.type] = {
      name: definition.type,
      title: `${definition.type} v${definition.version}`,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: { 'event-type': { const: definition.type }, 'correlation-id': { type: 'string' } },
      },
      payload: {
        allOf: [
          { $ref: '#/components/schemas/Envelope' },
          {
            type: 'object',
            properties: {
              type: { const: definition.type },
              version: { const: definition.version },
              data: jsonSchemaOf(definition.schema),
            },
          },
        ],
      },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Agdar clinic scheduling events',
      version: '1',
      description:
        'Every topic and event of the platform. Topics are {service}.{stream}.v{major}; a breaking change is a new major topic. ' +
        'Every message is an envelope whose data is checked against its schema on produce and on consume.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { schemas: { Envelope: jsonSchemaOf(envelopeSchema) }, messages },
  };
}
