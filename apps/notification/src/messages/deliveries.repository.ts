// The deliveries table is both the send queue and the delivery log: one row per message and channel, unique by its
// dedupe key. A row without a channel waits for what it needs to be addressed (the patient's contact, a service
// type's names). Senders claim due rows with SKIP LOCKED, a lease and a claim id of their own, so replicas share the
// work. Every mark names the claim that holds the row: a sender whose row was taken from it changes nothing. A row is
// stamped `handed_at` in the one statement before it goes to the provider; a sender that dies after that leaves it
// UNCERTAIN when its lease runs out (perhaps received: never sent again), one that dies before leaves it to be taken.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Channel, DeliveriesQuery, DeliveryStatus, Language, MessageKind, Page } from '@agdar/contracts';
import { pageOf, pageWindow } from '@agdar/service-kit';

export interface NewDelivery {
  tenant: string;
  dedupeKey: string;
  kind: MessageKind;
  channel: Channel | null;
  urgent: boolean;
  participantId: string | null;
  patientId: string | null;
  sessionId: string | null;
  appointmentNumber: string | null;
  recipient: string | null;
  language: Language | null;
  facts: Record<string, unknown>;
  status: 'QUEUED' | 'SKIPPED' | 'EXPIRED';
  reason: string | null;
  notBefore: Date;
  correlationId: string;
}

export interface DeliveryRow extends Omit<NewDelivery, 'status'> {
  id: string;
  status: DeliveryStatus;
  /** The claim that holds the row while it is SENDING. */
  claimId: string | null;
  attempts: number;
  providerAnswer: string | null;
  createdAt: Date;
  sentAt: Date | null;
  updatedAt: Date;
}

/** The kinds of message that tell a family when their appointment is. */
const TIME_KINDS = `'BOOKING_CONFIRMATION', 'SESSION_RESCHEDULED', 'REMINDER'`;

const COLUMNS = [
  'id',
  'tenant',
  'dedupe_key',
  'kind',
  'channel',
  'urgent',
  'participant_id',
  'patient_id',
  'session_id',
  'appointment_number',
  'recipient',
  'language',
  'facts',
  'status',
  'reason',
  'not_before',
  'correlation_id',
];

@Injectable()
export class DeliveriesRepository {
  constructor(private readonly orm: MikroORM) {}

  /** Queues what is not queued yet: a row whose dedupe key exists is left as it is. */
  async insert(em: EntityManager, rows: NewDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    const placeholders = rows.map(() => `(${COLUMNS.map((c) => (c === 'facts' ? '?::jsonb' : '?')).join(', ')})`);
    const values = rows.flatMap((r) => [
      randomUUID(),
      r.tenant,
      r.dedupeKey,
      r.kind,
      r.channel,
      r.urgent,
      r.participantId,
      r.patientId,
      r.sessionId,
      r.appointmentNumber,
      r.recipient,
      r.language,
      JSON.stringify(r.facts),
      r.status,
      r.reason,
      r.notBefore,
      r.correlationId,
    ]);
    await em.execute(
      `insert into deliveries (${COLUMNS.join(', ')}) values ${placeholders.join(', ')}
       on conflict (dedupe_key) do nothing`,
      values,
    );
  }

  /** Rows that wait to be addressed and concern this patient, service type or tenant; locked, to be replaced. */
  async takeWaiting(
    em: EntityManager,
    tenant: string,
    about: { patientId?: string; serviceTypeId?: string },
  ): Promise<DeliveryRow[]> {
    const filter = about.patientId ? `patient_id = ?` : about.serviceTypeId ? `facts->>'serviceTypeId' = ?` : 'true';
    const rows = await em.execute(
      `delete from deliveries where id in (
         select id from deliveries where status = 'QUEUED' and channel is null and tenant = ? and ${filter}
         for update skip locked)
       returning *`,
      [tenant, ...(about.patientId ? [about.patientId] : about.serviceTypeId ? [about.serviceTypeId] : [])],
    );
    return rows.map(deliveryOf);
  }

