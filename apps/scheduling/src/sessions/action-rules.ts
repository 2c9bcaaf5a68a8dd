// What a caller may do now to a session and to each seat, and what blocks it: the answer bodies carry, so front ends
// offer exactly what the server would accept and decide nothing of their own. Pure, and built from the same rules the
// use cases assert (transitions, capacity, the tenant's clock), so the offer and the refusal never disagree.
import {
  ActionBlocker,
  ParticipantAction,
  ParticipantAllowance,
  ParticipantStatus,
  Role,
  SessionAction,
  SessionAllowance,
  SessionsApi,
  SessionStatus,
  SessionType,
} from '@agdar/contracts';
import {
  canParticipantMove,
  canSessionMove,
  completionMakesNoShows,
  isActive,
  missingForCheckIn,
} from './session-rules';
import { completeOpensAt, noShowOpensAt, startOpensAt, TimeRules } from './time-rules';

/** Who is asking, and when, under which of the tenant's clock rules. */
export interface Viewer {
  roles: readonly Role[];
  now: Date;
  rules: TimeRules;
}

/** The caller, now, under the tenant's clock rules. */
export function viewerOf(user: { roles: readonly Role[] }, rules: TimeRules, now = new Date()): Viewer {
  return { roles: user.roles, now, rules };
}

/** Each action is the endpoint that performs it: the endpoint's declared roles say who may. */
const { addPatient, removeParticipant, updateParticipant, updateSession } = SessionsApi;
const PERFORMED_BY: Record<SessionAction | ParticipantAction, { roles: readonly Role[] }> = {
  start: updateSession,
  complete: updateSession,
  reschedule: updateSession,
  changeCapacity: updateSession,
  cancel: updateSession,
  addPatients: addPatient,
  checkIn: updateParticipant,
  confirm: updateParticipant,
  noShow: updateParticipant,
  remove: removeParticipant,
};

function mayPerform(viewer: Viewer, action: SessionAction | ParticipantAction): boolean {
  return PERFORMED_BY[action].roles.some((role) => viewer.roles.includes(role));
}

/** An action blocked by what is listed, and by the clock until `opensAt` (ms) when given. */
function allowance<A>(action: A, viewer: Viewer, blockers: ActionBlocker[], opensAt: number | null = null) {
  const early = opensAt !== null && viewer.now.getTime() < opensAt;
  const all: ActionBlocker[] = [...(early ? (['TOO_EARLY'] as const) : []), ...blockers];
  return { action, allowed: all.length === 0, blockers: all, opensAt: early ? new Date(opensAt).toISOString() : null };
}

export interface SessionForActions {
  status: SessionStatus;
  sessionType: SessionType;
  maxCapacity: number;
  startsAt: Date;
  timezone: string;
}

/**
 * A scheduled session may be started (from the tenant's early-start window), rescheduled, given patients (while a
 * spot is free and its time has not come), resized (a group) and cancelled; a running one completed (from its start,
 * or from the no-show time when completing makes no-shows), resized and cancelled; a closed one nothing.
 */
export function sessionActionsOf(
  session: SessionForActions,
  seats: readonly ParticipantStatus[],
  viewer: Viewer,
): SessionAllowance[] {
  const { now, rules } = viewer;
  const group = session.sessionType === 'GROUP';
  const offered: SessionAllowance[] = [];
  if (canSessionMove(session.status, 'IN_PROGRESS'))
    offered.push(allowance('start', viewer, [], startOpensAt(session, rules)));
  if (canSessionMove(session.status, 'COMPLETED')) {
    const opensAt = completeOpensAt(session, rules, completionMakesNoShows(seats));
    offered.push(allowance('complete', viewer, [], opensAt));
  }
  if (session.status === 'SCHEDULED') {
    offered.push(allowance('reschedule', viewer, []));
    const full = seats.filter(isActive).length >= session.maxCapacity;
    const started = now.getTime() >= session.startsAt.getTime();
    const blockers: ActionBlocker[] = [
      ...(full ? (['FULL'] as const) : []),
      ...(started ? (['STARTED'] as const) : []),
    ];
    offered.push(allowance('addPatients', viewer, blockers));
  }
  if (group && (session.status === 'SCHEDULED' || session.status === 'IN_PROGRESS'))
    offered.push(allowance('changeCapacity', viewer, []));
  if (canSessionMove(session.status, 'CANCELLED')) offered.push(allowance('cancel', viewer, []));
  return offered.filter((a) => mayPerform(viewer, a.action));
}

export interface SeatForActions {
  status: ParticipantStatus;
  financeCleared: boolean;
  consentVerified: boolean;
}

/**
 * A seat still expected may be checked in (from the early-start window, once consent is verified and the invoice
 * paid), confirmed while booked, marked a no-show (after the tenant's grace) and removed; nothing changes once the
 * session is closed or the seat's outcome is settled.
 */
export function participantActionsOf(
  seat: SeatForActions,
  session: Pick<SessionForActions, 'status' | 'startsAt' | 'timezone'>,
  viewer: Viewer,
): ParticipantAllowance[] {
  if (session.status === 'COMPLETED' || session.status === 'CANCELLED') return [];
  const offered: ParticipantAllowance[] = [];
  const can = (to: ParticipantStatus) => canParticipantMove(seat.status, to);
  if (can('ARRIVED')) {
    const missing = missingForCheckIn(seat);
    const blockers: ActionBlocker[] = [
      ...(missing.includes('consentVerified') ? (['CONSENT'] as const) : []),
      ...(missing.includes('financeCleared') ? (['PAYMENT'] as const) : []),
    ];
    offered.push(allowance('checkIn', viewer, blockers, startOpensAt(session, viewer.rules)));
  }
  if (can('CONFIRMED')) offered.push(allowance('confirm', viewer, []));
  if (can('NO_SHOW')) offered.push(allowance('noShow', viewer, [], noShowOpensAt(session, viewer.rules)));
  if (can('CANCELLED')) offered.push(allowance('remove', viewer, []));
  return offered.filter((a) => mayPerform(viewer, a.action));
}
