// What notification knows of other services' facts, learnt from their events: tenants (name, zone), service types
// (names), patients' contacts, and sessions with their participants. Upserts, so facts converge whatever order they
// arrive in; a row of another tenant is never overwritten. Sessions and seats keep the version of the newest fact
// applied to them (the sessions and participants topics are read in any interleaving): an older one changes nothing.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  Channel,
  EventData,
  Language,
  PatientRegistered,
  ServiceTypeDefined,
  SessionSnapshot,
  TenantCreated,
} from '@agdar/contracts';

export interface TenantFacts {
  code: string;
  name: string;
  nameAr: string | null;
  timezone: string;
}

type TenantRow = { code: string; name: string; name_ar: string | null; timezone: string };

const tenantFactsOf = (row: TenantRow): TenantFacts => ({
  code: row.code,
  name: row.name,
  nameAr: row.name_ar ?? null,
  timezone: row.timezone,
});

export interface ServiceTypeFacts {
  name: string;
  nameAr: string | null;
}

export interface SessionFacts {
  id: string;
  tenant: string;
  version: number;
  sessionNumber: string;
  status: string;
  serviceTypeId: string;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
}

export interface ParticipantFacts {
  id: string;
  sessionId: string;
  patientId: string;
  appointmentNumber: string;
  status: string;
  calendarSequence: number;
  version: number;
}

/** What applying a session's snapshot did: whether it was newer, where the session stood before, and stands now. */
export interface SessionChange {
  applied: boolean;
  previous: SessionFacts | null;
  /** The newest the service knows (null: the session belongs to another tenant). */
  current: SessionFacts | null;
}

/** What applying a seat's fact did: whether it was newer, and the seat as it stands now. */
export interface SeatChange {
  applied: boolean;
  current: ParticipantFacts | null;
}

/** How to reach a patient, as the participant service last told us. */
export interface Contact {
  patientId: string;
  nameEn: string;
  nameAr: string | null;
  email: string | null;
  phone: string | null;
  language: Language;
  channels: Channel[];
  guardianName: string | null;
  guardianEmail: string | null;
  guardianPhone: string | null;
}

@Injectable()
export class FactsRepository {
  async recordTenant(em: EntityManager, data: EventData<typeof TenantCreated>): Promise<void> {
    await em.execute(
      `insert into known_tenants (code, name, name_ar, timezone) values (?, ?, ?, ?) on conflict (code) do nothing`,
      [data.code, data.name, data.nameAr ?? null, data.timezone],
    );
  }

  async tenant(em: EntityManager, code: string): Promise<TenantFacts | null> {
    const [row] = await em.execute<TenantRow[]>(
      `select code, name, name_ar, timezone from known_tenants where code = ?`,
      [code],
    );
    return row ? tenantFactsOf(row) : null;
  }

  async recordServiceType(em: EntityManager, tenant: string, data: EventData<typeof ServiceTypeDefined>) {
    await em.execute(
      `insert into service_types (id, tenant, name, name_ar) values (?, ?, ?, ?)
       on conflict (id) do update set name = excluded.name, name_ar = excluded.name_ar
       where service_types.tenant = excluded.tenant`,
      [data.serviceTypeId, tenant, data.name, data.nameAr],
    );
  }

  async recordContact(em: EntityManager, tenant: string, data: EventData<typeof PatientRegistered>): Promise<void> {
    const nameAr = [data.firstNameAr, data.lastNameAr].filter(Boolean).join(' ') || null;
    await em.execute(
      `insert into contacts (patient_id, tenant, name_en, name_ar, email, phone, language, channels, guardian_name,
         guardian_email, guardian_phone)
       values (?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?)
       on conflict (patient_id) do update set name_en = excluded.name_en, name_ar = excluded.name_ar,
         email = excluded.email, phone = excluded.phone, language = excluded.language, channels = excluded.channels,
         guardian_name = excluded.guardian_name, guardian_email = excluded.guardian_email,
         guardian_phone = excluded.guardian_phone
       where contacts.tenant = excluded.tenant`,
      [
        data.patientId,
        tenant,
        `${data.firstNameEn} ${data.lastNameEn}`,
        nameAr,
        data.email,
        data.phone,
        data.preferredLanguage,
        `{${data.channels.join(',')}}`,
        data.guardian?.name ?? null,
        data.guardian?.email ?? null,
        data.guardian?.phone ?? null,
      ],
    );
  }

