// The rules of sessions and participants (docs/domain-rules.md), pure: no database, no Nest. Use cases call these under
// the session's row lock; nothing else decides capacity, transitions, check-in, what a session's end does to its
// participants, or when the events that announce free spots fire.
import { CancelledBy, MAX_GROUP_CAPACITY, ParticipantStatus, SessionStatus, SessionType } from '@agdar/contracts';
import { DomainError, fieldProblem } from '@agdar/service-kit';

export const ACTIVE_STATUSES: readonly ParticipantStatus[] = ['BOOKED', 'CONFIRMED', 'ARRIVED', 'ATTENDED', 'NO_SHOW'];

export function isActive(status: ParticipantStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** Seats whose outcome is not settled yet; ATTENDED, NO_SHOW and CANCELLED are final. */
export const OPEN_STATUSES: readonly ParticipantStatus[] = ['BOOKED', 'CONFIRMED', 'ARRIVED'];

export function isOpen(status: ParticipantStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export interface CapacityView {
  currentCapacity: number;
  availableSpots: number;
  isFull: boolean;
  capacityPercentage: number;
}

export function capacityOf(maxCapacity: number, activeCount: number): CapacityView {
  return {
    currentCapacity: activeCount,
    availableSpots: Math.max(0, maxCapacity - activeCount),
    isFull: activeCount >= maxCapacity,
    capacityPercentage: Math.min(100, Math.round((activeCount / maxCapacity) * 100)),
  };
}

export interface SessionState {
  status: SessionStatus;
  sessionType: SessionType;
  maxCapacity: number;
}

export function assertCanAdd(session: SessionState, activeCount: number): void {
  if (session.status !== 'SCHEDULED')
    throw new DomainError(
      'SESSION_NOT_OPEN',
      `Patients can be added only to a SCHEDULED session; this one is ${session.status}.`,
    );
  if (activeCount >= session.maxCapacity)
    throw new DomainError(
      'SESSION_FULL',
      `The session is full (${session.maxCapacity} of ${session.maxCapacity}); choose another session.`,
    );
}

export function assertCapacityChange(session: SessionState, newCapacity: number, activeCount: number): void {
  if (session.sessionType === 'INDIVIDUAL' && newCapacity !== 1) {
    throw new DomainError('INVALID_CAPACITY', 'An INDIVIDUAL session has capacity 1.');
  }
  if (newCapacity < 1 || newCapacity > MAX_GROUP_CAPACITY)
    throw new DomainError('INVALID_CAPACITY', `Capacity is 1 to ${MAX_GROUP_CAPACITY}.`);
  if (newCapacity < activeCount) {
    throw new DomainError(
      'CAPACITY_BELOW_ACTIVE',
      `The session has ${activeCount} active participants; capacity cannot go below that. Remove participants first.`,
    );
  }
  if (session.status === 'COMPLETED' || session.status === 'CANCELLED') {
    throw new DomainError('SESSION_CLOSED', `A ${session.status} session cannot change.`);
  }
}

export function assertCanReschedule(session: SessionState): void {
  if (session.status !== 'SCHEDULED')
    throw new DomainError(
      'SESSION_NOT_OPEN',
      `Only a SCHEDULED session can be rescheduled; this one is ${session.status}.`,
    );
}

const SESSION_TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  SCHEDULED: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export function canSessionMove(from: SessionStatus, to: SessionStatus): boolean {
  return SESSION_TRANSITIONS[from].includes(to);
}

export function assertSessionTransition(from: SessionStatus, to: SessionStatus): void {
  if (!canSessionMove(from, to))
    throw new DomainError('INVALID_TRANSITION', `A session cannot go from ${from} to ${to}.`);
}

const PARTICIPANT_TRANSITIONS: Record<ParticipantStatus, readonly ParticipantStatus[]> = {
  BOOKED: ['CONFIRMED', 'ARRIVED', 'CANCELLED', 'NO_SHOW'],
  CONFIRMED: ['ARRIVED', 'CANCELLED', 'NO_SHOW'],
  ARRIVED: ['ATTENDED'],
  ATTENDED: [],
  CANCELLED: [],
  NO_SHOW: [],
};

export function canParticipantMove(from: ParticipantStatus, to: ParticipantStatus): boolean {
  return PARTICIPANT_TRANSITIONS[from].includes(to);
}

export interface Prerequisites {
  financeCleared: boolean;
  consentVerified: boolean;
}

export function missingForCheckIn(p: Prerequisites): string[] {
  return [...(p.financeCleared ? [] : ['financeCleared']), ...(p.consentVerified ? [] : ['consentVerified'])];
}

export function canCheckIn(p: Prerequisites & { status: ParticipantStatus }): boolean {
  return canParticipantMove(p.status, 'ARRIVED') && missingForCheckIn(p).length === 0;
}

/** Checks a participant's move; check-in also needs its prerequisites, and the session must still be running. */
export function assertParticipantTransition(
  participant: Prerequisites & { status: ParticipantStatus },
  to: ParticipantStatus,
  sessionStatus: SessionStatus,
): void {
  if (!canParticipantMove(participant.status, to)) {
    throw new DomainError('INVALID_TRANSITION', `A participant cannot go from ${participant.status} to ${to}.`);
  }
  if (sessionStatus === 'COMPLETED' || sessionStatus === 'CANCELLED') {
    throw new DomainError(
      'SESSION_CLOSED',
      `The session is ${sessionStatus}; its participants no longer change status.`,
    );
  }
  if (to === 'ARRIVED') {
    const missing = missingForCheckIn(participant);
    if (missing.length) {
      throw new DomainError(
        'CHECK_IN_BLOCKED',
        `Check-in needs ${missing.join(' and ')}: clear them first.`,
        missing.map((field) => ({ field, message: 'is false' })),
      );
    }
  }
}

/** What completing a session does to each participant: who was there attended, who never checked in did not show. */
export function statusOnCompletion(status: ParticipantStatus): { to: ParticipantStatus; reason: string | null } | null {
  if (status === 'ARRIVED') return { to: 'ATTENDED', reason: null };
  if (status === 'BOOKED' || status === 'CONFIRMED') return { to: 'NO_SHOW', reason: 'NOT_CHECKED_IN' };
  return null;
}

/** The statuses a participant's status-dependent fields are stamped for, and with what. */
export interface StatusFields {
  status: ParticipantStatus;
  arrivalAt: Date | null;
  attendedAt: Date | null;
  cancellationReason: string | null;
  cancelledBy: CancelledBy | null;
  noShowReason: string | null;
}

/**
 * Moves a participant to `to`, stamping what that status records: arrival, attendance, cancellation reason and who
 * cancelled (the clinic unless said).
 */
export function applyParticipantStatus(
  p: StatusFields,
  to: ParticipantStatus,
  reason: string | null,
  now: Date,
  cancelledBy: CancelledBy = 'CLINIC',
): void {
  p.status = to;
  if (to === 'ARRIVED') p.arrivalAt = now;
  if (to === 'ATTENDED') p.attendedAt = now;
  if (to === 'CANCELLED') {
    p.cancellationReason = reason ?? 'Cancelled by staff';
    p.cancelledBy = cancelledBy;
  }
  if (to === 'NO_SHOW' && reason !== null) p.noShowReason = reason;
}

/** No-show reason and notes belong to a participant that is (or is becoming) NO_SHOW. */
export function assertNoShowFields(
  change: { noShowReason?: unknown; noShowNotes?: unknown },
  to: ParticipantStatus,
): void {
  const field =
    change.noShowReason !== undefined ? 'noShowReason' : change.noShowNotes !== undefined ? 'noShowNotes' : null;
  if (field && to !== 'NO_SHOW') {
    throw fieldProblem(
      'VALIDATION_FAILED',
      field,
      'is only for a NO_SHOW participant',
      'No-show reason and notes belong to a NO_SHOW participant.',
    );
  }
}

export type SessionMove = 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

/**
 * What a session's move does to one participant: completing settles who came; cancelling cancels the seats still open
 * (who attended, or was already a no-show, keeps that outcome and its invoice).
 */
export function participantMoveOnSessionMove(
  sessionTo: SessionMove,
  status: ParticipantStatus,
  sessionReason: string | null,
): { to: ParticipantStatus; reason: string | null } | null {
  if (sessionTo === 'COMPLETED') return statusOnCompletion(status);
  if (sessionTo === 'CANCELLED' && isOpen(status))
    return { to: 'CANCELLED', reason: `Session cancelled: ${sessionReason}` };
  return null;
}

/** Whether completing a session with these seats makes anyone a no-show. */
export function completionMakesNoShows(statuses: readonly ParticipantStatus[]): boolean {
  return statuses.some((s) => statusOnCompletion(s)?.to === 'NO_SHOW');
}

/** A completed session's tally, as SessionCompleted reports it. */
export function completionTally(statuses: readonly ParticipantStatus[]): { attended: number; noShows: number } {
  return {
    attended: statuses.filter((s) => s === 'ATTENDED').length,
    noShows: statuses.filter((s) => s === 'NO_SHOW').length,
  };
}

/** SessionFull fires for the booking that takes the last spot. */
export function bookingFillsSession(activeBefore: number, maxCapacity: number): boolean {
  return activeBefore + 1 === maxCapacity;
}

/** SpotOpened fires when a full, still-bookable session gets a free spot (a cancellation or a larger capacity). */
export function spotOpened(
  wasFull: boolean,
  maxCapacity: number,
  activeAfter: number,
  sessionStatus: SessionStatus,
): boolean {
  return wasFull && !capacityOf(maxCapacity, activeAfter).isFull && sessionStatus === 'SCHEDULED';
}

/** A verified consent reaches the seats that still wait for their session: booked or confirmed. */
export function awaitsConsent(status: ParticipantStatus): boolean {
  return status === 'BOOKED' || status === 'CONFIRMED';
}

/** The audit action of a session change. */
export function sessionChangeAction(movedTo: SessionStatus | null, rescheduled: boolean): string {
  if (movedTo) return `SESSION_${movedTo === 'IN_PROGRESS' ? 'STARTED' : movedTo}`;
  return rescheduled ? 'SESSION_RESCHEDULED' : 'SESSION_UPDATED';
}
