// The reminders notification owes: one row per participant, offset and session start, whose id is its BullMQ job id.
// The row is the truth (written in the transaction of the event that caused it); the queue is kept in step with it by
// `queue_state`: TO_ADD and TO_REMOVE are what the queue has still to be told. A job that gave up (its attempts spent,
// the database away at fire time) is added again under a new attempt (`queue_attempt`, part of its job id) until the
// session starts; a reminder still unsent then is EXPIRED.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';

export interface ReminderRow {
  id: string;
  tenant: string;
  participantId: string;
  offsetSeconds: number;
  startsAt: Date;
  fireAt: Date;
  status: 'SCHEDULED' | 'FIRED' | 'CANCELLED' | 'EXPIRED';
}

/** A reminder the queue has to be told about: its job to add (under its attempt's id) or to remove. */
export interface QueueWork {
  id: string;
  tenant: string;
  fireAt: Date;
  attempt: number;
  add: boolean;
}

/** A reminder that expired unsent, with its seat, for the delivery log. */
export interface ExpiredReminder {
  id: string;
  tenant: string;
  participantId: string;
  sessionId: string | null;
  patientId: string | null;
  appointmentNumber: string | null;
  startsAt: Date;
  lastError: string | null;
}

/** The BullMQ job id of a reminder's attempt: the row id for the first, then `{id}-r{n}`. */
export function jobIdOf(reminder: { id: string; attempt: number }): string {
  return reminder.attempt === 0 ? reminder.id : `${reminder.id}-r${reminder.attempt}`;
}

@Injectable()
export class RemindersRepository {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Owes these reminders. One already owed stays as it is; one cancelled before (a session moved away and back to
   * this start) is owed again.
   */
  async schedule(
    em: EntityManager,
    tenant: string,
    participantId: string,
    startsAt: Date,
    reminders: { id: string; offsetSeconds: number; fireAt: Date }[],
  ): Promise<void> {
    if (reminders.length === 0) return;
    await em.execute(
      `insert into reminders (id, tenant, participant_id, offset_seconds, starts_at, fire_at, status, queue_state)
       values ${reminders.map(() => `(?, ?, ?, ?, ?, ?, 'SCHEDULED', 'TO_ADD')`).join(', ')}
       on conflict (id) do update set status = 'SCHEDULED', queue_state = 'TO_ADD', fired_at = null
       where reminders.status = 'CANCELLED' and reminders.tenant = excluded.tenant`,
      reminders.flatMap((r) => [r.id, tenant, participantId, r.offsetSeconds, startsAt, r.fireAt]),
    );
  }

  /** Cancels the participant's reminders still to come; the queue is told to drop the jobs it already holds. */
  async cancelFor(em: EntityManager, tenant: string, participantIds: string[]): Promise<void> {
    if (participantIds.length === 0) return;
    await em.execute(
      `update reminders set status = 'CANCELLED',
         queue_state = case when queue_state = 'ADDED' then 'TO_REMOVE' else 'DONE' end
       where tenant = ? and participant_id = any(?::uuid[]) and status = 'SCHEDULED'`,
      [tenant, `{${participantIds.join(',')}}`],
    );
  }

  /** The reminder, locked for its firing: two deliveries of one job wait for each other and the second sees FIRED. */
  async lockForFiring(em: EntityManager, tenant: string, id: string): Promise<ReminderRow | null> {
    const [row] = await em.execute(`select * from reminders where tenant = ? and id = ? for update`, [tenant, id]);
    return row ? reminderOf(row) : null;
  }

  async markFired(em: EntityManager, tenant: string, id: string, status: 'FIRED' | 'CANCELLED'): Promise<void> {
    await em.execute(
      `update reminders set status = ?, queue_state = 'DONE', fired_at = now() where tenant = ? and id = ?`,
      [status, tenant, id],
    );
  }

  /** What the queue has to be told: reminders to add and jobs to remove, oldest first. */
  async queueWork(limit: number): Promise<QueueWork[]> {
    const rows = await this.orm.em.getConnection().execute(
      `select id, tenant, fire_at, queue_state, queue_attempt from reminders
       where queue_state in ('TO_ADD', 'TO_REMOVE') order by fire_at limit ?`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      tenant: r.tenant,
      fireAt: new Date(r.fire_at),
      attempt: r.queue_attempt,
      add: r.queue_state === 'TO_ADD',
    }));
  }

  /** Reminders whose job should have run `graceSeconds` ago and whose session has not started: their jobs to check. */
  async overdue(graceSeconds: number, limit: number): Promise<{ id: string; attempt: number }[]> {
    const rows = await this.orm.em.getConnection().execute(
      `select id, queue_attempt from reminders
       where status = 'SCHEDULED' and queue_state = 'ADDED' and fire_at < now() - make_interval(secs => ?)
         and starts_at > now()
       order by fire_at limit ?`,
      [graceSeconds, limit],
    );
    return rows.map((r) => ({ id: r.id, attempt: r.queue_attempt }));
  }

  /** A reminder whose job gave up: added again under its next attempt, with why the last one failed. */
  async requeue(id: string, attempt: number, lastError: string | null): Promise<void> {
    await this.orm.em.getConnection().execute(
      `update reminders set queue_attempt = queue_attempt + 1, queue_state = 'TO_ADD', last_error = ?
       where id = ? and queue_attempt = ? and status = 'SCHEDULED' and queue_state = 'ADDED'`,
      [lastError?.slice(0, 500) ?? null, id, attempt],
    );
  }

  /** Reminders still unsent when their session started: EXPIRED, returned with their seats for the delivery log. */
  async expireUnsent(em: EntityManager, limit: number): Promise<ExpiredReminder[]> {
    const rows = await em.execute(
      `with expired as (
         update reminders set status = 'EXPIRED', fired_at = now(),
           queue_state = case when queue_state = 'ADDED' then 'TO_REMOVE' else 'DONE' end
         where id in (select id from reminders where status = 'SCHEDULED' and starts_at <= now()
                      order by starts_at limit ? for update skip locked)
         returning *)
       select e.id, e.tenant, e.participant_id, e.starts_at, e.last_error, p.session_id, p.patient_id,
         p.appointment_number
       from expired e left join participants p on p.id = e.participant_id and p.tenant = e.tenant`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      tenant: r.tenant,
      participantId: r.participant_id,
      sessionId: r.session_id,
      patientId: r.patient_id,
      appointmentNumber: r.appointment_number,
      startsAt: new Date(r.starts_at),
      lastError: r.last_error,
    }));
  }

  async markQueued(ids: string[], state: 'ADDED' | 'DONE', from: 'TO_ADD' | 'TO_REMOVE'): Promise<void> {
    if (ids.length === 0) return;
    await this.orm.em
      .getConnection()
      .execute(`update reminders set queue_state = ? where id = any(?::uuid[]) and queue_state = ?`, [
        state,
        `{${ids.join(',')}}`,
        from,
      ]);
  }

  /** After Redis came back without its data: every reminder still to fire is added again (same ids, no doubles). */
  async requeueScheduled(): Promise<number> {
    const rows = await this.orm.em
      .getConnection()
      .execute(`update reminders set queue_state = 'TO_ADD' where status = 'SCHEDULED' returning id`);
    return rows.length;
  }
}

function reminderOf(row: Record<string, unknown>): ReminderRow {
  return {
    id: row.id as string,
    tenant: row.tenant as string,
    participantId: row.participant_id as string,
    offsetSeconds: row.offset_seconds as number,
    startsAt: new Date(row.starts_at as string),
    fireAt: new Date(row.fire_at as string),
    status: row.status as ReminderRow['status'],
  };
}
