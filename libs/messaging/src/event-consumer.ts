// Idempotent consumption: each message is validated, applied in one database transaction together with a row in
// processed_messages (so a redelivery is recognised and skipped), and its offset is committed only after that commit
// (offsets of applied messages are committed together, every 500 ms or 100 messages: a crash before that redelivers
// them, and processed_messages skips them). Partitions are consumed concurrently, each in order.
// A message whose failure is deterministic (its schema, a rule, a constraint: it would fail the same way again) goes to
// `{topic}.dlq` with the reason at once, so it never holds its partition (shared with other tenants) for seconds of
// retries; one whose failure may pass (a deadlock, a lock timeout) is retried a bounded number of times first. A
// database that is away is not the message's fault: that is retried until the database is back, holding the partition
// (so later messages of the same key wait their turn), and never dead-lettered.
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Consumer, EachMessagePayload, Kafka, Partitioners, Producer } from 'kafkajs';
import {
  deadLetterTopicOf,
  describeIssues,
  Envelope,
  envelopeSchema,
  EventDefinition,
  EventMeta,
  parseEventData,
} from '@agdar/contracts';
import { z } from 'zod';
import { errorSummary, isDatabaseUnavailable, isPassingFailure } from './database-errors';
import { MessagingLogger } from './kafka';

export type EventHandler<D> = (em: EntityManager, event: Envelope<D>) => Promise<void>;

export interface EventConsumerOptions {
  groupId: string;
  maxAttempts?: number;
  initialBackoffMs?: number;
  fromBeginning?: boolean;
  /**
   * How long the broker waits for a silent member before handing its partitions to another (default 6 s, the least a
   * broker accepts by default: `group.min.session.timeout.ms`). It also bounds how long a restarted service waits to
   * consume again when its previous instance died without leaving the group (SIGKILL, a lost node).
   */
  sessionTimeoutMs?: number;
  /** Partitions worked on at once (each in its own order); 3 by default, the partitions of every topic. */
  concurrency?: number;
  /** Fault-injection point for tests: runs after the database commit and before the offset commit. */
  beforeOffsetCommit?: (event: Envelope) => Promise<void> | void;
}

class PoisonMessage extends Error {}

/** Thrown out of a message being retried when the consumer stops: no dead letter, no offset commit, redelivered. */
class ConsumerStopping extends Error {}

/** Longest wait between retries; well below the session timeout, so the member heartbeats and keeps its partitions. */
const MAX_BACKOFF_MS = 2000;
const DEFAULT_SESSION_TIMEOUT_MS = 6000;

/** What an event handler needs to say "this new event was caused by that one". */
export function metaCausedBy(event: Envelope, actor?: string): EventMeta {
  return {
    tenant: event.tenant,
    actor: actor ?? event.actor,
    correlationId: event.correlationId,
    causationId: event.id,
  };
}

