// What the session screens offer, decided from what the API says of a session and its participants. The API decides
// again on every change; these rules only keep the console from offering what it would refuse.
import type { ParticipantStatus, SessionStatus } from '@agdar/contracts/browser';

export function capacityOf(current: number, max: number): { percent: number; full: boolean } {
  const percent = max > 0 ? Math.round((current / max) * 100) : 0;
  return { percent: Math.min(100, percent), full: current >= max };
}

export type CheckInBlocker = 'consent' | 'payment';

/** What keeps a participant from checking in, in the order the desk sorts it out. */
export function checkInBlockers(p: { consentVerified: boolean; financeCleared: boolean }): CheckInBlocker[] {
  return [...(p.consentVerified ? [] : ['consent' as const]), ...(p.financeCleared ? [] : ['payment' as const])];
}

export type ParticipantAction = 'checkIn' | 'confirm' | 'noShow' | 'remove';

const STILL_EXPECTED: readonly ParticipantStatus[] = ['BOOKED', 'CONFIRMED'];

/** How early before its time a session may start, and its patients check in, unless the tenant says otherwise. */
export const DEFAULT_EARLY_MINUTES = 30;

/**
 * The actions on a roster row. Check-in is offered to a booked or confirmed patient from the tenant's early-start
 * window before the session (disabled while something blocks it), never days ahead; no-show once the session's time
 * has come (a session started early does not make anyone a no-show; the API also waits for the tenant's grace);
 * nothing changes once the session is closed.
 */
export function participantActions(
  p: { status: ParticipantStatus },
  session: { status: SessionStatus; startsAt: string },
  now: Date,
  earlyMinutes = DEFAULT_EARLY_MINUTES,
): ParticipantAction[] {
  if (session.status === 'COMPLETED' || session.status === 'CANCELLED') return [];
  if (!STILL_EXPECTED.includes(p.status)) return [];
  const begun = now.getTime() >= Date.parse(session.startsAt);
  const checkInOpen = now.getTime() >= Date.parse(session.startsAt) - earlyMinutes * 60000;
  return [
    ...(checkInOpen ? (['checkIn'] as const) : []),
    ...(p.status === 'BOOKED' ? (['confirm'] as const) : []),
    ...(begun ? (['noShow'] as const) : []),
    'remove',
  ];
}

export type SessionAction = 'start' | 'complete' | 'cancel' | 'reschedule' | 'capacity';

/** What can be done to the session itself, by its status; starting is offered from `earlyMinutes` before its time. */
export function sessionActions(
  session: { status: SessionStatus; startsAt: string; sessionType: 'GROUP' | 'INDIVIDUAL' },
  now: Date,
  earlyMinutes = DEFAULT_EARLY_MINUTES,
): SessionAction[] {
  if (session.status === 'SCHEDULED') {
    const canStart = now.getTime() >= Date.parse(session.startsAt) - earlyMinutes * 60000;
    return [
      ...(canStart ? (['start'] as const) : []),
      'reschedule',
      ...(session.sessionType === 'GROUP' ? (['capacity'] as const) : []),
      'cancel',
    ];
  }
  if (session.status === 'IN_PROGRESS') return ['complete', 'cancel'];
  return [];
}

/** Patients can be added to a scheduled session that has not begun. */
export function canAddPatients(session: { status: SessionStatus; startsAt: string; isFull: boolean }, now: Date) {
  return session.status === 'SCHEDULED' && now.getTime() < Date.parse(session.startsAt);
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