  /**
   * What a message needs to be addressed, in one round trip: the clinic, the service type's names and (for a patient's
   * message) the patient's contact; each null while notification has not learnt it yet.
   */
  async forMessage(
    em: EntityManager,
    tenant: string,
    serviceTypeId: string,
    patientId: string | null,
  ): Promise<{ tenant: TenantFacts | null; serviceType: ServiceTypeFacts | null; contact: Contact | null }> {
    const [row] = await em.execute(
      `select (select row_to_json(t) from known_tenants t where t.code = ?) as tenant,
              (select row_to_json(s) from service_types s where s.tenant = ? and s.id = ?) as service_type,
              (select row_to_json(c) from contacts c where c.tenant = ? and c.patient_id = ?) as contact`,
      [tenant, tenant, serviceTypeId, tenant, patientId],
    );
    return {
      tenant: row.tenant ? tenantFactsOf(row.tenant) : null,
      serviceType: row.service_type ? { name: row.service_type.name, nameAr: row.service_type.name_ar } : null,
      contact: row.contact ? contactOf(row.contact) : null,
    };
  }

  /**
   * Where a seat stands now, in one round trip: its status, its session's status and newest times (null: unknown),
   * and, on this channel, the start the family was last told (or may have been: an UNCERTAIN message counts as told)
   * and whether a later move supersedes move `version`.
   */
  async seatNow(
    em: EntityManager,
    row: { tenant: string; participantId: string; sessionId: string; channel: string; version?: number },
  ): Promise<SeatNow> {
    const { tenant, participantId, sessionId, channel } = row;
    const [found] = await em.execute(
      `select (select status from participants where tenant = ? and id = ?) as participant_status,
              s.status as session_status, s.starts_at, s.ends_at, s.timezone,
              (select d.facts->>'startsAt' from deliveries d
                where d.tenant = ? and d.participant_id = ? and d.channel = ? and d.status in ('SENT', 'UNCERTAIN')
                  and d.kind in ('BOOKING_CONFIRMATION', 'SESSION_RESCHEDULED', 'REMINDER')
                order by d.handed_at desc nulls last limit 1) as told_starts_at,
              exists (select 1 from deliveries d
                where d.tenant = ? and d.participant_id = ? and d.channel = ? and d.kind = 'SESSION_RESCHEDULED'
                  and (d.facts->>'version')::int > ?) as superseded
       from (select 1) as one left join sessions s on s.tenant = ? and s.id = ?`,
      [
        tenant,
        participantId,
        tenant,
        participantId,
        channel,
        tenant,
        participantId,
        channel,
        row.version ?? 0,
        tenant,
        sessionId,
      ],
    );
    return {
      participantStatus: found.participant_status,
      sessionStatus: found.session_status,
      startsAt: found.starts_at ? new Date(found.starts_at) : null,
      endsAt: found.ends_at ? new Date(found.ends_at) : null,
      timezone: found.timezone,
      toldStartsAt: found.told_starts_at ? new Date(found.told_starts_at) : null,
      superseded: found.superseded,
    };
  }

