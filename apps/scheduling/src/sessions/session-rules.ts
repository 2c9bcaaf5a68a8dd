// The rules of sessions and participants (DESIGN.md §3), pure: no database, no Nest. Use cases call these under the
// session's row lock; nothing else decides capacity, transitions or check-in.
import { MAX_GROUP_CAPACITY, ParticipantStatus, SessionStatus, SessionType } from '@agdar/contracts';
import { DomainError } from '@agdar/service-kit';

export const ACTIVE_STATUSES: readonly ParticipantStatus[] = ['BOOKED', 'CONFIRMED', 'ARRIVED', 'ATTENDED', 'NO_SHOW'];

export function isActive(status: ParticipantStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
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
  if (session.status !== 'SCHEDULED') throw new DomainError('SESSION_NOT_OPEN', `Patients can be added only to a SCHEDULED session; this one is ${session.status}.`);
  if (activeCount >= session.maxCapacity) throw new DomainError('SESSION_FULL', `The session is full (${session.maxCapacity} of ${session.maxCapacity}); choose another session.`);
}

export function assertCapacityChange(session: SessionState, newCapacity: number, activeCount: number): void {
  if (session.sessionType === 'INDIVIDUAL' && newCapacity !== 1) {
    throw new DomainError('INVALID_CAPACITY', 'An INDIVIDUAL session has capacity 1.');
  }
  if (newCapacity < 1 || newCapacity > MAX_GROUP_CAPACITY) throw new DomainError('INVALID_CAPACITY', `Capacity is 1 to ${MAX_GROUP_CAPACITY}.`);
  if (newCapacity < activeCount) {
    throw new DomainError('CAPACITY_BELOW_ACTIVE', `The session has ${activeCount} active participants; capacity cannot go below that. Remove participants first.`);
  }
  if (session.status === 'COMPLETED' || session.status === 'CANCELLED') {
    throw new DomainError('SESSION_CLOSED', `A ${session.status} session cannot change.`);
  }
}

export function assertCanReschedule(session: SessionState): void {
  if (session.status !== 'SCHEDULED') throw new DomainError('SESSION_NOT_OPEN', `Only a SCHEDULED session can be rescheduled; this one is ${session.status}.`);
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
  if (!canSessionMove(from, to)) throw new DomainError('INVALID_TRANSITION', `A session cannot go from ${from} to ${to}.`);
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
export function assertParticipantTransition(participant: Prerequisites & { status: ParticipantStatus }, to: ParticipantStatus, sessionStatus: SessionStatus): void {
  if (!canParticipantMove(participant.status, to)) {
    throw new DomainError('INVALID_TRANSITION', `A participant cannot go from ${participant.status} to ${to}.`);
  }
  if (sessionStatus === 'COMPLETED' || sessionStatus === 'CANCELLED') {
    throw new DomainError('SESSION_CLOSED', `The session is ${sessionStatus}; its participants no longer change status.`);
  }
  if (to === 'ARRIVED') {
    const missing = missingForCheckIn(participant);
    if (missing.length) {
      throw new DomainError('CHECK_IN_BLOCKED', `Check-in needs ${missing.join(' and ')}: clear them first.`, missing.map((field) => ({ field, message: 'is false' })));
    }
  }
}

/** What completing a session does to each participant: who was there attended, who never checked in did not show. */
export function statusOnCompletion(status: ParticipantStatus): { to: ParticipantStatus; reason: string | null } | null {
  if (status === 'ARRIVED') return { to: 'ATTENDED', reason: null };
  if (status === 'BOOKED' || status === 'CONFIRMED') return { to: 'NO_SHOW', reason: 'NOT_CHECKED_IN' };
  return null;
}
