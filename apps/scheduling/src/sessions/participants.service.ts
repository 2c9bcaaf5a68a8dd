// Use cases of a session's seats: booking a patient, a seat's status, no-show details and notes, and cancelling a
// seat. Like every write of a session, each locks the session row first and does its counting, checking, writing,
// audit and outbox in that one transaction, so concurrent bookings of one session can never overbook it.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  AddPatient,
  CancelledBy,
  ParticipantBody,
  ParticipantBooked,
  ParticipantCancelled,
  ParticipantStatus,
  ParticipantStatusChanged,
  ParticipantUpdated,
  SessionFull,
  SpotOpened,
  UpdateParticipant,
} from '@agdar/contracts';
import { AuthUser, DomainError, fieldProblem, WritePath } from '@agdar/service-kit';
import { Viewer, viewerOf } from './action-rules';
import { diff, recordAudit } from './audit';
import { NumberSequences } from './numbers';
import { Participant } from './participant.entity';
import {
  applyParticipantStatus,
  assertCanAdd,
  assertNoShowFields,
  assertParticipantTransition,
  bookingFillsSession,
  canParticipantMove,
  spotOpened,
} from './session-rules';
import { nextSnapshotOf, participantAuditFields, participantFactsOf, toParticipantBody } from './session-views';
import { SessionsRepository } from './sessions.repository';
import { assertCheckInTime, assertNoShowTime, assertNotStarted } from './time-rules';

/** A seat's change: what the PATCH allows, or its cancellation (by DELETE, or by its session's). */
type SeatChange = Omit<UpdateParticipant, 'status'> & { status?: ParticipantStatus; cancellation?: Cancellation };
interface Cancellation {
  reason: string;
  cancelledBy: CancelledBy;
}

@Injectable()
export class ParticipantsService {
  constructor(
    private readonly writes: WritePath,
    private readonly sessions: SessionsRepository,
    private readonly numbers: NumberSequences,
  ) {}

