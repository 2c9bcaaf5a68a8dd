// Use cases of sessions themselves (a seat's are in participants.service.ts). Every write locks the session row first
// (SELECT … FOR UPDATE) and does its counting, checking, writing, audit and outbox in that one transaction: concurrent
// bookings, capacity changes and cancellations of a session are serialised, so no interleaving can overbook it. Row
// lock rather than SERIALIZABLE: contenders wait instead of failing, so callers never need to retry. The rules are in
// session-rules.ts, time-rules.ts and action-rules.ts, the SQL in sessions.repository.ts.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  clinicTimeToUtc,
  clinicToday,
  AuditEntryBody,
  AvailableSessionsQuery,
  CreateSession,
  Page,
  PageRequest,
  ParticipantCancelled,
  ParticipantStatusChanged,
  SessionBody,
  SessionCancelled,
  SessionCompleted,
  SessionQuery,
  SessionRescheduled,
  SessionScheduled,
  SessionStarted,
  SessionUpdated,
  SpotOpened,
  UpdateSession,
} from '@agdar/contracts';
import { AuthUser, fieldProblem, mapPage, UseCaseContext, WritePath } from '@agdar/service-kit';
import { DirectoryRepository, KINDS } from '../directory/directory.repository';
import { diff, recordAudit, toAuditEntryBody } from './audit';
import { NumberSequences } from './numbers';
import { Participant } from './participant.entity';
import { Session } from './session.entity';
import {
  applyParticipantStatus,
  assertCanReschedule,
  assertCapacityChange,
  assertSessionTransition,
  capacityOf,
  completionMakesNoShows,
  completionTally,
  isActive,
  participantMoveOnSessionMove,
  sessionChangeAction,
  SessionMove,
  spotOpened,
} from './session-rules';
import { assertCanCompleteAt, assertCanStartAt, assertSchedulable } from './time-rules';
import { Viewer, viewerOf } from './action-rules';
import { SessionsRepository, SessionWithParticipants } from './sessions.repository';
import {
  participantAuditFields,
  sessionAuditFields,
  nextSnapshotOf,
  participantFactsOf,
  toSessionBody,
} from './session-views';

const RESCHEDULE_FIELDS = ['scheduledDate', 'scheduledTime', 'durationMinutes', 'roomId', 'providerId'] as const;

@Injectable()
export class SessionsService {
  constructor(
    private readonly writes: WritePath,
    private readonly sessions: SessionsRepository,
    private readonly directory: DirectoryRepository,
    private readonly numbers: NumberSequences,
  ) {}

