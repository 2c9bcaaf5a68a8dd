// Use cases of sessions and their participants. Every write locks the session row first (SELECT … FOR UPDATE) and
// does its counting, checking, writing, audit and outbox in that one transaction: concurrent bookings, capacity
// changes and cancellations of a session are serialised, so no interleaving can overbook it. Row lock rather than
// SERIALIZABLE: contenders wait instead of failing, so callers never need to retry.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  AddPatient,
  AuditEntryBody,
  AvailableSessionsQuery,
  CreateSession,
  EventMeta,
  Page,
  ParticipantBody,
  ParticipantBooked,
  ParticipantCancelled,
  ParticipantStatus,
  ParticipantStatusChanged,
  ParticipantUpdated,
  SessionBody,
  SessionCancelled,
  SessionCompleted,
  SessionFull,
  SessionQuery,
  SessionRescheduled,
  SessionScheduled,
  SessionStarted,
  SessionUpdated,
  SpotOpened,
  UpdateParticipant,
  UpdateSession,
} from '@agdar/contracts';
import { addToOutbox, OutboxRelay } from '@agdar/messaging';
import { AuthUser, DomainError, metaOf, notFound } from '@agdar/service-kit';
import { Clinic, Provider, Room, ServiceType } from '../directory/directory.entities';
import { AuditActor, diff, recordAudit, toAuditEntryBody } from './audit';
import { AuditEntry } from './audit-entry.entity';
import { clinicTimeToUtc, clinicToday } from './clinic-time';
import { NumberSequences } from './numbers';
import { Participant } from './participant.entity';
import { Session } from './session.entity';
import {
  ACTIVE_STATUSES,
  assertCanAdd,
  assertCanReschedule,
  assertCapacityChange,
  assertParticipantTransition,
  assertSessionTransition,
  capacityOf,
  isActive,
  statusOnCompletion,
} from './session-rules';
import { participantAuditFields, sessionAuditFields, snapshotOf, toParticipantBody, toSessionBody } from './session-views';

interface WriteContext {
  em: EntityManager;
  meta: EventMeta;
  by: AuditActor;
}

const fieldError = (code: string, field: string, message: string, detail: string) => new DomainError(code, detail, [{ field, message }]);

