// Reads a topic with a plain kafkajs consumer, as any other team's service would: proves what we publish is readable.
import { randomUUID } from 'node:crypto';
import { Consumer, IHeaders, Kafka } from 'kafkajs';
import { eventually } from './eventually';
import { testEnv } from './test-env';

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: any;
  headers: Record<string, string>;
}

/** Readers not stopped yet: the test kit stops them after each test file, also when a test failed half way. */
const open = new Set<KafkaReader>();

export async function stopOpenKafkaReaders(): Promise<void> {
  await Promise.all([...open].map((reader) => reader.stop()));
}

export class KafkaReader {
  readonly messages: ReadMessage[] = [];
  private consumer: Consumer | null = null;
  private topics: string[] = [];
  private readonly markers = new Map<string, number>();

  static async start(topics: string[], brokers = testEnv().kafkaBrokers): Promise<KafkaReader> {
    const reader = new KafkaReader();
    reader.topics = topics;
    open.add(reader);
    const kafka = new Kafka({ clientId: 'test-reader', brokers, logLevel: 0 });
    reader.consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topics, fromBeginning: true });
    let assigned = false;
    reader.consumer.on(reader.consumer.events.GROUP_JOIN, () => (assigned = true));
    await reader.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const text = message.value?.toString('utf8') ?? null;
        if (text?.startsWith('catch-up-') && message.key?.toString() === text) {
          reader.markers.set(text, (reader.markers.get(text) ?? 0) + 1);
          return;
        }
        let value: unknown = text;
        try {
          value = text ? JSON.parse(text) : null;
        } catch {
          /* keep the raw text: a poison message is still a message */
        }
        reader.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value,
          headers: headersOf(message.headers),
        });
      },
    });
    await eventually(async () => assigned, 'the test reader to join its group');
    return reader;
  }

  /**
   * Waits until the reader has read everything published to its topics so far: it publishes a marker to every
   * partition and waits for all of them (markers are not kept). After it, `messages` is complete up to that moment.
   */
  async catchUp(brokers = testEnv().kafkaBrokers): Promise<void> {
    const kafka = new Kafka({ clientId: 'test-reader-marker', brokers, logLevel: 0 });
    const admin = kafka.admin();
    const producer = kafka.producer();
    const marker = `catch-up-${randomUUID()}`;
    await Promise.all([admin.connect(), producer.connect()]);
    let expected = 0;
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: this.topics });
      for (const topic of topics) {
        for (const { partitionId } of topic.partitions) {
          expected++;
          await producer.send({
            topic: topic.name,
            acks: -1,
            messages: [{ partition: partitionId, key: marker, value: marker }],
          });
        }
      }
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
    await eventually(async () => this.markers.get(marker) === expected, 'the reader to read up to its markers');
  }

  /** Messages whose envelope matches; waits until at least `count` are there. */
  async waitFor(predicate: (m: ReadMessage) => boolean, count = 1, timeoutMs = 20000): Promise<ReadMessage[]> {
    return eventually(
      async () => {
        const found = this.messages.filter(predicate);
        return found.length >= count ? found : undefined;
      },
      `${count} matching Kafka message(s)`,
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    open.delete(this);
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {}))
    out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v ?? '');
  return out;
}

/** How many messages of `topic` the consumer group has not committed yet, per partition: what a stuck test shows. */
export async function consumerLag(groupId: string, topic: string, brokers = testEnv().kafkaBrokers) {
  const kafka = new Kafka({ clientId: 'test-lag', brokers, logLevel: 0 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const end = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries(
      end.map((p) => {
        const at = committed.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
        return [p.partition, Number(p.high) - Math.max(0, Number(at))];
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Whether each consumer group has read every topic it reads to its end. Test platforms share one Kafka and the
 * services' group ids, so a platform just started first reads what earlier tests left: a test that compares tables
 * before and after an action waits for this first, or it counts that catching up as the action's doing.
 */
export async function groupsCaughtUp(groupIds: readonly string[], brokers = testEnv().kafkaBrokers): Promise<boolean> {
  const kafka = new Kafka({ clientId: 'test-lag', brokers, logLevel: 0 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const groupId of groupIds) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        for (const end of await admin.fetchTopicOffsets(topic)) {
          const at = partitions.find((c) => c.partition === end.partition)?.offset ?? '-1';
          if (Number(end.high) > Math.max(0, Number(at))) return false;
        }
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}
