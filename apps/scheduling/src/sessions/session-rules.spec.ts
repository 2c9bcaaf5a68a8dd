import { PARTICIPANT_STATUSES, ParticipantStatus, SESSION_STATUSES, SessionStatus } from '@agdar/contracts';
import { DomainError } from '@agdar/service-kit';
import {
  ACTIVE_STATUSES,
  completionMakesNoShows,
  applyParticipantStatus,
  assertNoShowFields,
  awaitsConsent,
  bookingFillsSession,
  completionTally,
  isActive,
  participantMoveOnSessionMove,
  sessionChangeAction,
  SessionMove,
  spotOpened,
  assertCanAdd,
  assertCapacityChange,
  assertParticipantTransition,
  canCheckIn,
  canParticipantMove,
  canSessionMove,
  capacityOf,
  statusOnCompletion,
} from './session-rules';
import {
  assertCanCompleteAt,
  assertCanStartAt,
  assertCheckInTime,
  assertNoShowTime,
  assertNotStarted,
  assertSchedulable,
} from './time-rules';

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

describe('which statuses hold a seat', () => {
  const holds: Record<ParticipantStatus, boolean> = {
    BOOKED: true,
    CONFIRMED: true,
    ARRIVED: true,
    ATTENDED: true,
    NO_SHOW: true,
    CANCELLED: false,
  };
  it.each(PARTICIPANT_STATUSES.map((s) => [s, holds[s]] as const))('%s holds a seat: %s', (status, expected) => {
    expect(isActive(status)).toBe(expected);
    expect(ACTIVE_STATUSES.includes(status)).toBe(expected);
  });
});

describe("what a session's move does to each participant", () => {
  const cases: [SessionMove, ParticipantStatus, { to: ParticipantStatus; reason: string | null } | null][] = [
    ['COMPLETED', 'BOOKED', { to: 'NO_SHOW', reason: 'NOT_CHECKED_IN' }],
    ['COMPLETED', 'CONFIRMED', { to: 'NO_SHOW', reason: 'NOT_CHECKED_IN' }],
    ['COMPLETED', 'ARRIVED', { to: 'ATTENDED', reason: null }],
    ['COMPLETED', 'ATTENDED', null],
    ['COMPLETED', 'NO_SHOW', null],
    ['COMPLETED', 'CANCELLED', null],
    ['CANCELLED', 'BOOKED', { to: 'CANCELLED', reason: 'Session cancelled: Ill' }],
    ['CANCELLED', 'CONFIRMED', { to: 'CANCELLED', reason: 'Session cancelled: Ill' }],
    ['CANCELLED', 'ARRIVED', { to: 'CANCELLED', reason: 'Session cancelled: Ill' }],
    // Final outcomes stay: attended care is not made free, a kept no-show fee is not refunded.
    ['CANCELLED', 'ATTENDED', null],
    ['CANCELLED', 'NO_SHOW', null],
    ['CANCELLED', 'CANCELLED', null],
    ['IN_PROGRESS', 'BOOKED', null],
    ['IN_PROGRESS', 'ARRIVED', null],
  ];
  it.each(cases)('session → %s: a %s participant moves to %j', (sessionTo, status, expected) => {
    expect(participantMoveOnSessionMove(sessionTo, status, 'Ill')).toEqual(expected);
  });

  it('tallies who attended and who did not show', () => {
    expect(completionTally(['ATTENDED', 'NO_SHOW', 'NO_SHOW', 'CANCELLED', 'ATTENDED'])).toEqual({
      attended: 2,
      noShows: 2,
    });
  });
});