  async createSession(user: AuthUser, input: CreateSession): Promise<SessionBody> {
    return this.writes.run(user, async (ctx) => {
      const { em } = ctx;
      const clinic = await this.directory.activeReference(em, KINDS.clinic, user.tenant, input.clinicId, 'clinicId');
      const room = await this.directory.activeReference(em, KINDS.room, user.tenant, input.roomId, 'roomId');
      if (room.clinicId !== clinic.id) throw roomNotInClinic(room.name, `clinic ${clinic.name}`);
      await this.directory.activeReference(em, KINDS.provider, user.tenant, input.providerId, 'providerId');
      await this.directory.activeReference(em, KINDS.serviceType, user.tenant, input.serviceTypeId, 'serviceTypeId');
      const session = em.create(Session, {
        ...input,
        tenant: user.tenant,
        sessionNumber: await this.numbers.nextOfClinicYear(em, user.tenant, 'SES', clinic.timezone),
        timezone: clinic.timezone,
        ...sessionTimes(input.scheduledDate, input.scheduledTime, input.durationMinutes, clinic.timezone),
        status: 'SCHEDULED',
        groupNotes: input.groupNotes ?? null,
        cancellationReason: null,
        version: 0,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await recordAudit(ctx, {
        sessionId: session.id,
        action: 'SESSION_SCHEDULED',
        changes: diff({}, sessionAuditFields(session)),
      });
      await ctx.publish(SessionScheduled, { session: nextSnapshotOf(session) });
      return toSessionBody(session, [], new Map(), await this.viewerOf(user, ctx.em));
    });
  }

  async getSession(user: AuthUser, id: string): Promise<SessionBody> {
    const found = await this.sessions.get(user.tenant, id);
    return bodyOf(await this.viewerOf(user))(found);
  }

  async listSessions(user: AuthUser, query: SessionQuery): Promise<Page<SessionBody>> {
    const page = await this.sessions.list(user.tenant, query);
    return mapPage(page, bodyOf(await this.viewerOf(user)));
  }

  async availableSessions(user: AuthUser, query: AvailableSessionsQuery): Promise<Page<SessionBody>> {
    const page = await this.sessions.available(user.tenant, query);
    return mapPage(page, bodyOf(await this.viewerOf(user)));
  }

  async history(user: AuthUser, sessionId: string, page: PageRequest): Promise<Page<AuditEntryBody>> {
    return mapPage(await this.sessions.history(user.tenant, sessionId, page), toAuditEntryBody);
  }

  /**
   * Notes, capacity, time and place, and the session's own status, in that order; a change of nothing records nothing.
   */
  async updateSession(user: AuthUser, id: string, input: UpdateSession): Promise<SessionBody> {
    const result = await this.writes.run(user, async (ctx) => {
      const session = await this.sessions.lock(ctx.em, user.tenant, id);
      const participants = await this.sessions.participantsOf(ctx.em, id);
      const activeCount = participants.filter((p) => isActive(p.status)).length;
      const before = sessionAuditFields(session);
      const wasFull = capacityOf(session.maxCapacity, activeCount).isFull;

      const changedFields = this.changeNotesAndCapacity(session, input, activeCount);
      const rescheduled = await this.reschedule(ctx, session, participants, input);
      const movesTo = input.status !== undefined && input.status !== session.status ? input.status : null;
      if (!changedFields.length && !rescheduled && !movesTo) return { session, participants };

      session.updatedAt = new Date();
      if (changedFields.length) await ctx.publish(SessionUpdated, { session: nextSnapshotOf(session), changedFields });
      if (rescheduled) await ctx.publish(SessionRescheduled, { session: nextSnapshotOf(session), ...rescheduled });
      if (spotOpened(wasFull, session.maxCapacity, activeCount, session.status)) {
        await ctx.publish(SpotOpened, {
          session: nextSnapshotOf(session),
          availableSpots: session.maxCapacity - activeCount,
        });
      }
      if (movesTo) await this.moveSession(ctx, session, participants, movesTo, input.reason ?? null);
      const action = sessionChangeAction(movesTo, rescheduled !== null);
      await recordAudit(ctx, { sessionId: session.id, action, changes: diff(before, sessionAuditFields(session)) });
      return { session, participants };
    });
    const names = await this.namesOfSeats(user, result.participants);
    return bodyOf(await this.viewerOf(user))({ ...result, names });
  }

  /** The caller, now, under the tenant's clock rules: whom a body's actions are for. */
  private async viewerOf(user: AuthUser, em?: EntityManager): Promise<Viewer> {
    return viewerOf(user, await this.sessions.timeRules(user.tenant, em));
  }

  private namesOfSeats(user: AuthUser, participants: Participant[]) {
    return this.sessions.namesOf(
      user.tenant,
      participants.map((p) => p.patientId),
    );
  }

  private changeNotesAndCapacity(session: Session, input: UpdateSession, activeCount: number): string[] {
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
    return changed;
  }

  /** Applies date, time, duration, room and provider changes; the database refuses overlaps (409 by constraint). */
  private async reschedule(
    { em }: UseCaseContext,
    session: Session,
    participants: Participant[],
    input: UpdateSession,
  ) {
    const changedFields = RESCHEDULE_FIELDS.filter((f) => input[f] !== undefined && input[f] !== session[f]);
    if (!changedFields.length) return null;
    assertCanReschedule(session);
    if (input.roomId && input.roomId !== session.roomId) {
      const room = await this.directory.activeReference(em, KINDS.room, session.tenant, input.roomId, 'roomId');
      if (room.clinicId !== session.clinicId) throw roomNotInClinic(room.name, "this session's clinic");
    }
    if (input.providerId && input.providerId !== session.providerId) {
      await this.directory.activeReference(em, KINDS.provider, session.tenant, input.providerId, 'providerId');
    }
    const previous = { previousStartsAt: session.startsAt.toISOString(), previousEndsAt: session.endsAt.toISOString() };
    Object.assign(session, Object.fromEntries(changedFields.map((f) => [f, input[f]])));
    Object.assign(
      session,
      sessionTimes(session.scheduledDate, session.scheduledTime, session.durationMinutes, session.timezone),
    );
    for (const p of participants) Object.assign(p, { startsAt: session.startsAt, endsAt: session.endsAt });
    return { ...previous, changedFields: [...changedFields] };
  }

  /** Starts, completes or cancels a session, and moves its participants as that requires. */
  private async moveSession(
    ctx: UseCaseContext,
    session: Session,
    participants: Participant[],
    to: SessionMove,
    reason: string | null,
  ) {
    assertSessionTransition(session.status, to);
    if (to === 'IN_PROGRESS')
      assertCanStartAt(session, new Date(), await this.sessions.timeRules(session.tenant, ctx.em));
    if (to === 'COMPLETED') {
      const makesNoShows = completionMakesNoShows(participants.map((p) => p.status));
      assertCanCompleteAt(session, new Date(), await this.sessions.timeRules(session.tenant, ctx.em), makesNoShows);
    }
    session.status = to;
    if (to === 'IN_PROGRESS') return void (await ctx.publish(SessionStarted, { session: nextSnapshotOf(session) }));
    if (to === 'CANCELLED') session.cancellationReason = reason;
    let moved = 0;
    for (const participant of participants) {
      const move = participantMoveOnSessionMove(to, participant.status, reason);
      if (!move) continue;
      moved++;
      const before = participantAuditFields(participant);
      const from = participant.status;
      applyParticipantStatus(participant, move.to, move.reason, new Date(), 'CLINIC');
      participant.updatedAt = new Date();
      const facts = participantFactsOf(session, participant);
      if (move.to === 'CANCELLED')
        await ctx.publish(ParticipantCancelled, { ...facts, from, reason: move.reason!, cancelledBy: 'CLINIC' });
      else await ctx.publish(ParticipantStatusChanged, { ...facts, from, to: move.to, reason: move.reason });
      const changes = diff(before, participantAuditFields(participant));
      await recordAudit(ctx, {
        sessionId: session.id,
        participantId: participant.id,
        action: `PARTICIPANT_${move.to}`,
        changes,
      });
    }
    if (to === 'COMPLETED') {
      await ctx.publish(SessionCompleted, {
        session: nextSnapshotOf(session),
        ...completionTally(participants.map((p) => p.status)),
      });
    } else {
      await ctx.publish(SessionCancelled, {
        session: nextSnapshotOf(session),
        reason: reason!,
        cancelledParticipants: moved,
      });
    }
  }
}

function sessionTimes(
  date: string,
  time: string,
  durationMinutes: number,
  timezone: string,
): { startsAt: Date; endsAt: Date } {
  const startsAt = clinicTimeToUtc(date, time, timezone);
  if (!startsAt) {
    const detail = `${date} ${time} does not exist in ${timezone} (a daylight-saving change); choose another time.`;
    throw fieldProblem('VALIDATION_FAILED', 'scheduledTime', `does not exist on ${date} in ${timezone}`, detail);
  }
  assertSchedulable(startsAt, date, new Date(), clinicToday(timezone));
  return { startsAt, endsAt: new Date(startsAt.getTime() + durationMinutes * 60000) };
}

const bodyOf =
  (viewer: Viewer) =>
  ({ session, participants, names }: SessionWithParticipants) =>
    toSessionBody(session, participants, names, viewer);

const roomNotInClinic = (room: string, clinic: string) =>
  fieldProblem('ROOM_NOT_IN_CLINIC', 'roomId', 'is in another clinic', `Room ${room} is not in ${clinic}.`);
