// The clock rules of sessions (docs/domain-rules.md): how far ahead a session is scheduled, and from when it may be
// started, its patients checked in, marked no-shows, and the session completed. `now` is given, not read: the rules
// stay pure and their tests exact. The assertions and the actions a body offers (action-rules.ts) use the same times.
import { clinicWallClock, DEFAULT_EARLY_START_MINUTES, DEFAULT_NO_SHOW_GRACE_MINUTES } from '@agdar/contracts';
import { DomainError, fieldProblem } from '@agdar/service-kit';

/** How far ahead a session may be scheduled. */
export const MAX_DAYS_AHEAD = 730;

/** A new or moved session starts in the future and within MAX_DAYS_AHEAD of the clinic's today. */
export function assertSchedulable(startsAt: Date, scheduledDate: string, now: Date, clinicToday: string): void {
  if (scheduledDate < clinicToday) {
    throw fieldProblem(
      'VALIDATION_FAILED',
      'scheduledDate',
      'must not be in the past',
      `${scheduledDate} has passed; choose a date from today on.`,
    );
  }
  if (startsAt.getTime() <= now.getTime()) {
    throw fieldProblem(
      'VALIDATION_FAILED',
      'scheduledTime',
      'must be in the future',
      'That time has passed; choose a later time.',
    );
  }
  const latest = new Date(`${clinicToday}T00:00:00Z`);
  latest.setUTCDate(latest.getUTCDate() + MAX_DAYS_AHEAD);
  if (scheduledDate > latest.toISOString().slice(0, 10)) {
    throw fieldProblem(
      'VALIDATION_FAILED',
      'scheduledDate',
      `must be within ${MAX_DAYS_AHEAD} days from today`,
      `Sessions are scheduled at most ${MAX_DAYS_AHEAD} days ahead.`,
    );
  }
}

/** Nobody joins a session whose start has passed. */
export function assertNotStarted(session: { startsAt: Date; scheduledTime: string }, now: Date): void {
  if (now.getTime() >= session.startsAt.getTime()) {
    throw new DomainError(
      'SESSION_ALREADY_STARTED',
      `The session began at ${session.scheduledTime}; patients can no longer be added. Choose a session that has not started.`,
    );
  }
}

/** The tenant's clock rules: how early a session may start (and its patients check in), how long no-shows wait. */
export interface TimeRules {
  earlyStartMinutes: number;
  noShowGraceMinutes: number;
}

export const DEFAULT_TIME_RULES: TimeRules = {
  earlyStartMinutes: DEFAULT_EARLY_START_MINUTES,
  noShowGraceMinutes: DEFAULT_NO_SHOW_GRACE_MINUTES,
};

type Timed = { startsAt: Date; timezone: string };

/** "10:15 (Asia/Riyadh)": an instant as the clinic's clock shows it, for a person reading a refusal. */
function clinicClock(at: Date, timezone: string): string {
  const { date, time } = clinicWallClock(at, timezone);
  return `${date} ${time} (${timezone})`;
}

function tooEarly(from: number, session: Timed, what: string): DomainError {
  const detail = `${what} from ${clinicClock(new Date(from), session.timezone)}; try again then.`;
  return fieldProblem('TOO_EARLY', 'status', 'is too early', detail);
}

/** When a session may be started, and its patients checked in: `earlyStartMinutes` before its time. */
export function startOpensAt(session: Timed, rules: TimeRules): number {
  return session.startsAt.getTime() - rules.earlyStartMinutes * 60000;
}

/** When a patient who has not come may be marked NO_SHOW: the tenant's grace after the start. */
export function noShowOpensAt(session: Timed, rules: TimeRules): number {
  return session.startsAt.getTime() + rules.noShowGraceMinutes * 60000;
}

/**
 * When a session may be completed: from its start; when completing would make patients who have not come no-shows,
 * from the no-show time, so an early start followed by a hurried "complete" does not cost families the no-show fee.
 */
export function completeOpensAt(session: Timed, rules: TimeRules, makesNoShows: boolean): number {
  return makesNoShows ? noShowOpensAt(session, rules) : session.startsAt.getTime();
}

/** A session is started at most `earlyStartMinutes` before its time. */
export function assertCanStartAt(session: Timed, now: Date, rules: TimeRules): void {
  const from = startOpensAt(session, rules);
  if (now.getTime() < from) throw tooEarly(from, session, 'The session can be started');
}

/** A patient checks in (ARRIVED) from when the session may start, not days ahead. */
export function assertCheckInTime(session: Timed, now: Date, rules: TimeRules): void {
  const from = startOpensAt(session, rules);
  if (now.getTime() < from) throw tooEarly(from, session, 'Patients of this session can be checked in');
}

/** Nobody is a no-show before the tenant's grace after the start has passed, however early the session started. */
export function assertNoShowTime(session: Timed, now: Date, rules: TimeRules): void {
  const from = noShowOpensAt(session, rules);
  if (now.getTime() < from) throw tooEarly(from, session, 'A participant can be marked NO_SHOW');
}

/** A session is completed from completeOpensAt; the refusal says which of its two times it waits for. */
export function assertCanCompleteAt(session: Timed, now: Date, rules: TimeRules, makesNoShows: boolean): void {
  const from = completeOpensAt(session, rules, makesNoShows);
  if (now.getTime() >= from) return;
  const what = makesNoShows
    ? 'The session can be completed (its patients not checked in become no-shows)'
    : 'The session can be completed';
  throw tooEarly(from, session, what);
}
