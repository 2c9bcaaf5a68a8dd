import { PARTICIPANT_STATUSES, ParticipantStatus, SESSION_STATUSES, SessionStatus } from '@agdar/contracts';
import { DomainError } from '@agdar/service-kit';
import {
  assertCanAdd,
  assertCapacityChange,
  assertParticipantTransition,
  canCheckIn,
  canParticipantMove,
  canSessionMove,
  capacityOf,
  statusOnCompletion,
} from './session-rules';

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'OK';
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('participant status transitions', () => {
  const allowed: Record<ParticipantStatus, ParticipantStatus[]> = {
    BOOKED: ['CONFIRMED', 'ARRIVED', 'CANCELLED', 'NO_SHOW'],
    CONFIRMED: ['ARRIVED', 'CANCELLED', 'NO_SHOW'],
    ARRIVED: ['ATTENDED'],
    ATTENDED: [],
    CANCELLED: [],
    NO_SHOW: [],
  };
  const pairs = PARTICIPANT_STATUSES.flatMap((from) =>
    PARTICIPANT_STATUSES.map((to) => [from, to, allowed[from].includes(to)] as const),
  );

  it.each(pairs)('%s → %s allowed: %s', (from, to, ok) => {
    expect(canParticipantMove(from, to)).toBe(ok);
    const cleared = { status: from, financeCleared: true, consentVerified: true };
    expect(codeOf(() => assertParticipantTransition(cleared, to, 'SCHEDULED'))).toBe(ok ? 'OK' : 'INVALID_TRANSITION');
  });

  it.each([
    [{ financeCleared: false, consentVerified: true }, ['financeCleared']],
    [{ financeCleared: true, consentVerified: false }, ['consentVerified']],
    [{ financeCleared: false, consentVerified: false }, ['financeCleared', 'consentVerified']],
  ])('blocks check-in without its prerequisites %j, naming %j', (flags, missing) => {
    let error: DomainError | undefined;
    try {
      assertParticipantTransition({ status: 'BOOKED', ...flags }, 'ARRIVED', 'IN_PROGRESS');
    } catch (e) {
      error = e as DomainError;
    }
    expect(error?.code).toBe('CHECK_IN_BLOCKED');
    expect(error?.errors?.map((e) => e.field)).toEqual(missing);
    expect(canCheckIn({ status: 'BOOKED', ...flags })).toBe(false);
  });

  it('allows check-in when finance and consent are cleared, but not in a closed session', () => {
    const ready = { status: 'CONFIRMED' as const, financeCleared: true, consentVerified: true };
    expect(canCheckIn(ready)).toBe(true);
    expect(codeOf(() => assertParticipantTransition(ready, 'ARRIVED', 'IN_PROGRESS'))).toBe('OK');
    expect(codeOf(() => assertParticipantTransition(ready, 'ARRIVED', 'CANCELLED'))).toBe('SESSION_CLOSED');
  });

  it.each([
    ['ARRIVED', { to: 'ATTENDED', reason: null }],
    ['BOOKED', { to: 'NO_SHOW', reason: 'NOT_CHECKED_IN' }],
    ['CONFIRMED', { to: 'NO_SHOW', reason: 'NOT_CHECKED_IN' }],
    ['CANCELLED', null],
    ['NO_SHOW', null],
    ['ATTENDED', null],
  ] as const)('completing a session turns %s into %j', (status, effect) => {
    expect(statusOnCompletion(status)).toEqual(effect);
  });
});

describe('session status transitions', () => {
  const allowed: Record<SessionStatus, SessionStatus[]> = {
    SCHEDULED: ['IN_PROGRESS', 'CANCELLED'],
    IN_PROGRESS: ['COMPLETED', 'CANCELLED'],
    COMPLETED: [],
    CANCELLED: [],
  };
  it.each(
    SESSION_STATUSES.flatMap((from) => SESSION_STATUSES.map((to) => [from, to, allowed[from].includes(to)] as const)),
  )('%s → %s allowed: %s', (from, to, ok) => {
    expect(canSessionMove(from, to)).toBe(ok);
  });
});

describe('capacity', () => {
  it.each([
    [20, 0, { currentCapacity: 0, availableSpots: 20, isFull: false, capacityPercentage: 0 }],
    [20, 7, { currentCapacity: 7, availableSpots: 13, isFull: false, capacityPercentage: 35 }],
    [3, 2, { currentCapacity: 2, availableSpots: 1, isFull: false, capacityPercentage: 67 }],
    [20, 20, { currentCapacity: 20, availableSpots: 0, isFull: true, capacityPercentage: 100 }],
    [1, 1, { currentCapacity: 1, availableSpots: 0, isFull: true, capacityPercentage: 100 }],
  ])('max %i with %i active', (max, active, view) => {
    expect(capacityOf(max, active)).toEqual(view);
  });

  const group = { status: 'SCHEDULED' as const, sessionType: 'GROUP' as const, maxCapacity: 20 };

  it('refuses the 21st participant and any participant in a session that is not SCHEDULED', () => {
    expect(codeOf(() => assertCanAdd(group, 19))).toBe('OK');
    expect(codeOf(() => assertCanAdd(group, 20))).toBe('SESSION_FULL');
    expect(codeOf(() => assertCanAdd({ ...group, status: 'IN_PROGRESS' }, 0))).toBe('SESSION_NOT_OPEN');
  });

  it.each([
    [group, 10, 10, 'OK'],
    [group, 9, 10, 'CAPACITY_BELOW_ACTIVE'],
    [group, 21, 0, 'INVALID_CAPACITY'],
    [group, 0, 0, 'INVALID_CAPACITY'],
    [{ ...group, sessionType: 'INDIVIDUAL' as const, maxCapacity: 1 }, 2, 0, 'INVALID_CAPACITY'],
    [{ ...group, status: 'COMPLETED' as const }, 15, 3, 'SESSION_CLOSED'],
  ])('changing %j to %i with %i active: %s', (session, capacity, active, code) => {
    expect(codeOf(() => assertCapacityChange(session, capacity, active))).toBe(code);
  });
});
