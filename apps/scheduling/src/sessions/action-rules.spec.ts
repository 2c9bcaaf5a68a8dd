import { ParticipantStatus, Role, SessionStatus } from '@agdar/contracts';
import { participantActionsOf, SeatForActions, SessionForActions, sessionActionsOf, Viewer } from './action-rules';

const startsAt = new Date('2026-03-01T07:00:00Z'); // 10:00 in Riyadh
const minutes = (m: number) => new Date(startsAt.getTime() + m * 60000);
const viewer = (now: Date, roles: Role[] = ['reception'], earlyStartMinutes = 30): Viewer => ({
  roles,
  now,
  rules: { earlyStartMinutes, noShowGraceMinutes: 15 },
});
const session = (status: SessionStatus, over: Partial<SessionForActions> = {}): SessionForActions => ({
  status,
  sessionType: 'GROUP',
  maxCapacity: 3,
  startsAt,
  timezone: 'Asia/Riyadh',
  ...over,
});
const names = (list: { action: string }[]) => list.map((a) => a.action);
const seat = (status: ParticipantStatus, over: Partial<SeatForActions> = {}): SeatForActions => ({
  status,
  financeCleared: true,
  consentVerified: true,
  ...over,
});

describe('what may be done to a session now', () => {
  it.each([
    ['SCHEDULED', ['start', 'reschedule', 'addPatients', 'changeCapacity', 'cancel']],
    ['IN_PROGRESS', ['complete', 'changeCapacity', 'cancel']],
    ['COMPLETED', []],
    ['CANCELLED', []],
  ] as const)('a %s group session offers %j', (status, offered) => {
    expect(names(sessionActionsOf(session(status), [], viewer(minutes(0))))).toEqual(offered);
  });

  it('offers no capacity change for an individual session', () => {
    const individual = session('SCHEDULED', { sessionType: 'INDIVIDUAL', maxCapacity: 1 });
    expect(names(sessionActionsOf(individual, [], viewer(minutes(-60))))).not.toContain('changeCapacity');
  });

  it.each([
    // [tenant's early start, minutes before the start, allowed]
    [5, 10, false],
    [60, 10, true],
    [30, 30, true],
    [30, 31, false],
    [0, 0, true],
  ])('with an early start of %i minutes, %i minutes before the start, start is allowed: %s', (early, before, ok) => {
    const start = sessionActionsOf(session('SCHEDULED'), [], viewer(minutes(-before), ['reception'], early))[0];
    expect(start.action).toBe('start');
    expect(start.allowed).toBe(ok);
    expect(start.blockers).toEqual(ok ? [] : ['TOO_EARLY']);
    expect(start.opensAt).toBe(ok ? null : minutes(-early).toISOString());
  });

  it('opens completion at the start, or at the no-show time when completing makes no-shows', () => {
    const complete = (seats: ParticipantStatus[], at: number) =>
      sessionActionsOf(session('IN_PROGRESS'), seats, viewer(minutes(at))).find((a) => a.action === 'complete')!;
    expect(complete(['ARRIVED'], -1)).toMatchObject({ allowed: false, opensAt: startsAt.toISOString() });
    expect(complete(['ARRIVED'], 0).allowed).toBe(true);
    expect(complete(['ARRIVED', 'BOOKED'], 10)).toMatchObject({ allowed: false, opensAt: minutes(15).toISOString() });
    expect(complete(['ARRIVED', 'BOOKED'], 15).allowed).toBe(true);
  });

  it.each([
    [['BOOKED', 'CONFIRMED'], -60, []],
    [['BOOKED', 'CONFIRMED', 'ARRIVED'], -60, ['FULL']],
    [['BOOKED', 'CANCELLED', 'CANCELLED'], -60, []],
    [['BOOKED'], 0, ['STARTED']],
    [['BOOKED', 'BOOKED', 'BOOKED'], 5, ['FULL', 'STARTED']],
  ] as const)('adding patients with seats %j at %i minutes is blocked by %j', (seats, at, blockers) => {
    const add = sessionActionsOf(session('SCHEDULED'), seats, viewer(minutes(at))).find(
      (a) => a.action === 'addPatients',
    )!;
    expect(add.blockers).toEqual(blockers);
    expect(add.allowed).toBe(blockers.length === 0);
  });

  it.each([
    [['provider'], ['start', 'reschedule', 'changeCapacity', 'cancel']],
    [['billing'], []],
    [['admin'], ['start', 'reschedule', 'addPatients', 'changeCapacity', 'cancel']],
  ] as const)('a caller with roles %j is offered only %j', (roles, offered) => {
    expect(names(sessionActionsOf(session('SCHEDULED'), [], viewer(minutes(0), [...roles])))).toEqual(offered);
  });
});

describe('what may be done to a seat now', () => {
  it.each([
    ['BOOKED', ['checkIn', 'confirm', 'noShow', 'remove']],
    ['CONFIRMED', ['checkIn', 'noShow', 'remove']],
    ['ARRIVED', []],
    ['ATTENDED', []],
    ['NO_SHOW', []],
    ['CANCELLED', []],
  ] as const)('a %s seat offers %j', (status, offered) => {
    expect(names(participantActionsOf(seat(status), session('IN_PROGRESS'), viewer(minutes(20))))).toEqual(offered);
  });

  it('offers nothing once the session is closed', () => {
    for (const status of ['COMPLETED', 'CANCELLED'] as const)
      expect(participantActionsOf(seat('BOOKED'), session(status), viewer(minutes(20)))).toEqual([]);
  });

  it.each([
    [{}, 0, []],
    [{ consentVerified: false }, 0, ['CONSENT']],
    [{ financeCleared: false }, 0, ['PAYMENT']],
    [{ consentVerified: false, financeCleared: false }, 0, ['CONSENT', 'PAYMENT']],
    [{ consentVerified: false }, -45, ['TOO_EARLY', 'CONSENT']],
    [{}, -30, []],
  ] as const)('a seat %j at %i minutes checks in blocked by %j', (over, at, blockers) => {
    const checkIn = participantActionsOf(seat('BOOKED', over), session('SCHEDULED'), viewer(minutes(at)))[0];
    expect(checkIn).toMatchObject({ action: 'checkIn', blockers, allowed: blockers.length === 0 });
  });

  it('waits for the grace before a no-show, and says when', () => {
    const noShow = (at: number) =>
      participantActionsOf(seat('BOOKED'), session('IN_PROGRESS'), viewer(minutes(at))).find(
        (a) => a.action === 'noShow',
      )!;
    expect(noShow(14)).toEqual({
      action: 'noShow',
      allowed: false,
      blockers: ['TOO_EARLY'],
      opensAt: minutes(15).toISOString(),
    });
    expect(noShow(15)).toEqual({ action: 'noShow', allowed: true, blockers: [], opensAt: null });
  });

  it('offers a provider the status changes but not the removal, and billing nothing', () => {
    const at = viewer(minutes(20), ['provider']);
    expect(names(participantActionsOf(seat('BOOKED'), session('IN_PROGRESS'), at))).toEqual([
      'checkIn',
      'confirm',
      'noShow',
    ]);
    const billing = viewer(minutes(20), ['billing']);
    expect(participantActionsOf(seat('BOOKED'), session('IN_PROGRESS'), billing)).toEqual([]);
  });
});
