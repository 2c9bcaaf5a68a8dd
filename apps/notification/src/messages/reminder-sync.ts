// Keeps the reminder queue in step with the reminder rows: adds what is TO_ADD, removes what is TO_REMOVE, and when
// Redis comes back empty after a restart adds every reminder still owed again. A sweep (every REMINDER_SWEEP_SECONDS)
// finds reminders whose job gave up (failed, or gone) and adds them again under a new attempt id, until the session
// starts; then an unsent reminder is EXPIRED, with why, in the delivery log. None is lost quietly.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { BackgroundLoop } from '@agdar/messaging';
import { HealthRegistry, JsonLogger, SERVICE_CONFIG } from '@agdar/service-kit';
import { NotificationConfig } from '../config';
import { ReminderQueue } from '../reminders/reminder-queue';
import { RemindersRepository } from '../reminders/reminders.repository';
import { MessagesService } from './messages.service';

const SYNC_BATCH = 1000;
const IDLE_MS = 250;
/** How late a job must be before the sweep looks at it. */
const OVERDUE_GRACE_SECONDS = 10;
/** States of a job that will never run: the sweep adds its reminder again. */
const GAVE_UP = new Set(['failed', 'missing', 'unknown']);

@Injectable()
export class ReminderSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: BackgroundLoop;
  private sweptAt = 0;

  constructor(
    private readonly queue: ReminderQueue,
    private readonly reminders: RemindersRepository,
    private readonly messages: MessagesService,
    private readonly orm: MikroORM,
    private readonly health: HealthRegistry,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: NotificationConfig,
  ) {
    const options = { name: 'reminder sync', task: 'bring the reminder queue up to date', logger, idleMs: IDLE_MS };
    this.loop = new BackgroundLoop(() => this.round(), options);
  }

  onApplicationBootstrap(): void {
    this.loop.start(this.health.whenStarted);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One step of keeping up; true when a full batch was done and more may be waiting. */
  private async round(): Promise<boolean> {
    if (Date.now() - this.sweptAt >= this.config.REMINDER_SWEEP_SECONDS * 1000) {
      this.sweptAt = Date.now();
      await this.sweep();
    }
    if (this.queue.takeReconnected()) {
      const count = await this.reminders.requeueScheduled();
      this.logger.log(`Redis is back: adding the ${count} reminders still owed again`, 'reminders');
    }
    const work = await this.reminders.queueWork(SYNC_BATCH);
    const toAdd = work.filter((w) => w.add);
    const toRemove = work.filter((w) => !w.add);
    if (toAdd.length > 0) {
      await this.queue.add(toAdd);
      await this.reminders.markQueued(
        toAdd.map((r) => r.id),
        'ADDED',
        'TO_ADD',
      );
    }
    await this.queue.remove(toRemove);
    await this.reminders.markQueued(
      toRemove.map((r) => r.id),
      'DONE',
      'TO_REMOVE',
    );
    return work.length >= SYNC_BATCH;
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
      const job = await this.queue.stateOf(overdue);
      if (!GAVE_UP.has(job.state)) continue;
      await this.reminders.requeue(overdue.id, overdue.attempt, job.failedReason ?? 'its job was lost');
      await job.remove();
      const what = job.state === 'failed' ? 'gave up' : 'was lost';
      this.logger.warn(`reminder ${overdue.id}: its job ${what}; adding it again`, 'reminders');
    }
  }
}