describe('applying a participant status', () => {
  const fresh = () => ({
    status: 'BOOKED' as ParticipantStatus,
    arrivalAt: null as Date | null,
    attendedAt: null as Date | null,
    cancellationReason: null as string | null,
    cancelledBy: null as 'PATIENT' | 'CLINIC' | null,
    noShowReason: null as string | null,
  });
  const now = new Date('2030-01-01T08:00:00Z');
  it.each([
    ['ARRIVED', null, { status: 'ARRIVED', arrivalAt: now }],
    ['ATTENDED', null, { status: 'ATTENDED', attendedAt: now }],
    ['CANCELLED', 'Moved away', { status: 'CANCELLED', cancellationReason: 'Moved away', cancelledBy: 'CLINIC' }],
    ['CANCELLED', null, { status: 'CANCELLED', cancellationReason: 'Cancelled by staff', cancelledBy: 'CLINIC' }],
    ['NO_SHOW', 'NOT_CHECKED_IN', { status: 'NO_SHOW', noShowReason: 'NOT_CHECKED_IN' }],
    ['NO_SHOW', null, { status: 'NO_SHOW', noShowReason: null }],
    ['CONFIRMED', null, { status: 'CONFIRMED' }],
  ] as const)('%s with reason %s stamps %j and nothing else', (to, reason, stamped) => {
    const participant = fresh();
    applyParticipantStatus(participant, to, reason, now);
    expect(participant).toEqual({ ...fresh(), ...stamped });
  });

  it('records that the patient cancelled when the front desk says so', () => {
    const participant = fresh();
    applyParticipantStatus(participant, 'CANCELLED', 'Family travelling', now, 'PATIENT');
    expect(participant).toMatchObject({ cancellationReason: 'Family travelling', cancelledBy: 'PATIENT' });
  });

  it.each([
    [{ noShowReason: 'Sick' }, 'CONFIRMED', 'noShowReason'],
    [{ noShowNotes: 'Called' }, 'ARRIVED', 'noShowNotes'],
    [{ noShowReason: 'Sick', noShowNotes: 'Called' }, 'NO_SHOW', null],
    [{}, 'CONFIRMED', null],
  ] as const)('no-show fields %j on a move to %s are refused naming %s', (change, to, field) => {
    let refused: DomainError | null = null;
    try {
      assertNoShowFields(change, to);
    } catch (error) {
      refused = error as DomainError;
    }
    expect(refused?.errors?.[0].field ?? null).toBe(field);
  });
});

describe('when capacity events fire', () => {
  it.each([
    [0, 1, true],
    [1, 3, false],
    [2, 3, true],
    [3, 3, false],
  ])('a booking with %i active of %i fills the session: %s', (active, max, fills) => {
    expect(bookingFillsSession(active, max)).toBe(fills);
  });

  it.each([
    [true, 3, 2, 'SCHEDULED', true],
    [true, 4, 3, 'SCHEDULED', true],
    [true, 3, 3, 'SCHEDULED', false],
    [false, 3, 1, 'SCHEDULED', false],
    [true, 3, 2, 'IN_PROGRESS', false],
    [true, 3, 2, 'CANCELLED', false],
  ] as const)(
    'was full %s, capacity %i, %i active after, session %s: spot opened %s',
    (wasFull, max, after, status, opened) => {
      expect(spotOpened(wasFull, max, after, status)).toBe(opened);
    },
  );
});

describe('which seats a verified consent reaches, and the audit action of a session change', () => {
  it.each(PARTICIPANT_STATUSES.map((s) => [s, s === 'BOOKED' || s === 'CONFIRMED'] as const))(
    '%s: %s',
    (s, reached) => {
      expect(awaitsConsent(s)).toBe(reached);
    },
  );

  it.each([
    ['IN_PROGRESS', false, 'SESSION_STARTED'],
    ['COMPLETED', false, 'SESSION_COMPLETED'],
    ['CANCELLED', true, 'SESSION_CANCELLED'],
    [null, true, 'SESSION_RESCHEDULED'],
    [null, false, 'SESSION_UPDATED'],
  ] as const)('moved to %s, rescheduled %s: %s', (movedTo, rescheduled, action) => {
    expect(sessionChangeAction(movedTo, rescheduled)).toBe(action);
  });
});

