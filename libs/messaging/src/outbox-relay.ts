// Publishes committed outbox rows to Kafka (acks=all) and marks them sent. A relay killed between publish and mark
// publishes the same rows again on restart: delivery is at least once, and consumers drop the duplicates by event id.
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { errorSummary } from './database-errors';
import { MessagingLogger } from './kafka';

export interface OutboxRelayOptions {
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a nudge waits before waking the relay, so a burst of commits goes out as one batch (default 10 ms). */
  nudgeDelayMs?: number;
  /** Fault-injection point for tests: runs after Kafka acknowledged a batch and before it is marked sent. */
  afterPublish?: (ids: string[]) => Promise<void> | void;
}

interface PendingRow {
  position: string;
  id: string;
  topic: string;
  message_key: string;
  envelope: unknown;
}

// One relay per database publishes at a time (advisory lock), so rows leave in insertion order even with replicas.
const RELAY_LOCK_SQL = `select pg_try_advisory_xact_lock(hashtext('outbox-relay')) as locked`;

export class OutboxRelay {
  private producer: Producer;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudged: NodeJS.Timeout | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly orm: MikroORM,
    kafka: Kafka,
    private readonly logger: MessagingLogger,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async start(): Promise<void> {
    this.running = true;
    this.loop = this.run();
  }

  /** Asks the relay to look soon instead of at its next poll (called after a use case commits). */
  nudge(): void {
    if (this.nudged) return;
    this.nudged = setTimeout(() => {
      this.nudged = null;
      this.wake?.();
    }, this.options.nudgeDelayMs ?? 10);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.nudged) clearTimeout(this.nudged);
    this.nudged = null;
    this.wake?.();
    await this.loop;
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Publishes one batch; returns how many rows it published. */
  async publishPending(): Promise<number> {
    const batchSize = this.options.batchSize ?? 200;
    const em = this.orm.em.fork() as EntityManager;
    return em.transactional(async (tx) => {
      const [{ locked }] = await tx.execute<{ locked: boolean }[]>(RELAY_LOCK_SQL);
      if (!locked) return 0;
      const rows = await tx.execute<PendingRow[]>(
        `select position, id, topic, message_key, envelope from outbox_messages
         where published_at is null order by position limit ${Number(batchSize)} for update`,
      );
      if (rows.length === 0) return 0;
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: groupByTopic(rows),
      });
      const ids = rows.map((r) => r.id);
      await this.options.afterPublish?.(ids);
      await tx.execute(
        `update outbox_messages set published_at = now() where id in (${ids.map(() => '?').join(',')})`,
        ids,
      );
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    const interval = this.options.pollIntervalMs ?? 250;
    while (this.running) {
      let published = 0;
      try {
        await this.connect();
        published = await this.publishPending();
        if (this.lastError) this.logger.log('outbox relay publishing again', 'OutboxRelay');
        this.lastError = null;
      } catch (error) {
        const message = errorSummary(error);
        if (message !== this.lastError)
          this.logger.warn(`outbox relay could not publish, will retry: ${message}`, 'OutboxRelay');
        this.lastError = message;
      }
      if (published === 0 && this.running) await this.sleep(this.lastError ? Math.max(interval, 1000) : interval);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function groupByTopic(rows: PendingRow[]) {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
  for (const row of rows) {
    const envelope = row.envelope as { type: string; correlationId: string };
    const list = byTopic.get(row.topic) ?? [];
    list.push({
      key: row.message_key,
      value: JSON.stringify(row.envelope),
      headers: { 'event-type': envelope.type, 'correlation-id': envelope.correlationId },
    });
    byTopic.set(row.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