export class EventConsumer {
  private readonly handlers = new Map<string, { definition: EventDefinition; handle: EventHandler<unknown> }>();
  private consumer: Consumer | null = null;
  private readonly dlqProducer: Producer;
  private stopped = false;
  private reconnecting: NodeJS.Timeout | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly orm: MikroORM,
    private readonly logger: MessagingLogger,
    private readonly options: EventConsumerOptions,
  ) {
    this.dlqProducer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  on<S extends z.ZodType>(definition: EventDefinition<S>, handle: EventHandler<z.infer<S>>): this {
    this.handlers.set(definition.type, { definition, handle: handle as EventHandler<unknown> });
    return this;
  }

  get topics(): string[] {
    return [...new Set([...this.handlers.values()].map((h) => h.definition.topic.name))];
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.dlqProducer.connect();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnecting) clearTimeout(this.reconnecting);
    this.reconnecting = null;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.dlqProducer.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      heartbeatInterval: Math.min(1000, (this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS) / 4),
      // Short long-polls: a clean shutdown waits for the fetch in flight.
      maxWaitTimeInMs: 1000,
      // kafkajs restarts a consumer that crashed on a retriable error by itself; not once we have stopped it, or a
      // crash during our disconnect would bring back a consumer nobody owns (found by CI: a stopped service's
      // consumer restarting against a broker that was gone, keeping the test run alive).
      retry: { retries: 10, initialRetryTime: 300, restartOnFailure: async () => !this.stopped },
    });
    this.consumer = consumer;
    // kafkajs restarts itself after retriable failures; after a non-retriable crash we reconnect ourselves, so a
    // broker outage never leaves the service silently deaf.
    consumer.on(consumer.events.CRASH, async ({ payload }) => {
      if (payload.restart || this.stopped) return;
      this.logger.warn(
        `consumer ${this.options.groupId} crashed (${payload.error.message}); reconnecting in 2 s`,
        'EventConsumer',
      );
      await consumer.disconnect().catch(() => undefined);
      if (this.stopped) return;
      // Kept, so that stop() can cancel it: a timer outliving the consumer would reconnect a stopped service.
      this.reconnecting = setTimeout(() => {
        this.reconnecting = null;
        if (this.stopped) return;
        this.connect().catch((e) =>
          this.logger.error(`reconnect failed: ${errorSummary(e)}`, undefined, 'EventConsumer'),
        );
      }, 2000);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      // kafkajs commits the offset of a message only once eachMessage has returned, i.e. after its transaction.
      autoCommit: true,
      autoCommitInterval: 500,
      autoCommitThreshold: 100,
      partitionsConsumedConcurrently: this.options.concurrency ?? 3,
      eachMessage: (payload) => this.process(payload),
    });
  }

  private async process(payload: EachMessagePayload): Promise<void> {
    const { message, heartbeat } = payload;
    let envelope: Envelope | null = null;
    try {
      envelope = this.parse(message.value);
      const registered = this.handlers.get(envelope.type);
      if (registered) {
        const data = parseEventData(registered.definition, envelope.data);
        await this.applyWithRetries({ ...envelope, data }, registered.handle, heartbeat);
      }
    } catch (error) {
      if (error instanceof ConsumerStopping) throw error;
      await this.deadLetter(payload, error as Error);
    }
    if (envelope) await this.options.beforeOffsetCommit?.(envelope);
  }

  private parse(value: Buffer | null): Envelope {
    if (!value) throw new PoisonMessage('message has no value');
    let json: unknown;
    try {
      json = JSON.parse(value.toString('utf8'));
    } catch {
      throw new PoisonMessage('message value is not JSON');
    }
    const result = envelopeSchema.safeParse(json);
    if (!result.success) throw new PoisonMessage(`envelope does not match its schema: ${describeIssues(result.error)}`);
    return result.data as Envelope;
  }

  private async applyWithRetries(
    event: Envelope,
    handle: EventHandler<unknown>,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.applyOnce(event, handle);
        return;
      } catch (error) {
        const unavailable = isDatabaseUnavailable(error);
        if (!isPassingFailure(error) || (attempt >= maxAttempts && !unavailable)) throw error;
        if (this.stopped) throw new ConsumerStopping(`stopped while retrying ${event.type} ${event.id}`);
        const delay = Math.min(MAX_BACKOFF_MS, (this.options.initialBackoffMs ?? 200) * 2 ** (attempt - 1));
        const why = unavailable
          ? 'the database is unavailable, retrying until it is back'
          : `failed (attempt ${attempt}/${maxAttempts})`;
        this.logger.warn(
          `${event.type} ${event.id}: ${why}; next try in ${delay} ms: ${errorSummary(error)}`,
          'EventConsumer',
        );
        await new Promise((r) => setTimeout(r, delay));
        await heartbeat();
      }
    }
  }

  private async applyOnce(event: Envelope, handle: EventHandler<unknown>): Promise<void> {
    const em = this.orm.em.fork() as EntityManager;
    await em.transactional(async (tx) => {
      const inserted = await tx.execute(
        `insert into processed_messages (consumer_group, message_id, event_type) values (?, ?, ?)
         on conflict do nothing returning message_id`,
        [this.options.groupId, event.id, event.type],
      );
      if (inserted.length === 0) return; // applied before: a redelivery after a crash or a relay re-publish
      await handle(tx, event);
    });
  }

  private async deadLetter({ topic, partition, message }: EachMessagePayload, error: Error): Promise<void> {
    const reason = errorSummary(error);
    this.logger.error(
      `message ${topic}/${partition}@${message.offset} sent to ${deadLetterTopicOf(topic)}: ${reason}`,
      undefined,
      'EventConsumer',
    );
    await this.dlqProducer.send({
      topic: deadLetterTopicOf(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason,
            'dlq-original-topic': topic,
            'dlq-original-partition': String(partition),
            'dlq-original-offset': message.offset,
            'dlq-consumer-group': this.options.groupId,
            'dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
  }
}
