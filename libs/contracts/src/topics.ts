// The topic registry. A topic is `{service}.{stream}.v{major}`; a breaking change to any event on it is a new major
// topic, so consumers of the old one keep working while they migrate.

export interface TopicDefinition {
  name: string;
  /** What the message key is: it keeps per-aggregate order within a partition. */
  keyedBy: string;
  partitions: number;
}

export function defineTopic(name: string, keyedBy: string, partitions = 3): TopicDefinition {
  if (!/^[a-z]+\.[a-z0-9-]+\.v\d+$/.test(name)) throw new Error(`Topic name ${name} is not service.stream.vN`);
  return { name, keyedBy, partitions };
}

export const Topics = {
  patients: defineTopic('participant.patients.v1', 'patient id'),
  tenants: defineTopic('scheduling.tenants.v1', 'tenant code'),
  sessions: defineTopic('scheduling.sessions.v1', 'session id'),
  participants: defineTopic('scheduling.participants.v1', 'session id'),
  directory: defineTopic('scheduling.directory.v1', 'reference id'),
  clearances: defineTopic('billing.clearances.v1', 'patient id'),
  invoices: defineTopic('billing.invoices.v1', 'participant id'),
  deliveries: defineTopic('notification.deliveries.v1', 'participant id'),
} as const;

export function deadLetterTopicOf(topicName: string): string {
  return `${topicName}.dlq`;
}

/** Every topic the platform uses, dead-letter topics included: what `ensureTopics` creates. */
export function allTopics(): TopicDefinition[] {
  const main = Object.values(Topics);
  return [...main, ...main.map((t) => ({ name: deadLetterTopicOf(t.name), keyedBy: t.keyedBy, partitions: 1 }))];
}
