// What a due reminder job does: MessagesService.fireReminder, which re-checks the row and the projection before
// queueing the message, so a job that runs twice, late, or after its seat was cancelled sends nothing it should not.
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { HealthRegistry, WritePath } from '@agdar/service-kit';
import { ReminderJob, ReminderQueue } from '../reminders/reminder-queue';
import { MessagesService } from './messages.service';

@Injectable()
export class ReminderWorker implements OnApplicationBootstrap {
  constructor(
    private readonly queue: ReminderQueue,
    private readonly messages: MessagesService,
    private readonly writes: WritePath,
    private readonly health: HealthRegistry,
  ) {}

  /** Starts once the database is migrated; the queue closes the worker on shutdown. */
  onApplicationBootstrap(): void {
    void this.health.whenStarted.then(() => this.queue.startWorker((job) => this.fire(job)));
  }

  private fire(job: Job<ReminderJob>): Promise<string> {
    const meta = { tenant: job.data.tenant, actor: 'notification', correlationId: `reminder-${job.data.reminderId}` };
    return this.writes.runAs(meta, (ctx) => this.messages.fireReminder(ctx, job.data.reminderId));
  }
}
