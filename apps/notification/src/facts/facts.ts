// What notification knows of other services' facts, as its repositories hand them to the use cases, and the one
// mapping from each table's rows.
import { Channel, Language } from '@agdar/contracts';

export interface TenantFacts {
  code: string;
  name: string;
  nameAr: string | null;
  timezone: string;
}

export type TenantRow = { code: string; name: string; name_ar: string | null; timezone: string };

export const tenantFactsOf = (row: TenantRow): TenantFacts => ({
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

export function contactOf(row: Record<string, any>): Contact {
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

export function sessionOf(row: Record<string, any>): SessionFacts {
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

export function participantOf(row: Record<string, unknown>): ParticipantFacts {
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
