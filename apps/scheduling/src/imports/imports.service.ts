// Importing a batch of legacy appointments. The batch is one transaction (one at a time per tenant) and each row a
// savepoint in it, so a row is written whole (session, participant, audit, events) or refused with its reason while
// the others go on. A row
// whose appointment number is here already is EXISTS and changes nothing: that is what makes a re-run, or a run
// resumed after it was killed, create nothing twice. A dry run does all of it and rolls the transaction back.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  clinicTimeToUtc,
  ImportAppointments,
  ImportResultBody,
  ImportRow,
  ParticipantBooked,
  SessionScheduled,
} from '@agdar/contracts';
import { AuthUser, contextOf, DomainError, ProblemFilter, UseCaseContext, WritePath } from '@agdar/service-kit';
import { schedulingConstraints } from '../constraints';
import { diff, recordAudit } from '../sessions/audit';
import { NumberSequences } from '../sessions/numbers';
import { BatchReferences, IMPORT_FACTS, ImportsRepository } from './imports.repository';
import { gatesOfImported, ownNumberOf, sessionStatusOfImported, stampsOfImported } from './import-rules';

type Result = ImportResultBody['results'][number];

/** Thrown at the end of a dry run so its transaction rolls back; carries what the run found. */
class DryRunDone extends Error {
  constructor(readonly results: Result[]) {
    super('dry run');
  }
}

const problems = new ProblemFilter(schedulingConstraints);

@Injectable()
export class ImportsService {
  constructor(
    private readonly writes: WritePath,
    private readonly imports: ImportsRepository,
    private readonly numbers: NumberSequences,
  ) {}

  async importAppointments(user: AuthUser, input: ImportAppointments): Promise<ImportResultBody> {
    try {
      const results = await this.writes.run(user, async (ctx) => {
        await this.imports.lockTenantImports(ctx.em, user.tenant);
        const references = await this.imports.referencesOf(ctx.em, user.tenant, input.rows);
        const results: Result[] = [];
        for (const row of input.rows) results.push(await this.importRow(ctx, input, row, references));
        if (input.dryRun) throw new DryRunDone(results);
        return results;
      });
      return { results };
    } catch (error) {
      if (error instanceof DryRunDone) return { results: error.results };
      throw error;
    }
  }

  private async importRow(
    ctx: UseCaseContext,
    input: ImportAppointments,
    row: ImportRow,
    references: BatchReferences,
  ): Promise<Result> {
    const base = { row: row.row, appointmentNumber: row.appointmentNumber };
    const existing = references.existing.get(row.appointmentNumber);
    if (existing) {
      // Imported before from the same record: nothing to do. Otherwise the number is someone else's appointment.
      if (existing.sourceId === row.sourceId)
        return { ...base, outcome: 'EXISTS', reason: null, detail: null, sessionId: existing.sessionId };
      return refused(base, 'CONFLICT', `Appointment number ${row.appointmentNumber} belongs to another appointment.`);
    }
    try {
      const sessionId = await ctx.em.transactional((em) =>
        this.writeRow(contextOf(em, ctx.meta), em, input, row, references),
      );
      // Later rows of the batch with the same number (the file repeats it) find this one.
      references.existing.set(row.appointmentNumber, { sessionId, sourceId: row.sourceId });
      return { ...base, outcome: 'CREATED', reason: null, detail: null, sessionId };
    } catch (error) {
      const problem = problems.toProblem(error);
      if (problem.status >= 500) throw error; // the database is away: the batch fails whole and is sent again
      return refused(base, problem.code, problem.detail);
    }
  }

