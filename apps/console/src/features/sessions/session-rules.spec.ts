import {
  canAddPatients,
  capacityOf,
  checkInBlockers,
  nextToStart,
  participantActions,
  sessionActions,
} from './session-rules';

const now = new Date('2026-12-01T09:00:00Z');
const inMinutes = (m: number) => new Date(now.getTime() + m * 60000).toISOString();

describe('session rules of the console', () => {
  it('shows capacity as current of max, rounded, full at max', () => {
    expect(capacityOf(2, 3)).toEqual({ percent: 67, full: false });
    expect(capacityOf(3, 3)).toEqual({ percent: 100, full: true });
    expect(capacityOf(0, 20)).toEqual({ percent: 0, full: false });
  });

  it('names what blocks check-in: consent, then payment', () => {
    expect(checkInBlockers({ consentVerified: false, financeCleared: false })).toEqual(['consent', 'payment']);
    expect(checkInBlockers({ consentVerified: true, financeCleared: false })).toEqual(['payment']);
    expect(checkInBlockers({ consentVerified: true, financeCleared: true })).toEqual([]);
  });

  it("offers no-show only once the session's time has come, and nothing once it is closed", () => {
    const scheduledLater = { status: 'SCHEDULED' as const, startsAt: inMinutes(20) };
    expect(participantActions({ status: 'BOOKED' }, scheduledLater, now)).toEqual(['checkIn', 'confirm', 'remove']);
    // Check-in opens with the tenant's early-start window, not days ahead.
    const nextWeek = { status: 'SCHEDULED' as const, startsAt: inMinutes(7 * 1440) };
    expect(participantActions({ status: 'BOOKED' }, nextWeek, now)).toEqual(['confirm', 'remove']);
    expect(participantActions({ status: 'BOOKED' }, scheduledLater, now, 10)).toEqual(['confirm', 'remove']);
    expect(participantActions({ status: 'BOOKED' }, nextWeek, now, 7 * 1440)).toEqual(['checkIn', 'confirm', 'remove']);
    // Started early: the patients are not late yet.
    expect(participantActions({ status: 'CONFIRMED' }, { ...scheduledLater, status: 'IN_PROGRESS' }, now)).toEqual([
      'checkIn',
      'remove',
    ]);
    const begun = { status: 'IN_PROGRESS' as const, startsAt: inMinutes(-20) };
    expect(participantActions({ status: 'CONFIRMED' }, begun, now)).toEqual(['checkIn', 'noShow', 'remove']);
    expect(participantActions({ status: 'ARRIVED' }, scheduledLater, now)).toEqual([]);
    expect(participantActions({ status: 'BOOKED' }, { ...scheduledLater, status: 'COMPLETED' }, now)).toEqual([]);
  });

  it('offers start from 30 minutes before, capacity for groups only, complete while running', () => {
    const group = { status: 'SCHEDULED' as const, startsAt: inMinutes(45), sessionType: 'GROUP' as const };
    expect(sessionActions(group, now)).toEqual(['reschedule', 'capacity', 'cancel']);
    expect(sessionActions({ ...group, startsAt: inMinutes(25) }, now)).toEqual([
      'start',
      'reschedule',
      'capacity',
      'cancel',
    ]);
    expect(sessionActions({ ...group, sessionType: 'INDIVIDUAL' }, now)).toEqual(['reschedule', 'cancel']);
    expect(sessionActions({ ...group, status: 'IN_PROGRESS' }, now)).toEqual(['complete', 'cancel']);
    expect(sessionActions({ ...group, status: 'CANCELLED' }, now)).toEqual([]);
  });

  it('adds patients until the session begins', () => {
    expect(canAddPatients({ status: 'SCHEDULED', startsAt: inMinutes(1), isFull: false }, now)).toBe(true);
    expect(canAddPatients({ status: 'SCHEDULED', startsAt: inMinutes(0), isFull: false }, now)).toBe(false);
    expect(canAddPatients({ status: 'IN_PROGRESS', startsAt: inMinutes(10), isFull: false }, now)).toBe(false);
  });

  it('picks the next scheduled session to start, skipping begun and cancelled ones', () => {
    const sessions = [
      { id: 'past', startsAt: inMinutes(-10), status: 'SCHEDULED' as const },
      { id: 'cancelled', startsAt: inMinutes(5), status: 'CANCELLED' as const },
      { id: 'later', startsAt: inMinutes(60), status: 'SCHEDULED' as const },
      { id: 'next', startsAt: inMinutes(15), status: 'SCHEDULED' as const },
    ];
    expect(nextToStart(sessions, now)?.id).toBe('next');
    expect(nextToStart([], now)).toBeNull();
  });
});
