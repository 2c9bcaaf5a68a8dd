// The deliveries table is both the send queue and the delivery log: one row per message and channel, unique by its
// dedupe key. A row without a channel waits for what it needs to be addressed (the patient's contact, a service
// type's names). This file queues rows, addresses waiting ones and reads the log; sending.repository.ts claims and
// marks them.
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
export const TIME_KINDS = `'BOOKING_CONFIRMATION', 'SESSION_RESCHEDULED', 'REMINDER'`;

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

export function deliveryOf(row: Record<string, unknown>): DeliveryRow {
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