  async addPatient(user: AuthUser, sessionId: string, input: AddPatient): Promise<ParticipantBody> {
    return this.writes.run(user, async (ctx) => {
      const { em } = ctx;
      // Reads that do not depend on the seat count happen before the lock, so the lock is held as briefly as possible.
      const patient = await this.sessions.patientFlags(em, user.tenant, input.patientId);
      if (!patient) throw unknownPatient(input.patientId);
      const session = await this.sessions.lock(em, user.tenant, sessionId);
      const seats = await this.sessions.seats(em, sessionId, input.patientId);
      if (seats.enrolled) throw new DomainError('ALREADY_ENROLLED', 'The patient is already in this session.');
      assertCanAdd(session, seats.active);
      assertNotStarted(session, new Date());
      // A patient in an overlapping session is refused by participants_patient_overlap at flush (409 PATIENT_CONFLICT):
      // no pre-check, since only the constraint holds when two bookings of the patient race in different sessions.
      const participant = em.create(Participant, {
        tenant: user.tenant,
        sessionId,
        patientId: input.patientId,
        appointmentNumber: await this.numbers.nextOfClinicYear(em, user.tenant, 'APT', session.timezone),
        status: 'BOOKED',
        // Paid is a fact of this appointment's own invoice (billing's FinanceCleared), so a new seat is never cleared.
        financeCleared: false,
        consentVerified: patient.consentVerified,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        individualNotes: input.individualNotes ?? null,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      session.updatedAt = new Date();
      const changes = diff({}, participantAuditFields(participant));
      await recordAudit(ctx, { sessionId, participantId: participant.id, action: 'PARTICIPANT_BOOKED', changes });
      await ctx.publish(ParticipantBooked, {
        ...participantFactsOf(session, participant),
        financeCleared: false,
        consentVerified: patient.consentVerified,
      });
      if (bookingFillsSession(seats.active, session.maxCapacity))
        await ctx.publish(SessionFull, { session: nextSnapshotOf(session) });
      const names = await this.sessions.namesOf(user.tenant, [participant.patientId], em);
      return toParticipantBody(participant, session, names, await this.viewerOf(user, em));
    });
  }

  /**
   * A status change, no-show details or notes; a change of nothing records nothing. Check-in opens when the session
   * may start; no-shows wait for the tenant's grace after the start.
   */
  async updateParticipant(
    user: AuthUser,
    sessionId: string,
    participantId: string,
    input: SeatChange,
  ): Promise<ParticipantBody> {
    const { participant, session } = await this.writes.run(user, async (ctx) => {
      const session = await this.sessions.lock(ctx.em, user.tenant, sessionId);
      const participant = await this.sessions.participant(ctx.em, user.tenant, sessionId, participantId);
      const before = participantAuditFields(participant);
      const from = participant.status;
      const to = input.status ?? from;
      assertNoShowFields(input, to);
      const activeBefore = to === 'CANCELLED' && from !== to ? await this.sessions.activeCount(ctx.em, sessionId) : 0;
      if (to !== from) {
        // When first: "come back at 9:30" before "consent is missing", which may well be sorted out by then.
        if (canParticipantMove(from, to) && (to === 'ARRIVED' || to === 'NO_SHOW')) {
          const rules = await this.sessions.timeRules(user.tenant, ctx.em);
          if (to === 'ARRIVED') assertCheckInTime(session, new Date(), rules);
          else assertNoShowTime(session, new Date(), rules);
        }
        assertParticipantTransition(participant, to, session.status);
        const cancellation = to === 'CANCELLED' ? input.cancellation : undefined;
        applyParticipantStatus(participant, to, cancellation?.reason ?? null, new Date(), cancellation?.cancelledBy);
      }
      const notesChanged = changeParticipantNotes(participant, input);
      if (to === from && !notesChanged.length) return { participant, session };

      participant.updatedAt = new Date();
      session.updatedAt = new Date();
      const facts = participantFactsOf(session, participant);
      if (to === 'CANCELLED' && from !== to)
        await ctx.publish(ParticipantCancelled, {
          ...facts,
          from,
          reason: participant.cancellationReason!,
          cancelledBy: participant.cancelledBy!,
        });
      else if (to !== from)
        await ctx.publish(ParticipantStatusChanged, { ...facts, from, to, reason: participant.noShowReason ?? null });
      else await ctx.publish(ParticipantUpdated, { ...facts, changedFields: notesChanged });
      if (
        from !== to &&
        spotOpened(activeBefore >= session.maxCapacity, session.maxCapacity, activeBefore - 1, session.status)
      ) {
        await ctx.publish(SpotOpened, {
          session: nextSnapshotOf(session),
          availableSpots: session.maxCapacity - activeBefore + 1,
        });
      }
      const action = to !== from ? `PARTICIPANT_${to}` : 'PARTICIPANT_UPDATED';
      await recordAudit(ctx, {
        sessionId,
        participantId,
        action,
        changes: diff(before, participantAuditFields(participant)),
      });
      return { participant, session };
    });
    const names = await this.sessions.namesOf(user.tenant, [participant.patientId]);
    return toParticipantBody(participant, session, names, await this.viewerOf(user));
  }

  /** The one way to cancel a seat: with its reason and who decided it (the fee policy charges only the patient's). */
  removeParticipant(
    user: AuthUser,
    sessionId: string,
    participantId: string,
    cancellation: Cancellation,
  ): Promise<ParticipantBody> {
    return this.updateParticipant(user, sessionId, participantId, { status: 'CANCELLED', cancellation });
  }

  /** The caller, now, under the tenant's clock rules: whom a body's actions are for. */
  private async viewerOf(user: AuthUser, em?: EntityManager): Promise<Viewer> {
    return viewerOf(user, await this.sessions.timeRules(user.tenant, em));
  }
}

function changeParticipantNotes(participant: Participant, input: SeatChange): string[] {
  const changed: string[] = [];
  for (const field of ['individualNotes', 'noShowReason', 'noShowNotes'] as const) {
    if (input[field] !== undefined && (input[field] ?? null) !== participant[field]) {
      participant[field] = input[field] ?? null;
      changed.push(field);
    }
  }
  return changed;
}

const unknownPatient = (patientId: string) =>
  fieldProblem(
    'NOT_FOUND',
    'patientId',
    'is not a known patient',
    `Patient ${patientId} is not known to scheduling; if it was registered a moment ago, retry shortly.`,
  );
