// The SQL of the appointment import: what a batch refers to (looked up once per batch), which of its appointment
// numbers are here already, and the session and participant rows themselves (plain inserts, as the audit and outbox).
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

export interface BatchPatient {
  nameEn: string;
  nameAr: string | null;
  consentVerified: boolean;
}

export interface BatchReferences {
  clinics: Map<string, { timezone: string }>;
  rooms: Map<string, { clinicId: string }>;
  providers: Set<string>;
  serviceTypes: Set<string>;
  /** The batch's patients as scheduling knows them: names, and the real consent and payment facts (read FOR SHARE). */
  patients: Map<string, BatchPatient>;
  /** Appointment numbers already here, with the legacy record they were imported from (null: one of ours). */
  existing: Map<string, { sessionId: string; sourceId: string | null }>;
}

export interface ImportedSessionRow {
  id: string;
  tenant: string;
  sessionNumber: string;
  providerId: string;
  clinicId: string;
  roomId: string;
  serviceTypeId: string;
  scheduledDate: string;
  scheduledTime: string;
  durationMinutes: number;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  cancellationReason: string | null;
  importSource: string;
  importSourceId: string;
  now: Date;
}

export interface ImportedParticipantRow {
  id: string;
  tenant: string;
  sessionId: string;
  patientId: string;
  appointmentNumber: string;
  status: string;
  financeCleared: boolean;
  consentVerified: boolean;
  startsAt: Date;
  endsAt: Date;
  arrivalAt: Date | null;
  attendedAt: Date | null;
  individualNotes: string | null;
  cancellationReason: string | null;
  now: Date;
}

/** Runs the queries in turn (each a thunk), with Promise.all's typing of the results. */
async function sequentially<T extends readonly (() => Promise<unknown>)[]>(
  queries: T,
): Promise<{ [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query());
  return results as { [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

const ids = <T>(rows: T[], pick: (row: T) => string) => [...new Set(rows.map(pick))];

/** A PostgreSQL array literal of texts, each quoted (a bound array would be spread into a list by the driver). */
function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
}

/** An imported appointment publishes two facts, SessionScheduled (version 1) and ParticipantBooked (version 2). */
export const IMPORT_FACTS = 2;

@Injectable()
export class ImportsRepository {
  /**
   * One import batch of a tenant at a time. A run killed mid-batch leaves that request running on the server; the run
   * started again waits here for it to commit, and then finds its rows imported (EXISTS) instead of racing them into
   * the constraints. Two people importing at once are serialised the same way.
   */
  async lockTenantImports(em: EntityManager, tenant: string): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtext('appointment-import:' || ?))`, [tenant]);
  }

  async referencesOf(
    em: EntityManager,
    tenant: string,
    rows: {
      clinicId: string;
      roomId: string;
      providerId: string;
      serviceTypeId: string;
      patientId: string;
      appointmentNumber: string;
    }[],
  ): Promise<BatchReferences> {
    const byIds = <R>(sql: string, values: string[]) => em.execute<R[]>(sql, [tenant, arrayLiteral(values)]);
    // One after another: they share the transaction's connection, which runs one query at a time.
    const [clinics, rooms, providers, serviceTypes, patients, existing] = await sequentially([
      () =>
        byIds<{ id: string; timezone: string }>(
          'select id, timezone from clinics where tenant = ? and id = any(?::uuid[])',
          ids(rows, (r) => r.clinicId),
        ),
      () =>
        byIds<{ id: string; clinic_id: string }>(
          'select id, clinic_id from rooms where tenant = ? and id = any(?::uuid[])',
          ids(rows, (r) => r.roomId),
        ),
      () =>
        byIds<{ id: string }>(
          'select id from providers where tenant = ? and id = any(?::uuid[])',
          ids(rows, (r) => r.providerId),
        ),
      () =>
        byIds<{ id: string }>(
          'select id from service_types where tenant = ? and id = any(?::uuid[])',
          ids(rows, (r) => r.serviceTypeId),
        ),
      () =>
        byIds<{
          id: string;
          display_name: string;
          display_name_ar: string | null;
          consent_verified: boolean;
        }>(
          `select id, display_name, display_name_ar, consent_verified
           from patients where tenant = ? and id = any(?::uuid[]) for share`,
          ids(rows, (r) => r.patientId),
        ),
      () =>
        byIds<{ appointment_number: string; session_id: string; import_source_id: string | null }>(
          `select p.appointment_number, p.session_id, s.import_source_id from participants p
         join sessions s on s.id = p.session_id where p.tenant = ? and p.appointment_number = any(?::text[])`,
          ids(rows, (r) => r.appointmentNumber),
        ),
    ] as const);
    return {
      clinics: new Map(clinics.map((c) => [c.id, { timezone: c.timezone }])),
      rooms: new Map(rooms.map((r) => [r.id, { clinicId: r.clinic_id }])),
      providers: new Set(providers.map((p) => p.id)),
      serviceTypes: new Set(serviceTypes.map((s) => s.id)),
      patients: new Map(
        patients.map((p) => [
          p.id,
          {
            nameEn: p.display_name,
            nameAr: p.display_name_ar,
            consentVerified: p.consent_verified,
          },
        ]),
      ),
      existing: new Map(
        existing.map((e) => [e.appointment_number, { sessionId: e.session_id, sourceId: e.import_source_id }]),
      ),
    };
  }

  /**
   * A patient scheduling has not learnt of, for a dry run only (the run's transaction rolls it back). False when the
   * id is taken already, by this tenant's patient or another's.
   */
  async insertStandInPatient(em: EntityManager, tenant: string, id: string, name: string): Promise<boolean> {
    const inserted = await em.execute<{ id: string }[]>(
      `insert into patients (id, tenant, display_name, consent_verified, updated_at)
       values (?, ?, ?, false, now()) on conflict (id) do nothing returning id`,
      [id, tenant, name],
    );
    return inserted.length === 1;
  }

  async insertSession(em: EntityManager, s: ImportedSessionRow): Promise<void> {
    await em.execute(
      `insert into sessions (id, tenant, session_number, session_type, max_capacity, provider_id, clinic_id, room_id,
         service_type_id, scheduled_date, scheduled_time, duration_minutes, timezone, starts_at, ends_at, status,
         group_notes, cancellation_reason, created_at, updated_at, import_source, import_source_id, version)
       values (?, ?, ?, 'INDIVIDUAL', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, ${IMPORT_FACTS})`,
      [
        s.id,
        s.tenant,
        s.sessionNumber,
        s.providerId,
        s.clinicId,
        s.roomId,
        s.serviceTypeId,
        s.scheduledDate,
        s.scheduledTime,
        s.durationMinutes,
        s.timezone,
        s.startsAt,
        s.endsAt,
        s.status,
        s.cancellationReason,
        s.now,
        s.now,
        s.importSource,
        s.importSourceId,
      ],
    );
  }

  async insertParticipant(em: EntityManager, p: ImportedParticipantRow): Promise<void> {
    await em.execute(
      `insert into participants (id, tenant, session_id, patient_id, appointment_number, status, finance_cleared,
         consent_verified, starts_at, ends_at, arrival_at, attended_at, individual_notes, cancellation_reason,
         created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        p.id,
        p.tenant,
        p.sessionId,
        p.patientId,
        p.appointmentNumber,
        p.status,
        p.financeCleared,
        p.consentVerified,
        p.startsAt,
        p.endsAt,
        p.arrivalAt,
        p.attendedAt,
        p.individualNotes,
        p.cancellationReason,
        p.now,
        p.now,
      ],
    );
  }
}
