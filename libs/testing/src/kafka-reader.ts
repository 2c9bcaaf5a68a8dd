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

export class KafkaReader {
  readonly messages: ReadMessage[] = [];
  private consumer: Consumer | null = null;

  static async start(topics: string[], brokers = testEnv().kafkaBrokers): Promise<KafkaReader> {
    const reader = new KafkaReader();
    const kafka = new Kafka({ clientId: 'test-reader', brokers, logLevel: 0 });
    reader.consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topics, fromBeginning: true });
    let assigned = false;
    reader.consumer.on(reader.consumer.events.GROUP_JOIN, () => (assigned = true));
    await reader.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const text = message.value?.toString('utf8') ?? null;
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
    await this.consumer?.disconnect();
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {}))
    out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v ?? '');
  return out;
}
