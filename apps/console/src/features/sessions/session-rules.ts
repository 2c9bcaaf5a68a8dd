// What the session screens show of what the API says of a session and its participants. What may be done is the
// server's decision, in each body's `actions` (for this user, now, under the tenant's rules): the console shows it.
import type { ActionBlocker, SessionStatus } from '@agdar/contracts/browser';

export function capacityOf(current: number, max: number): { percent: number; full: boolean } {
  const percent = max > 0 ? Math.round((current / max) * 100) : 0;
  return { percent: Math.min(100, percent), full: current >= max };
}

export type CheckInBlocker = 'consent' | 'payment';

/** What keeps a participant from checking in, in the order the desk sorts it out. */
export function checkInBlockers(p: { consentVerified: boolean; financeCleared: boolean }): CheckInBlocker[] {
  return [...(p.consentVerified ? [] : ['consent' as const]), ...(p.financeCleared ? [] : ['payment' as const])];
}

/** One action as the server offers it in a body's `actions`. */
export interface Offer<A extends string> {
  action: A;
  allowed: boolean;
  blockers: readonly ActionBlocker[];
  opensAt: string | null;
}

/**
 * The offer of `action` to show: none when the server does not offer it to this user now, or only waits for its time
 * (it appears when that comes: the page polls). A shown offer may still be disabled by what blocks it.
 */
export function shownOffer<A extends string>(offers: readonly Offer<A>[], action: A): Offer<A> | null {
  const offer = offers.find((o) => o.action === action);
  return offer && !offer.blockers.includes('TOO_EARLY') ? offer : null;
}

/** The session of the day that starts next (or is about to): the first not yet begun and not cancelled. */
export function nextToStart<T extends { id: string; startsAt: string; status: SessionStatus }>(
  sessions: T[],
  now: Date,
): T | null {
  return (
    [...sessions]
      .filter((s) => s.status === 'SCHEDULED' && Date.parse(s.startsAt) >= now.getTime())
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0] ?? null
  );
}