@Injectable()
export class SessionsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly relay: OutboxRelay,
    private readonly numbers: NumberSequences,
  ) {}

  async createSession(user: AuthUser, input: CreateSession): Promise<SessionBody> {
    const session = await this.write(user, async ({ em, meta, by }) => {
      const clinic = await this.reference(em, Clinic, user.tenant, input.clinicId, 'clinicId');
      const room = await this.reference(em, Room, user.tenant, input.roomId, 'roomId');
      if (room.clinicId !== clinic.id) throw fieldError('ROOM_NOT_IN_CLINIC', 'roomId', 'is in another clinic', `Room ${room.name} is not in clinic ${clinic.name}.`);
      await this.reference(em, Provider, user.tenant, input.providerId, 'providerId');
      await this.reference(em, ServiceType, user.tenant, input.serviceTypeId, 'serviceTypeId');
      const times = sessionTimes(input.scheduledDate, input.scheduledTime, input.durationMinutes, clinic.timezone);
      const session = em.create(Session, {
        tenant: user.tenant,
        sessionNumber: await this.numbers.next(em, user.tenant, 'SES', Number(clinicToday(clinic.timezone).slice(0, 4))),
        sessionType: input.sessionType,
        maxCapacity: input.maxCapacity,
        providerId: input.providerId,
        clinicId: input.clinicId,
        roomId: input.roomId,
        serviceTypeId: input.serviceTypeId,
        scheduledDate: input.scheduledDate,
        scheduledTime: input.scheduledTime,
        durationMinutes: input.durationMinutes,
        timezone: clinic.timezone,
        ...times,
        status: 'SCHEDULED',
        groupNotes: input.groupNotes ?? null,
        cancellationReason: null,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await recordAudit(em, by, { sessionId: session.id, action: 'SESSION_SCHEDULED', changes: diff({}, sessionAuditFields(session)) });
      await addToOutbox(em, SessionScheduled, { session: snapshotOf(session) }, meta);
      return session;
    });
    return toSessionBody(session, []);
  }

  async getSession(user: AuthUser, id: string): Promise<SessionBody> {
    const em = this.orm.em.fork();
    const session = await em.findOne(Session, { id, tenant: user.tenant });
    if (!session) throw notFound('Session', id);
    return toSessionBody(session, await em.find(Participant, { sessionId: id }));
  }

  async listSessions(user: AuthUser, query: SessionQuery): Promise<Page<SessionBody>> {
    const where = {
      tenant: user.tenant,
      ...(query.sessionType ? { sessionType: query.sessionType } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.clinicId ? { clinicId: query.clinicId } : {}),
      ...(query.providerId ? { providerId: query.providerId } : {}),
      ...(query.from || query.to ? { scheduledDate: { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) } } : {}),
    };
    const em = this.orm.em.fork();
    const [sessions, total] = await em.findAndCount(Session, where, {
      orderBy: { startsAt: 'asc', id: 'asc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: await this.withParticipants(em, sessions), total, page: query.page, pageSize: query.pageSize };
  }

  /** Group sessions of a clinic that have not started and still have a spot. */
  async availableSessions(user: AuthUser, query: AvailableSessionsQuery): Promise<Page<SessionBody>> {
    const em = this.orm.em.fork();
    const filter = `from sessions s
      where s.tenant = ? and s.clinic_id = ? and s.session_type = 'GROUP' and s.status = 'SCHEDULED' and s.starts_at > now()
        and s.scheduled_date between ? and ? ${query.serviceTypeId ? 'and s.service_type_id = ?' : ''}
        and s.max_capacity > (select count(*) from participants p where p.session_id = s.id and p.status <> 'CANCELLED')`;
    const params = [user.tenant, query.clinicId, query.from, query.to, ...(query.serviceTypeId ? [query.serviceTypeId] : [])];
    const [{ total }] = await em.execute<{ total: string }[]>(`select count(*) as total ${filter}`, params);
    const rows = await em.execute<{ id: string }[]>(`select s.id ${filter} order by s.starts_at, s.id limit ? offset ?`, [
      ...params,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    ]);
    const sessions = await em.find(Session, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { startsAt: 'asc', id: 'asc' } });
    return { items: await this.withParticipants(em, sessions), total: Number(total), page: query.page, pageSize: query.pageSize };
  }

  async updateSession(user: AuthUser, id: string, input: UpdateSession): Promise<SessionBody> {
    const { session, participants } = await this.write(user, async (ctx) => {
      const { em, meta, by } = ctx;
      const session = await this.lockSession(em, user.tenant, id);
      const participants = await em.find(Participant, { sessionId: id });
      const activeCount = participants.filter((p) => isActive(p.status)).length;
      const before = sessionAuditFields(session);
      const wasFull = capacityOf(session.maxCapacity, activeCount).isFull;
      const changed: string[] = [];

      if (input.groupNotes !== undefined && (input.groupNotes ?? null) !== session.groupNotes) {
        session.groupNotes = input.groupNotes ?? null;
        changed.push('groupNotes');
      }
      if (input.maxCapacity !== undefined && input.maxCapacity !== session.maxCapacity) {
        assertCapacityChange(session, input.maxCapacity, activeCount);
        session.maxCapacity = input.maxCapacity;
        changed.push('maxCapacity');
      }
      const rescheduled = await this.reschedule(em, user.tenant, session, participants, input);

      if (changed.length) await addToOutbox(em, SessionUpdated, { session: snapshotOf(session), changedFields: changed }, meta);
      if (rescheduled) await addToOutbox(em, SessionRescheduled, { session: snapshotOf(session), ...rescheduled }, meta);
      if (wasFull && !capacityOf(session.maxCapacity, activeCount).isFull && session.status === 'SCHEDULED') {
        await addToOutbox(em, SpotOpened, { session: snapshotOf(session), availableSpots: session.maxCapacity - activeCount }, meta);
      }
      const moving = input.status !== undefined && input.status !== session.status;
      if (!moving && !changed.length && !rescheduled) return { session, participants }; // nothing to change, nothing to record
      session.updatedAt = new Date();
      if (moving) await this.moveSession(ctx, session, participants, input.status!, input.reason ?? null);

      const action = moving ? `SESSION_${input.status === 'IN_PROGRESS' ? 'STARTED' : input.status}` : rescheduled ? 'SESSION_RESCHEDULED' : 'SESSION_UPDATED';
      await recordAudit(em, by, { sessionId: session.id, action, changes: diff(before, sessionAuditFields(session)) });
      return { session, participants };
    });
    return toSessionBody(session, participants);
  }

  async addPatient(user: AuthUser, sessionId: string, input: AddPatient): Promise<ParticipantBody> {
    const participant = await this.write(user, async ({ em, meta, by }) => {
      // Reads that do not depend on the seat count happen before the lock, so the lock is held as briefly as possible.
      const [patient] = await em.execute<{ financeCleared: boolean; consentVerified: boolean }[]>(
        `select finance_cleared as "financeCleared", consent_verified as "consentVerified" from patients where id = ? and tenant = ?`,
        [input.patientId, user.tenant],
      );
      if (!patient) {
        throw fieldError('NOT_FOUND', 'patientId', 'is not a known patient', `Patient ${input.patientId} is not known to scheduling; if it was registered a moment ago, retry shortly.`);
      }
      const session = await this.lockSession(em, user.tenant, sessionId);
      const seats = await this.seatsOf(em, sessionId, input.patientId);
      if (seats.enrolled) throw new DomainError('ALREADY_ENROLLED', 'The patient is already in this session.');
      assertCanAdd(session, seats.active);
      // A patient in an overlapping session is refused by participants_patient_overlap at flush (409 PATIENT_CONFLICT):
      // no pre-check, since only the constraint holds when two bookings of the patient race in different sessions.

      const participant = em.create(Participant, {
        tenant: user.tenant,
        sessionId,
        patientId: input.patientId,
        appointmentNumber: await this.numbers.next(em, user.tenant, 'APT', Number(clinicToday(session.timezone).slice(0, 4))),
        status: 'BOOKED',
        financeCleared: patient.financeCleared,
        consentVerified: patient.consentVerified,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        individualNotes: input.individualNotes ?? null,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      session.updatedAt = new Date();
      await recordAudit(em, by, { sessionId, participantId: participant.id, action: 'PARTICIPANT_BOOKED', changes: diff({}, participantAuditFields(participant)) });
      await addToOutbox(em, ParticipantBooked, { ...participantFacts(session, participant), financeCleared: participant.financeCleared, consentVerified: participant.consentVerified }, meta);
      if (seats.active + 1 === session.maxCapacity) await addToOutbox(em, SessionFull, { session: snapshotOf(session) }, meta);
      return participant;
    });
    return toParticipantBody(participant);
  }

  async updateParticipant(user: AuthUser, sessionId: string, participantId: string, input: UpdateParticipant, action = 'PARTICIPANT_UPDATED'): Promise<ParticipantBody> {
    const participant = await this.write(user, async ({ em, meta, by }) => {
      const session = await this.lockSession(em, user.tenant, sessionId);
      const participant = await em.findOne(Participant, { id: participantId, sessionId, tenant: user.tenant });
      if (!participant) throw notFound('Participant', participantId);
      const before = participantAuditFields(participant);
      const from = participant.status;
      const to = input.status ?? from;
      if ((input.noShowReason !== undefined || input.noShowNotes !== undefined) && to !== 'NO_SHOW') {
        throw fieldError('VALIDATION_FAILED', 'noShowReason', 'is only for a NO_SHOW participant', 'No-show reason and notes belong to a NO_SHOW participant.');
      }
      const wasFull = to === 'CANCELLED' && from !== 'CANCELLED' && (await this.activeCount(em, sessionId)) >= session.maxCapacity;
      if (to !== from) {
        assertParticipantTransition(participant, to, session.status);
        applyStatus(participant, to, to === 'CANCELLED' ? (input.cancellationReason ?? 'Cancelled by staff') : null);
      }
      const notesChanged: string[] = [];
      for (const field of ['individualNotes', 'noShowReason', 'noShowNotes'] as const) {
        if (input[field] !== undefined && (input[field] ?? null) !== participant[field]) {
          participant[field] = input[field] ?? null;
          notesChanged.push(field);
        }
      }
      if (to === from && !notesChanged.length) return participant;
      participant.updatedAt = new Date();
      session.updatedAt = new Date();

      const facts = participantFacts(session, participant);
      if (to === 'CANCELLED' && from !== 'CANCELLED') await addToOutbox(em, ParticipantCancelled, { ...facts, from, reason: participant.cancellationReason! }, meta);
      else if (to !== from) await addToOutbox(em, ParticipantStatusChanged, { ...facts, from, to, reason: participant.noShowReason ?? null }, meta);
      else await addToOutbox(em, ParticipantUpdated, { ...facts, changedFields: notesChanged }, meta);
      if (wasFull && session.status === 'SCHEDULED') await addToOutbox(em, SpotOpened, { session: snapshotOf(session), availableSpots: 1 }, meta);
      await recordAudit(em, by, { sessionId, participantId, action: to !== from ? `PARTICIPANT_${to}` : action, changes: diff(before, participantAuditFields(participant)) });
      return participant;
    });
    return toParticipantBody(participant);
  }

  removeParticipant(user: AuthUser, sessionId: string, participantId: string, reason: string): Promise<ParticipantBody> {
    return this.updateParticipant(user, sessionId, participantId, { status: 'CANCELLED', cancellationReason: reason });
  }

  async history(user: AuthUser, sessionId: string): Promise<AuditEntryBody[]> {
    const em = this.orm.em.fork();
    if (!(await em.count(Session, { id: sessionId, tenant: user.tenant }))) throw notFound('Session', sessionId);
    const entries = await em.find(AuditEntry, { sessionId, tenant: user.tenant }, { orderBy: { id: 'asc' } });
    return entries.map(toAuditEntryBody);
  }

  /** Runs a use case in one transaction with what it needs to write events and audit rows; wakes the relay after. */
  private async write<T>(user: AuthUser, useCase: (ctx: WriteContext) => Promise<T>): Promise<T> {
    const meta = metaOf(user);
    const by: AuditActor = { tenant: user.tenant, actor: user.sub, correlationId: meta.correlationId };
    const result = await this.orm.em.fork().transactional((em) => useCase({ em, meta, by }));
    this.relay.nudge();
    return result;
  }

  /** SELECT … FOR UPDATE in plain SQL (every write starts here, bookings most of all); the row becomes a managed Session. */
  private async lockSession(em: EntityManager, tenant: string, id: string): Promise<Session> {
    const [row] = await em.execute(`select * from sessions where id = ? and tenant = ? for update`, [id, tenant]);
    if (!row) throw notFound('Session', id);
    return em.map(Session, row);
  }

  /** A session's active seats and whether the patient holds one: counted in the database, not loaded (bookings are hot). */
  private async seatsOf(em: EntityManager, sessionId: string, patientId: string): Promise<{ active: number; enrolled: boolean }> {
    const [seats] = await em.execute<{ active: number; enrolled: boolean }[]>(
      `select count(*)::int as active, coalesce(bool_or(patient_id = ?), false) as enrolled
       from participants where session_id = ? and status in (${ACTIVE_STATUSES.map(() => '?').join(', ')})`,
      [patientId, sessionId, ...ACTIVE_STATUSES],
    );
    return seats;
  }

  private activeCount(em: EntityManager, sessionId: string): Promise<number> {
    return em.count(Participant, { sessionId, status: { $in: [...ACTIVE_STATUSES] } });
  }

  private async reference<E extends { id: string }>(em: EntityManager, entity: new () => E, tenant: string, id: string, field: string): Promise<E> {
    const found = await em.findOne(entity, { id, tenant } as never);
    if (!found) throw fieldError('NOT_FOUND', field, 'does not exist', `${entity.name.replace(/([a-z])([A-Z])/g, '$1 $2')} ${id} does not exist in your tenant.`);
    return found as E;
  }

  /** Applies date, time, duration, room and provider changes; the database refuses overlaps (409 by constraint). */
  private async reschedule(em: EntityManager, tenant: string, session: Session, participants: Participant[], input: UpdateSession) {
    const fields = ['scheduledDate', 'scheduledTime', 'durationMinutes', 'roomId', 'providerId'] as const;
    const changedFields = fields.filter((f) => input[f] !== undefined && input[f] !== session[f]);
    if (!changedFields.length) return null;
    assertCanReschedule(session);
    if (input.roomId && input.roomId !== session.roomId) {
      const room = await this.reference(em, Room, tenant, input.roomId, 'roomId');
      if (room.clinicId !== session.clinicId) throw fieldError('ROOM_NOT_IN_CLINIC', 'roomId', 'is in another clinic', `Room ${room.name} is not in this session's clinic.`);
    }
    if (input.providerId && input.providerId !== session.providerId) await this.reference(em, Provider, tenant, input.providerId, 'providerId');
    const previous = { previousStartsAt: session.startsAt.toISOString(), previousEndsAt: session.endsAt.toISOString() };
    for (const f of changedFields) (session as unknown as Record<string, unknown>)[f] = input[f];
    Object.assign(session, sessionTimes(session.scheduledDate, session.scheduledTime, session.durationMinutes, session.timezone));
    for (const p of participants) {
      p.startsAt = session.startsAt;
      p.endsAt = session.endsAt;
    }
    return { ...previous, changedFields: [...changedFields] };
  }

  private async moveSession(ctx: WriteContext, session: Session, participants: Participant[], to: 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED', reason: string | null): Promise<void> {
    const { em, meta, by } = ctx;
    assertSessionTransition(session.status, to);
    session.status = to;
    if (to === 'IN_PROGRESS') {
      await addToOutbox(em, SessionStarted, { session: snapshotOf(session) }, meta);
      return;
    }
    const sideEffects = participants.flatMap((p) => {
      const effect = to === 'COMPLETED' ? statusOnCompletion(p.status) : isActive(p.status) ? { to: 'CANCELLED' as const, reason: `Session cancelled: ${reason}` } : null;
      return effect ? [{ participant: p, from: p.status, ...effect }] : [];
    });
    for (const { participant, from, to: next, reason: why } of sideEffects) {
      const before = participantAuditFields(participant);
      applyStatus(participant, next, next === 'CANCELLED' ? why : null);
      if (next === 'NO_SHOW') participant.noShowReason = why;
      participant.updatedAt = new Date();
      const facts = participantFacts(session, participant);
      if (next === 'CANCELLED') await addToOutbox(em, ParticipantCancelled, { ...facts, from, reason: why! }, meta);
      else await addToOutbox(em, ParticipantStatusChanged, { ...facts, from, to: next, reason: why }, meta);
      await recordAudit(em, by, { sessionId: session.id, participantId: participant.id, action: `PARTICIPANT_${next}`, changes: diff(before, participantAuditFields(participant)) });
    }
    if (to === 'COMPLETED') {
      const count = (s: ParticipantStatus) => participants.filter((p) => p.status === s).length;
      await addToOutbox(em, SessionCompleted, { session: snapshotOf(session), attended: count('ATTENDED'), noShows: count('NO_SHOW') }, meta);
    } else {
      session.cancellationReason = reason;
      await addToOutbox(em, SessionCancelled, { session: snapshotOf(session), reason: reason!, cancelledParticipants: sideEffects.length }, meta);
    }
  }

  private async withParticipants(em: EntityManager, sessions: Session[]): Promise<SessionBody[]> {
    const participants = sessions.length ? await em.find(Participant, { sessionId: { $in: sessions.map((s) => s.id) } }) : [];
    return sessions.map((s) => toSessionBody(s, participants.filter((p) => p.sessionId === s.id)));
  }
}

function sessionTimes(date: string, time: string, durationMinutes: number, timezone: string): { startsAt: Date; endsAt: Date } {
  const startsAt = clinicTimeToUtc(date, time, timezone);
  if (!startsAt) throw fieldError('VALIDATION_FAILED', 'scheduledTime', `does not exist on ${date} in ${timezone}`, `${date} ${time} does not exist in ${timezone} (a daylight-saving change); choose another time.`);
  return { startsAt, endsAt: new Date(startsAt.getTime() + durationMinutes * 60000) };
}

function applyStatus(p: Participant, to: ParticipantStatus, cancellationReason: string | null): void {
  p.status = to;
  if (to === 'ARRIVED') p.arrivalAt = new Date();
  if (to === 'ATTENDED') p.attendedAt = new Date();
  if (to === 'CANCELLED') p.cancellationReason = cancellationReason;
}

function participantFacts(session: Session, p: Participant) {
  return { session: snapshotOf(session), participantId: p.id, appointmentNumber: p.appointmentNumber, patientId: p.patientId };
}
