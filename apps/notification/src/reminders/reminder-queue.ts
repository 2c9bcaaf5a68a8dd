// Reminders on BullMQ: one delayed job per reminder row, its job id the row's id, so adding it twice (a redelivered
// event, a resync) leaves one job. A loop keeps the queue in step with the rows (adds what is TO_ADD, removes what is
// TO_REMOVE); when Redis comes back empty after a restart, every reminder still owed is added again. The worker
// fires a job through MessagesService.fireReminder, which re-checks the row and the projection before queueing the
// message, so a job that runs twice, late, or after its seat was cancelled sends nothing it should not. A sweep
// (every 15 s) finds reminders whose job gave up (failed, or gone) and adds them again under a new attempt id, until
// the session starts; then an unsent reminder is EXPIRED, with why, in the delivery log. None is lost quietly.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { EntityManager } from '@mikro-orm/postgresql';
import { errorSummary } from '@agdar/messaging';
import { HealthRegistry, JsonLogger, SERVICE_CONFIG, WritePath } from '@agdar/service-kit';
import { NotificationConfig } from '../config';
import { MessagesService } from '../messages/messages.service';
import { sleep } from '../messages/sender.worker';
import { MikroORM } from '@mikro-orm/postgresql';
import { jobIdOf, RemindersRepository } from './reminders.repository';

export const REMINDER_QUEUE = 'reminders';
const SYNC_BATCH = 1000;
const IDLE_MS = 250;
/** How late a job must be before the sweep looks at it. */
const OVERDUE_GRACE_SECONDS = 10;

interface ReminderJob {
  reminderId: string;
  tenant: string;
}

@Injectable()
export class ReminderQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly queue: Queue<ReminderJob>;
  private readonly connection: Redis;
  private workerConnection: Redis | null = null;
  private worker: Worker<ReminderJob> | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private resyncNeeded = false;
  private connectedOnce = false;

  constructor(
    private readonly reminders: RemindersRepository,
    private readonly messages: MessagesService,
    private readonly writes: WritePath,
    private readonly orm: MikroORM,
    private readonly health: HealthRegistry,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: NotificationConfig,
  ) {
    this.connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.connection.on('ready', () => this.onRedisReady());
    this.connection.on('error', () => undefined);
    this.queue = new Queue<ReminderJob>(REMINDER_QUEUE, {
      connection: this.connection,
      prefix: config.REMINDER_QUEUE_PREFIX,
    });
    this.queue.on('error', () => undefined);
    health.add({ name: 'redis', critical: false, check: async () => void (await this.connection.ping()) });
    health.addDetail({
      name: 'reminders',
      read: () => this.queue.getJobCounts('delayed', 'waiting', 'active', 'failed'),
    });
  }

  /** Nest bootstraps a hybrid app's modules twice (the HTTP app, then its Kafka microservice): start once. */
  onApplicationBootstrap(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.health.whenStarted.then(() => this.start());
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  private async start(): Promise<void> {
    if (!this.running) return;
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker<ReminderJob>(REMINDER_QUEUE, (job) => this.fire(job), {
      connection: this.workerConnection,
      prefix: this.config.REMINDER_QUEUE_PREFIX,
      concurrency: this.config.REMINDER_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.warn(`reminder worker: ${error.message}`, 'reminders'));
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`reminder ${job?.id} failed, BullMQ retries it: ${errorSummary(error)}`, 'reminders'),
    );
    await this.sync();
  }

  /**
   * Reminders whose job gave up are added again under their next attempt; those still unsent when their session
   * started are expired into the delivery log.
   */
  private async sweep(): Promise<void> {
    const expired = await (this.orm.em.fork() as EntityManager).transactional((em) =>
      this.messages.expireUnsentReminders(em, SYNC_BATCH),
    );
    if (expired > 0) this.logger.warn(`${expired} reminders expired unsent: see the delivery log`, 'reminders');
    for (const overdue of await this.reminders.overdue(OVERDUE_GRACE_SECONDS, SYNC_BATCH)) {
      const job = await this.queue.getJob(jobIdOf(overdue));
      const state = job ? await job.getState() : 'missing';
      if (state !== 'failed' && state !== 'missing' && state !== 'unknown') continue;
      await this.reminders.requeue(overdue.id, overdue.attempt, job?.failedReason ?? 'its job was lost');
      if (job) await job.remove().catch(() => undefined);
      this.logger.warn(
        `reminder ${overdue.id}: its job ${state === 'failed' ? 'gave up' : 'was lost'}; adding it again`,
        'reminders',
      );
    }
  }

  /** Redis (re)connected: after the first time, it may have lost every job, so all owed reminders are added again. */
  private onRedisReady(): void {
    if (this.connectedOnce) this.resyncNeeded = true;
    this.connectedOnce = true;
  }

  private async fire(job: Job<ReminderJob>): Promise<string> {
    const meta = { tenant: job.data.tenant, actor: 'notification', correlationId: `reminder-${job.data.reminderId}` };
    return this.writes.runAs(meta, (ctx) => this.messages.fireReminder(ctx, job.data.reminderId));
  }

  private async sync(): Promise<void> {
    let lastError = '';
    let sweptAt = 0;
    while (this.running) {
      try {
        if (Date.now() - sweptAt >= this.config.REMINDER_SWEEP_SECONDS * 1000) {
          sweptAt = Date.now();
          await this.sweep();
        }
        if (this.resyncNeeded) {
          this.resyncNeeded = false;
          const count = await this.reminders.requeueScheduled();
          this.logger.log(`Redis is back: adding the ${count} reminders still owed again`, 'reminders');
        }
        const work = await this.reminders.queueWork(SYNC_BATCH);
        const toAdd = work.filter((w) => w.add);
        const toRemove = work.filter((w) => !w.add);
        if (toAdd.length > 0) {
          const now = Date.now();
          await this.queue.addBulk(
            toAdd.map((r) => ({
              name: 'reminder',
              data: { reminderId: r.id, tenant: r.tenant },
              opts: {
                jobId: jobIdOf(r),
                delay: Math.max(0, r.fireAt.getTime() - now),
                attempts: this.config.REMINDER_JOB_ATTEMPTS,
                backoff: { type: 'exponential', delay: 1000 },
                // Gone once done: a reminder owed again later (a session moved back) can be added under its id again.
                removeOnComplete: true,
                removeOnFail: { age: 7 * 24 * 3600 },
              },
            })),
          );
          await this.reminders.markQueued(
            toAdd.map((r) => r.id),
            'ADDED',
            'TO_ADD',
          );
        }
        for (const r of toRemove) await this.queue.remove(jobIdOf(r));
        await this.reminders.markQueued(
          toRemove.map((r) => r.id),
          'DONE',
          'TO_REMOVE',
        );
        lastError = '';
        if (work.length < SYNC_BATCH) await sleep(IDLE_MS);
      } catch (error) {
        const message = errorSummary(error);
        if (message !== lastError) {
          this.logger.warn(`cannot bring the reminder queue up to date (${message}); retrying every 1 s`, 'reminders');
        }
        lastError = message;
        await sleep(1000);
      }
    }
  }
}