  /**
   * Applies the session's snapshot if it is newer than what is stored. Facts of one session are applied one at a
   * time (a transaction-long advisory lock on its id), so a consumer working on the other topic's partition waits, and
   * the start each sees before its own is the one the other left.
   */
  async recordSession(em: EntityManager, tenant: string, s: SessionSnapshot): Promise<SessionChange> {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`session:${s.sessionId}`]);
    const [row] = await em.execute(
      `with previous as (select * from sessions where id = ? and tenant = ?),
       upserted as (
         insert into sessions (id, tenant, session_number, status, service_type_id, timezone, starts_at, ends_at, version)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set status = excluded.status, service_type_id = excluded.service_type_id,
           timezone = excluded.timezone, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           version = excluded.version
         where sessions.tenant = excluded.tenant and sessions.version < excluded.version
         returning *)
       select (select row_to_json(p) from previous p) as previous, (select row_to_json(u) from upserted u) as applied`,
      [
        s.sessionId,
        tenant,
        s.sessionId,
        tenant,
        s.sessionNumber,
        s.status,
        s.serviceTypeId,
        s.timezone,
        s.startsAt,
        s.endsAt,
        s.version,
      ],
    );
    const previous = row.previous ? sessionOf(row.previous) : null;
    return { applied: !!row.applied, previous, current: row.applied ? sessionOf(row.applied) : previous };
  }

  async session(em: EntityManager, tenant: string, id: string): Promise<SessionFacts | null> {
    const [row] = await em.execute(`select * from sessions where tenant = ? and id = ?`, [tenant, id]);
    return row ? sessionOf(row) : null;
  }

  /** Applies a seat's fact (at its session's version) if it is newer than what the seat last took. */
  async recordParticipant(
    em: EntityManager,
    tenant: string,
    p: {
      participantId: string;
      sessionId: string;
      patientId: string;
      appointmentNumber: string;
      status: string;
      version: number;
    },
  ): Promise<SeatChange> {
    const [row] = await em.execute(
      `with upserted as (
         insert into participants (id, tenant, session_id, patient_id, appointment_number, status, version)
         values (?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set status = excluded.status, version = excluded.version
         where participants.tenant = excluded.tenant and participants.version < excluded.version
         returning *)
       select (select row_to_json(u) from upserted u) as applied,
              (select row_to_json(p) from participants p where p.id = ? and p.tenant = ?) as existing`,
      [
        p.participantId,
        tenant,
        p.sessionId,
        p.patientId,
        p.appointmentNumber,
        p.status,
        p.version,
        p.participantId,
        tenant,
      ],
    );
    const current = row.applied ?? row.existing;
    return { applied: !!row.applied, current: current ? participantOf(current) : null };
  }

  async participant(em: EntityManager, tenant: string, id: string): Promise<ParticipantFacts | null> {
    const [row] = await em.execute(`select * from participants where tenant = ? and id = ?`, [tenant, id]);
    return row ? participantOf(row) : null;
  }

  async participantsOf(em: EntityManager, tenant: string, sessionId: string): Promise<ParticipantFacts[]> {
    const rows = await em.execute(`select * from participants where tenant = ? and session_id = ? order by id`, [
      tenant,
      sessionId,
    ]);
    return rows.map(participantOf);
  }

  /** The next SEQUENCE of the participant's calendar entry: each move or cancellation supersedes the last. */
  async nextCalendarSequence(em: EntityManager, tenant: string, participantId: string): Promise<number> {
    const [row] = await em.execute(
      `update participants set calendar_sequence = calendar_sequence + 1 where tenant = ? and id = ?
       returning calendar_sequence`,
      [tenant, participantId],
    );
    return row?.calendar_sequence ?? 0;
  }
}

function contactOf(row: Record<string, any>): Contact {
  return {
    patientId: row.patient_id,
    nameEn: row.name_en,
    nameAr: row.name_ar,
    email: row.email,
    phone: row.phone,
    language: row.language as Language,
    channels: row.channels as Channel[],
    guardianName: row.guardian_name,
    guardianEmail: row.guardian_email,
    guardianPhone: row.guardian_phone,
  };
}

/** Where a seat stands when one of its messages is about to go. */
export interface SeatNow {
  participantStatus: string | null;
  sessionStatus: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  timezone: string | null;
  /** The start the last message sent on this channel told the family (null: none told yet). */
  toldStartsAt: Date | null;
  /** A later move of the session has its own message on this channel. */
  superseded: boolean;
}

function sessionOf(row: Record<string, any>): SessionFacts {
  return {
    id: row.id,
    tenant: row.tenant,
    version: row.version,
    sessionNumber: row.session_number,
    status: row.status,
    serviceTypeId: row.service_type_id,
    timezone: row.timezone,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
  };
}

function participantOf(row: Record<string, unknown>): ParticipantFacts {
  return {
    version: row.version as number,
    id: row.id as string,
    sessionId: row.session_id as string,
    patientId: row.patient_id as string,
    appointmentNumber: row.appointment_number as string,
    status: row.status as string,
    calendarSequence: row.calendar_sequence as number,
  };
}