  /**
   * Claims up to `limit` rows due now, and rows whose sender's lease ran out before it handed them to the provider:
   * SENDING under a new claim id, one more attempt, leased for `leaseSeconds`. Rows whose lease ran out after they were
   * handed over are turned UNCERTAIN in the same statement. Committed before anything is sent.
   *
   * The messages that tell a family a time (confirmation, move, reminder) go one at a time per seat and channel: one
   * is not claimed while another is in flight, nor two in one claim, and claims take turns across replicas (an advisory
   * lock held for the one statement). A move decides what to say from what was last told, so it must see that sent.
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<DeliveryRow[]> {
    return (this.orm.em.fork() as EntityManager).transactional(async (em) => {
      await em.execute(`select pg_advisory_xact_lock(hashtextextended('notification-claims', 0))`);
      const rows = await em.execute(
        `with uncertain as (
           update deliveries set status = 'UNCERTAIN', lease_until = null, updated_at = now(),
             reason = 'the sender stopped after handing the message to the provider: it may have arrived, so it is not sent again'
           where status = 'SENDING' and lease_until < now() and handed_at is not null),
         due as (
           select id, kind in (${TIME_KINDS}) as tells_time, participant_id, channel, not_before, created_at
           from deliveries d
           where channel is not null and not_before <= now()
             and (status = 'QUEUED' or (status = 'SENDING' and lease_until < now() and handed_at is null))
             and not (kind in (${TIME_KINDS}) and exists (
               select 1 from deliveries o
               where o.participant_id = d.participant_id and o.channel = d.channel and o.id <> d.id
                 and o.kind in (${TIME_KINDS}) and o.status = 'SENDING' and o.lease_until >= now()))
           order by not_before
           limit ?),
         picked as (
           select id from (
             select id, tells_time, not_before,
               row_number() over (partition by tells_time, case when tells_time then participant_id end,
                 case when tells_time then channel end order by not_before, created_at) as turn
             from due) t
           where not tells_time or turn = 1
           order by not_before
           limit ?)
         update deliveries set status = 'SENDING', attempts = attempts + 1, updated_at = now(),
           lease_until = now() + make_interval(secs => ?), claim_id = ?, handed_at = null
         where id in (select id from picked)
           and (status = 'QUEUED' or (status = 'SENDING' and lease_until < now() and handed_at is null))
         returning *`,
        [limit * 4, limit, leaseSeconds, randomUUID()],
      );
      return rows.map(deliveryOf);
    });
  }

  /**
   * The fencing check before a send: stamps the row handed over, with the start and end its message tells, if this
   * claim still holds it with at least `budgetSeconds` of lease left. Otherwise the row is put back to be claimed
   * again (if still ours): false.
   */
  async markHanded(row: DeliveryRow, budgetSeconds: number, told: Record<string, unknown>): Promise<boolean> {
    const connection = this.orm.em.getConnection();
    const handed = await connection.execute(
      `update deliveries set handed_at = now(), facts = facts || ?::jsonb
       where id = ? and claim_id = ? and status = 'SENDING' and lease_until > now() + make_interval(secs => ?)
       returning id`,
      [JSON.stringify(told), row.id, row.claimId, budgetSeconds],
    );
    if (handed.length > 0) return true;
    await connection.execute(
      `update deliveries set status = 'QUEUED', lease_until = null, claim_id = null, attempts = attempts - 1,
         updated_at = now()
       where id = ? and claim_id = ? and status = 'SENDING' and handed_at is null`,
      [row.id, row.claimId],
    );
    return false;
  }

  /** Accepted by the provider: SENT with its answer. */
  async markSent(em: EntityManager, row: DeliveryRow, answer: { messageId: string | null; providerAnswer: string }) {
    await em.execute(
      `update deliveries set status = 'SENT', sent_at = now(), updated_at = now(), lease_until = null,
         provider_answer = ?, provider_message_id = ?, reason = null
       where id = ? and claim_id = ? and status in ('SENDING', 'UNCERTAIN')`,
      [answer.providerAnswer.slice(0, 500), answer.messageId, row.id, row.claimId],
    );
  }

  async markRetry(row: DeliveryRow, notBefore: Date, reason: string, providerAnswer: string | null): Promise<void> {
    await this.orm.em.getConnection().execute(
      `update deliveries set status = 'QUEUED', not_before = ?, lease_until = null, updated_at = now(), reason = ?,
         provider_answer = ?, claim_id = null, handed_at = null
       where id = ? and claim_id = ? and status = 'SENDING'`,
      [notBefore, reason, providerAnswer, row.id, row.claimId],
    );
  }

  async markEnded(
    row: DeliveryRow,
    status: 'FAILED' | 'SKIPPED' | 'UNCERTAIN',
    reason: string,
    providerAnswer: string | null = null,
  ): Promise<void> {
    await this.orm.em.getConnection().execute(
      `update deliveries set status = ?, reason = ?, provider_answer = coalesce(?, provider_answer),
         lease_until = null, updated_at = now()
       where id = ? and claim_id = ? and status in ('SENDING', 'UNCERTAIN')`,
      [status, reason.slice(0, 500), providerAnswer?.slice(0, 500) ?? null, row.id, row.claimId],
    );
  }

  async list(tenant: string, query: DeliveriesQuery): Promise<Page<DeliveryRow>> {
    const where = ['tenant = ?'];
    const values: unknown[] = [tenant];
    const filters: [keyof DeliveriesQuery, string][] = [
      ['appointmentNumber', 'appointment_number'],
      ['patientId', 'patient_id'],
      ['sessionId', 'session_id'],
      ['status', 'status'],
      ['channel', 'channel'],
      ['kind', 'kind'],
    ];
    for (const [field, column] of filters) {
      if (query[field] === undefined) continue;
      where.push(`${column} = ?`);
      values.push(query[field]);
    }
    const { limit, offset } = pageWindow(query);
    const connection = this.orm.em.getConnection();
    const [rows, [{ total }]] = await Promise.all([
      connection.execute(
        `select * from deliveries where ${where.join(' and ')} order by created_at desc, id limit ? offset ?`,
        [...values, limit, offset],
      ),
      connection.execute(`select count(*)::int as total from deliveries where ${where.join(' and ')}`, values),
    ]);
    return pageOf(rows.map(deliveryOf), total, query);
  }
}

function deliveryOf(row: Record<string, unknown>): DeliveryRow {
  return {
    id: row.id as string,
    tenant: row.tenant as string,
    dedupeKey: row.dedupe_key as string,
    kind: row.kind as MessageKind,
    channel: row.channel as Channel | null,
    urgent: row.urgent as boolean,
    participantId: row.participant_id as string | null,
    patientId: row.patient_id as string | null,
    sessionId: row.session_id as string | null,
    appointmentNumber: row.appointment_number as string | null,
    recipient: row.recipient as string | null,
    language: row.language as Language | null,
    facts: (typeof row.facts === 'string' ? JSON.parse(row.facts) : row.facts) as Record<string, unknown>,
    status: row.status as DeliveryStatus,
    claimId: row.claim_id as string | null,
    reason: row.reason as string | null,
    notBefore: new Date(row.not_before as string),
    correlationId: row.correlation_id as string,
    attempts: row.attempts as number,
    providerAnswer: row.provider_answer as string | null,
    createdAt: new Date(row.created_at as string),
    sentAt: row.sent_at ? new Date(row.sent_at as string) : null,
    updatedAt: new Date(row.updated_at as string),
  };
}