  /** One appointment: its session, its participant, the audit entry and the two events, in the row's savepoint. */
  private async writeRow(
    ctx: UseCaseContext,
    em: EntityManager,
    input: ImportAppointments,
    row: ImportRow,
    references: BatchReferences,
  ): Promise<string> {
    const tenant = ctx.meta.tenant;
    const clinic = references.clinics.get(row.clinicId);
    if (!clinic) throw new DomainError('NOT_FOUND', `Clinic ${row.clinicId} does not exist in your tenant.`);
    const room = references.rooms.get(row.roomId);
    if (!room) throw new DomainError('NOT_FOUND', `Room ${row.roomId} does not exist in your tenant.`);
    if (room.clinicId !== row.clinicId) throw new DomainError('ROOM_NOT_IN_CLINIC', 'The room is not in that clinic.');
    if (!references.providers.has(row.providerId))
      throw new DomainError('NOT_FOUND', `Provider ${row.providerId} does not exist in your tenant.`);
    if (!references.serviceTypes.has(row.serviceTypeId))
      throw new DomainError('NOT_FOUND', `Service type ${row.serviceTypeId} does not exist in your tenant.`);
    if (row.newPatient && !input.dryRun) throw new DomainError('VALIDATION_FAILED', 'newPatient is for dry runs only.');
    if (row.newPatient && !references.patients.has(row.patientId)) {
      // A dry run of a row whose patient the importer would register first: a stand-in, rolled back with the run.
      if (!(await this.imports.insertStandInPatient(em, tenant, row.patientId, row.newPatient.nameEn)))
        throw new DomainError('VALIDATION_FAILED', `Patient ${row.patientId} exists already; it needs no stand-in.`);
      references.patients.set(row.patientId, {
        nameEn: row.newPatient.nameEn,
        nameAr: null,
        consentVerified: false,
      });
    }
    const patient = references.patients.get(row.patientId);
    if (!patient)
      throw new DomainError(
        'PATIENT_UNKNOWN',
        `Scheduling has not learnt of patient ${row.patientId} yet; send the row again in a moment.`,
      );
    const startsAt = clinicTimeToUtc(row.scheduledDate, row.scheduledTime, clinic.timezone);
    if (!startsAt)
      throw new DomainError(
        'INVALID_TIME',
        `${row.scheduledDate} ${row.scheduledTime} does not exist in ${clinic.timezone} (a daylight-saving change).`,
      );
    const endsAt = new Date(startsAt.getTime() + row.durationMinutes * 60000);
    const year = Number(row.scheduledDate.slice(0, 4));
    const own = ownNumberOf(row.appointmentNumber, tenant);
    if (own && !input.dryRun) await this.numbers.reserve(em, tenant, 'APT', own.year, own.value);
    const sessionStatus = sessionStatusOfImported(row.status);
    const stamps = stampsOfImported(row.status, startsAt);
    const gates = gatesOfImported(row, patient);
    const now = new Date();
    const session = {
      id: randomUUID(),
      tenant,
      // A dry run draws no number (a sequence would not roll back with it).
      sessionNumber: input.dryRun ? `SES-DRY-RUN-${randomUUID()}` : await this.numbers.next(em, tenant, 'SES', year),
      providerId: row.providerId,
      clinicId: row.clinicId,
      roomId: row.roomId,
      serviceTypeId: row.serviceTypeId,
      scheduledDate: row.scheduledDate,
      scheduledTime: row.scheduledTime,
      durationMinutes: row.durationMinutes,
      timezone: clinic.timezone,
      startsAt,
      endsAt,
      status: sessionStatus,
      cancellationReason: sessionStatus === 'CANCELLED' ? stamps.cancellationReason : null,
      importSource: input.source,
      importSourceId: row.sourceId,
      now,
    };
    await this.imports.insertSession(em, session);
    const participant = {
      id: randomUUID(),
      tenant,
      sessionId: session.id,
      patientId: row.patientId,
      appointmentNumber: row.appointmentNumber,
      status: row.status,
      ...gates,
      startsAt,
      endsAt,
      ...stamps,
      individualNotes: row.notes,
      now,
    };
    await this.imports.insertParticipant(em, participant);
    await recordAudit(ctx, {
      sessionId: session.id,
      participantId: participant.id,
      action: 'SESSION_IMPORTED',
      changes: diff(
        {},
        {
          source: input.source,
          sourceId: row.sourceId,
          sourceRow: row.row,
          appointmentNumber: row.appointmentNumber,
          status: row.status,
        },
      ),
    });
    const snapshot = {
      sessionId: session.id,
      version: IMPORT_FACTS - 1,
      sessionNumber: session.sessionNumber,
      sessionType: 'INDIVIDUAL' as const,
      status: sessionStatus,
      maxCapacity: 1,
      clinicId: row.clinicId,
      roomId: row.roomId,
      providerId: row.providerId,
      serviceTypeId: row.serviceTypeId,
      timezone: clinic.timezone,
      scheduledDate: row.scheduledDate,
      scheduledTime: row.scheduledTime,
      durationMinutes: row.durationMinutes,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
    };
    await ctx.publish(SessionScheduled, { session: snapshot });
    await ctx.publish(ParticipantBooked, {
      session: { ...snapshot, version: IMPORT_FACTS },
      participantId: participant.id,
      appointmentNumber: row.appointmentNumber,
      patientId: row.patientId,
      ...gates,
      imported: {
        source: input.source,
        sourceId: row.sourceId,
        status: row.status,
        legacyBilled: row.legacyBilled,
        notify: input.notify,
      },
    });
    return session.id;
  }
}

function refused(base: { row: number; appointmentNumber: string }, reason: string, detail: string): Result {
  return { ...base, outcome: 'REFUSED', reason, detail, sessionId: null };
}
