// Publishes committed outbox rows to Kafka (acks=all) and marks them sent. A relay killed between publish and mark
// publishes the same rows again on restart: delivery is at least once, and consumers drop the duplicates by event id.
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { BackgroundLoop } from './background-loop';
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
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly orm: MikroORM,
    kafka: Kafka,
    logger: MessagingLogger,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const round = async () => {
      await this.connect();
      return (await this.publishPending()) > 0;
    };
    this.loop = new BackgroundLoop(round, {
      name: 'outbox relay',
      task: 'publish to Kafka',
      logger,
      idleMs: options.pollIntervalMs ?? 250,
      nudgeDelayMs: options.nudgeDelayMs,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async start(): Promise<void> {
    this.loop.start();
  }

  /** Asks the relay to look soon instead of at its next poll (called after a use case commits). */
  nudge(): void {
    this.loop.nudge();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
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
