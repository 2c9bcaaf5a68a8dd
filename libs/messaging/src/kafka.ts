// The one place that builds kafkajs clients: brokers, client id and logging are decided here, not in services.
import { Kafka, logLevel, LogEntry } from 'kafkajs';
import { TopicDefinition } from '@agdar/contracts';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

export interface MessagingLogger {
  log(message: string, context?: string): void;
  warn(message: string, context?: string): void;
  error(message: string, trace?: string, context?: string): void;
}

export function createKafka(
  settings: KafkaSettings,
  logger: MessagingLogger,
  options: { quick?: boolean } = {},
): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: options.quick ? 1000 : 3000,
    requestTimeout: options.quick ? 2000 : 30000,
    retry: options.quick ? { retries: 0 } : { initialRetryTime: 200, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const line = `${message} ${JSON.stringify(extra)}`;
        // An error answer from a broker ("Response GroupCoordinator … not available" while a fresh broker elects) is
        // retried by kafkajs or thrown to our code, which reports it: a warning here, not an error.
        const brokerAnswer = namespace === 'Connection' && message.startsWith('Response ');
        if (level === logLevel.ERROR && !brokerAnswer) logger.error(line, undefined, `kafkajs.${namespace}`);
        else logger.warn(line, `kafkajs.${namespace}`);
      },
  });
}

/** Creates missing topics; existing ones are left as they are. */
export async function ensureTopics(kafka: Kafka, topics: TopicDefinition[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Reachability of the broker for readiness: one quick metadata request, no retries. */
export class KafkaProbe {
  private admin: ReturnType<Kafka['admin']> | null = null;

  constructor(private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      await this.admin.describeCluster();
    } catch (error) {
      const admin = this.admin;
      this.admin = null;
      await admin?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }
}
