// What notification knows of other services' facts, learnt from their events: tenants (name, zone), service types
// (names), patients' contacts, and sessions with their participants. Upserts, so facts converge whatever order they
// arrive in; a row of another tenant is never overwritten.
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
import { Contact } from '../messages/message-rules';

export interface TenantFacts {
  code: string;
  name: string;
  timezone: string;
}

export interface ServiceTypeFacts {
  name: string;
  nameAr: string | null;
}

export interface SessionFacts {
  id: string;
  tenant: string;
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
}

@Injectable()
export class FactsRepository {
  async recordTenant(em: EntityManager, data: EventData<typeof TenantCreated>): Promise<void> {
    await em.execute(
      `insert into known_tenants (code, name, timezone) values (?, ?, ?) on conflict (code) do nothing`,
      [data.code, data.name, data.timezone],
    );
  }

  async tenant(em: EntityManager, code: string): Promise<TenantFacts | null> {
    const [row] = await em.execute(`select code, name, timezone from known_tenants where code = ?`, [code]);
    return row ? { code: row.code, name: row.name, timezone: row.timezone } : null;
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
      tenant: row.tenant ? { code: row.tenant.code, name: row.tenant.name, timezone: row.tenant.timezone } : null,
      serviceType: row.service_type ? { name: row.service_type.name, nameAr: row.service_type.name_ar } : null,
      contact: row.contact ? contactOf(row.contact) : null,
    };
  }

  /** Where a seat stands now, in one round trip: its status and its session's status and start (null: unknown). */
  async seatNow(
    em: EntityManager,
    tenant: string,
    participantId: string,
    sessionId: string,
  ): Promise<{ participantStatus: string | null; sessionStatus: string | null; startsAt: Date | null }> {
    const [row] = await em.execute(
      `select (select status from participants where tenant = ? and id = ?) as participant_status,
              s.status as session_status, s.starts_at
       from (select 1) as one left join sessions s on s.tenant = ? and s.id = ?`,
      [tenant, participantId, tenant, sessionId],
    );
    return {
      participantStatus: row.participant_status,
      sessionStatus: row.session_status,
      startsAt: row.starts_at ? new Date(row.starts_at) : null,
    };
  }

  /** The session as the event that carries this snapshot saw it. */
  async recordSession(em: EntityManager, tenant: string, s: SessionSnapshot): Promise<void> {
    await em.execute(
      `insert into sessions (id, tenant, session_number, status, service_type_id, timezone, starts_at, ends_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (id) do update set status = excluded.status, service_type_id = excluded.service_type_id,
         timezone = excluded.timezone, starts_at = excluded.starts_at, ends_at = excluded.ends_at
       where sessions.tenant = excluded.tenant`,
      [s.sessionId, tenant, s.sessionNumber, s.status, s.serviceTypeId, s.timezone, s.startsAt, s.endsAt],
    );
  }

  async session(em: EntityManager, tenant: string, id: string): Promise<SessionFacts | null> {
    const [row] = await em.execute(`select * from sessions where tenant = ? and id = ?`, [tenant, id]);
    return row
      ? {
          id: row.id,
          tenant: row.tenant,
          sessionNumber: row.session_number,
          status: row.status,
          serviceTypeId: row.service_type_id,
          timezone: row.timezone,
          startsAt: new Date(row.starts_at),
          endsAt: new Date(row.ends_at),
        }
      : null;
  }

  async recordParticipant(
    em: EntityManager,
    tenant: string,
    p: { participantId: string; sessionId: string; patientId: string; appointmentNumber: string; status: string },
  ): Promise<void> {
    await em.execute(
      `insert into participants (id, tenant, session_id, patient_id, appointment_number, status)
       values (?, ?, ?, ?, ?, ?)
       on conflict (id) do update set status = excluded.status where participants.tenant = excluded.tenant`,
      [p.participantId, tenant, p.sessionId, p.patientId, p.appointmentNumber, p.status],
    );
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

function participantOf(row: Record<string, unknown>): ParticipantFacts {
  return {
    id: row.id as string,
    sessionId: row.session_id as string,
    patientId: row.patient_id as string,
    appointmentNumber: row.appointment_number as string,
    status: row.status as string,
    calendarSequence: row.calendar_sequence as number,
  };
}
