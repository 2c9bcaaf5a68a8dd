// Reminders on BullMQ: one delayed job per reminder row, its job id the row's id and attempt, so adding it twice (a
// redelivered event, a resync) leaves one job. This file holds the queue itself: its Redis connections, the options
// every job gets, the worker's start, and whether Redis came back empty. What keeps the queue in step with the rows is
// ReminderSync; what a job does is ReminderWorker's (both in messages/, since they run messages' use cases).
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, JobsOptions, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { errorSummary } from '@agdar/messaging';
import { HealthRegistry, JsonLogger, SERVICE_CONFIG } from '@agdar/service-kit';
import { NotificationConfig } from '../config';
import { jobIdOf, QueueWork } from './reminders.repository';

export const REMINDER_QUEUE = 'reminders';

export interface ReminderJob {
  reminderId: string;
  tenant: string;
}

/** A job's state as BullMQ reports it, 'missing' when there is none under the reminder's id. */
export interface JobState {
  state: string;
  failedReason: string | null;
  remove(): Promise<void>;
}

@Injectable()
export class ReminderQueue implements OnApplicationShutdown {
  readonly queue: Queue<ReminderJob>;
  private readonly connection: Redis;
  private workerConnection: Redis | null = null;
  private worker: Worker<ReminderJob> | null = null;
  private connectedOnce = false;
  private emptied = false;

  constructor(
    health: HealthRegistry,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: NotificationConfig,
  ) {
    this.connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.connection.on('ready', () => {
      // After the first connection, a Redis that (re)connects may have lost every job.
      if (this.connectedOnce) this.emptied = true;
      this.connectedOnce = true;
    });
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

  /** True once after Redis reconnected: the sync then adds every reminder still owed again. */
  takeReconnected(): boolean {
    const emptied = this.emptied;
    this.emptied = false;
    return emptied;
  }

  /** Adds a delayed job per reminder, due at its fireAt; a job already there under its id is left as it is. */
  async add(reminders: QueueWork[]): Promise<void> {
    const now = Date.now();
    await this.queue.addBulk(
      reminders.map((r) => ({
        name: 'reminder',
        data: { reminderId: r.id, tenant: r.tenant },
        opts: { ...this.jobOptions(), jobId: jobIdOf(r), delay: Math.max(0, r.fireAt.getTime() - now) },
      })),
    );
  }

  async remove(reminders: QueueWork[]): Promise<void> {
    for (const r of reminders) await this.queue.remove(jobIdOf(r));
  }

  async stateOf(reminder: { id: string; attempt: number }): Promise<JobState> {
    const job = await this.queue.getJob(jobIdOf(reminder));
    return {
      state: job ? await job.getState() : 'missing',
      failedReason: job?.failedReason ?? null,
      remove: async () => void (await job?.remove().catch(() => undefined)),
    };
  }

  /** Starts the one worker of this process; `fire` runs each due job. */
  startWorker(fire: (job: Job<ReminderJob>) => Promise<string>): void {
    if (this.worker) return;
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker<ReminderJob>(REMINDER_QUEUE, fire, {
      connection: this.workerConnection,
      prefix: this.config.REMINDER_QUEUE_PREFIX,
      concurrency: this.config.REMINDER_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.warn(`reminder worker: ${error.message}`, 'reminders'));
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`reminder ${job?.id} failed, BullMQ retries it: ${errorSummary(error)}`, 'reminders'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  private jobOptions(): JobsOptions {
    return {
      attempts: this.config.REMINDER_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      // Gone once done: a reminder owed again later (a session moved back) can be added under its id again.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }
}