describe('time rules', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const at = (iso: string) => new Date(iso);
  const refusal = (fn: () => void) => {
    try {
      fn();
      return 'OK';
    } catch (error) {
      const e = error as DomainError;
      return `${e.code}${e.errors?.[0] ? ` ${e.errors[0].field}` : ''}`;
    }
  };

  it.each([
    ['in an hour', '2026-11-25T13:00:00Z', '2026-11-25', 'OK'],
    ['a minute ago', '2026-11-25T11:59:00Z', '2026-11-25', 'VALIDATION_FAILED scheduledTime'],
    ['now', '2026-11-25T12:00:00Z', '2026-11-25', 'VALIDATION_FAILED scheduledTime'],
    ['yesterday', '2026-11-24T12:00:00Z', '2026-11-24', 'VALIDATION_FAILED scheduledDate'],
    ['in 2019', '2019-05-01T08:00:00Z', '2019-05-01', 'VALIDATION_FAILED scheduledDate'],
    ['730 days ahead', '2028-11-24T08:00:00Z', '2028-11-24', 'OK'],
    ['731 days ahead', '2028-11-25T08:00:00Z', '2028-11-25', 'VALIDATION_FAILED scheduledDate'],
    ['in 9999', '9999-01-01T08:00:00Z', '9999-01-01', 'VALIDATION_FAILED scheduledDate'],
  ])('a session starting %s: %s', (_label, startsAt, date, expected) => {
    expect(refusal(() => assertSchedulable(at(startsAt), date, now, '2026-11-25'))).toBe(expected);
  });

  it.each([
    ['in a minute', '2026-11-25T12:01:00Z', 'OK'],
    ['now', '2026-11-25T12:00:00Z', 'SESSION_ALREADY_STARTED'],
    ['an hour ago', '2026-11-25T11:00:00Z', 'SESSION_ALREADY_STARTED'],
  ])('booking a session that starts %s: %s', (_label, startsAt, expected) => {
    expect(refusal(() => assertNotStarted({ startsAt: at(startsAt), scheduledTime: '12:00' }, now))).toBe(expected);
  });

  const rules = (earlyStartMinutes: number, noShowGraceMinutes = 15) => ({ earlyStartMinutes, noShowGraceMinutes });
  const timed = (startsAt: string) => ({ startsAt: at(startsAt), timezone: 'Asia/Riyadh' });

  it.each([
    ['31 minutes ahead, 30 allowed', '2026-11-25T12:31:00Z', 30, 'TOO_EARLY status'],
    ['30 minutes ahead, 30 allowed', '2026-11-25T12:30:00Z', 30, 'OK'],
    ['on time', '2026-11-25T12:00:00Z', 0, 'OK'],
    ['late', '2026-11-25T11:00:00Z', 0, 'OK'],
    ['a day ahead, a day allowed', '2026-11-26T12:00:00Z', 1440, 'OK'],
  ])('starting a session %s: %s', (_label, startsAt, early, expected) => {
    expect(refusal(() => assertCanStartAt(timed(startsAt), now, rules(early)))).toBe(expected);
  });

  it.each([
    ['31 minutes ahead, 30 allowed', '2026-11-25T12:31:00Z', 30, 'TOO_EARLY status'],
    ['30 minutes ahead, 30 allowed', '2026-11-25T12:30:00Z', 30, 'OK'],
    ['3 days ahead, a day allowed', '2026-11-28T12:00:00Z', 1440, 'TOO_EARLY status'],
    ['after its start', '2026-11-25T11:00:00Z', 0, 'OK'],
  ])('checking a patient in %s: %s', (_label, startsAt, early, expected) => {
    expect(refusal(() => assertCheckInTime(timed(startsAt), now, rules(early)))).toBe(expected);
  });

  it.each([
    ['before the start (the session was started early)', '2026-11-25T12:10:00Z', 15, 'TOO_EARLY status'],
    ['14 minutes after the start, 15 of grace', '2026-11-25T11:46:00Z', 15, 'TOO_EARLY status'],
    ['15 minutes after the start, 15 of grace', '2026-11-25T11:45:00Z', 15, 'OK'],
    ['at the start, no grace', '2026-11-25T12:00:00Z', 0, 'OK'],
  ] as const)('a no-show %s: %s', (_label, startsAt, grace, expected) => {
    expect(refusal(() => assertNoShowTime(timed(startsAt), now, rules(30, grace)))).toBe(expected);
  });

  it.each([
    ['started early, before its time, everyone arrived', '2026-11-25T12:10:00Z', false, 'TOO_EARLY status'],
    ['at its time, everyone arrived', '2026-11-25T12:00:00Z', false, 'OK'],
    ['5 minutes after its time, patients not checked in', '2026-11-25T11:55:00Z', true, 'TOO_EARLY status'],
    ['15 minutes after its time, patients not checked in', '2026-11-25T11:45:00Z', true, 'OK'],
  ] as const)('completing a session %s: %s', (_label, startsAt, makesNoShows, expected) => {
    expect(refusal(() => assertCanCompleteAt(timed(startsAt), now, rules(30), makesNoShows))).toBe(expected);
  });

  it("says in the clinic's time when to try again", () => {
    expect(() => assertNoShowTime(timed('2026-11-25T11:50:00Z'), now, rules(30))).toThrow(
      'A participant can be marked NO_SHOW from 2026-11-25 15:05 (Asia/Riyadh); try again then.',
    );
  });

  it.each([
    ['BOOKED', true],
    ['CONFIRMED', true],
    ['ARRIVED', false],
    ['ATTENDED', false],
  ] as const)('completing with a %s seat makes no-shows: %s', (status, expected) => {
    expect(completionMakesNoShows(['ARRIVED', status])).toBe(expected);
  });
});
