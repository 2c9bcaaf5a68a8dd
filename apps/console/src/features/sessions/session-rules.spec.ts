import { capacityOf, checkInBlockers, nextToStart, Offer, shownOffer } from './session-rules';

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

  it("shows the server's offers, and hides one that only waits for its time", () => {
    const offers: Offer<'start' | 'cancel' | 'checkIn'>[] = [
      { action: 'start', allowed: false, blockers: ['TOO_EARLY'], opensAt: inMinutes(20) },
      { action: 'checkIn', allowed: false, blockers: ['CONSENT'], opensAt: null },
      { action: 'cancel', allowed: true, blockers: [], opensAt: null },
    ];
    expect(shownOffer(offers, 'start')).toBeNull();
    expect(shownOffer(offers, 'checkIn')).toMatchObject({ allowed: false, blockers: ['CONSENT'] });
    expect(shownOffer(offers, 'cancel')).toMatchObject({ allowed: true });
    expect(shownOffer(offers.slice(1), 'start')).toBeNull();
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
