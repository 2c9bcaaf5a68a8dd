// One short history of a group session with two seats (A and B), as scheduling publishes it, and every order it can
// be read in. The projections' tests apply each order and expect one final state and the same messages: the two
// topics it travels on are read in any interleaving, and a replay or a lagging partition can reorder even more.
import { randomUUID } from 'node:crypto';
import {
  Envelope,
  EventMeta,
  ParticipantBooked,
  ParticipantCancelled,
  ParticipantStatusChanged,
  SessionCancelled,
  SessionRescheduled,
  SessionSnapshot,
} from '@agdar/contracts';
import { buildEnvelope } from '@agdar/messaging';
import { clinicDateTime } from './dates';

/** The steps a history is made of, each one or two facts of one transaction in scheduling. */
export type HistoryStepName = 'book' | 'confirm' | 'reschedule' | 'rescheduleBack' | 'cancelSeat' | 'cancelSession';

export interface HistoryStep {
  name: HistoryStepName;
  events: Envelope[];
}

export interface SeatIds {
  participantId: string;
  patientId: string;
  appointmentNumber: string;
}

export interface SessionHistory {
  sessionId: string;
  seats: { A: SeatIds; B: SeatIds };
  steps: HistoryStep[];
  /** The two starts the session takes: where it is first, and where a reschedule moves it. */
  starts: { T1: Date; T2: Date };
}

export interface HistoryPlace {
  tenant: string;
  serviceTypeId: string;
  clinicId?: string;
  roomId?: string;
  providerId?: string;
  timezone?: string;
}

/**
 * The history of the named steps, in that order (the order scheduling wrote them): each fact carries the session's
 * snapshot at its version. `book` books A and B; `confirm` confirms A; `reschedule` moves the session a day later,
 * `rescheduleBack` moves it back; `cancelSeat` cancels B; `cancelSession` cancels the session and with it A.
 */
export function sessionHistory(place: HistoryPlace, names: HistoryStepName[], starts: SessionHistory['starts']) {
  const sessionId = randomUUID();
  const n = Math.floor(Math.random() * 1e6);
  const seat = (label: string): SeatIds => ({
    participantId: randomUUID(),
    patientId: randomUUID(),
    appointmentNumber: `APT-${place.tenant}-2030-${label}${n}`,
  });
  const seats = { A: seat('1'), B: seat('2') };
  const meta: EventMeta = { tenant: place.tenant, actor: 'reception', correlationId: `history-${sessionId}` };
  let version = 0;
  let startsAt = starts.T1;
  let status: SessionSnapshot['status'] = 'SCHEDULED';
  const statusOf: Record<'A' | 'B', 'BOOKED' | 'CONFIRMED'> = { A: 'BOOKED', B: 'BOOKED' };
  const snapshot = (): SessionSnapshot => {
    const { scheduledDate, scheduledTime } = clinicDateTime(startsAt, place.timezone ?? 'Asia/Riyadh');
    return {
      sessionId,
      version: ++version,
      sessionNumber: `SES-${place.tenant}-2030-${n}`,
      sessionType: 'GROUP',
      status,
      maxCapacity: 4,
      clinicId: place.clinicId ?? randomUUID(),
      roomId: place.roomId ?? randomUUID(),
      providerId: place.providerId ?? randomUUID(),
      serviceTypeId: place.serviceTypeId,
      timezone: place.timezone ?? 'Asia/Riyadh',
      scheduledDate,
      scheduledTime,
      durationMinutes: 60,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
    };
  };
  const facts = (label: 'A' | 'B') => ({ session: snapshot(), ...seats[label] });
  const move = (to: Date) => {
    const from = startsAt;
    startsAt = to;
    return buildEnvelope(
      SessionRescheduled,
      {
        session: snapshot(),
        previousStartsAt: from.toISOString(),
        previousEndsAt: new Date(from.getTime() + 3600_000).toISOString(),
        changedFields: ['scheduledDate'],
      },
      meta,
    );
  };
  const build: Record<HistoryStepName, () => Envelope[]> = {
    book: () =>
      (['A', 'B'] as const).map((label) =>
        buildEnvelope(ParticipantBooked, { ...facts(label), financeCleared: false, consentVerified: false }, meta),
      ),
    confirm: () => {
      statusOf.A = 'CONFIRMED';
      return [
        buildEnvelope(ParticipantStatusChanged, { ...facts('A'), from: 'BOOKED', to: 'CONFIRMED', reason: null }, meta),
      ];
    },
    reschedule: () => [move(starts.T2)],
    rescheduleBack: () => [move(starts.T1)],
    cancelSeat: () => [
      buildEnvelope(ParticipantCancelled, { ...facts('B'), from: statusOf.B, reason: 'Family request' }, meta),
    ],
    cancelSession: () => {
      status = 'CANCELLED';
      return [
        buildEnvelope(ParticipantCancelled, { ...facts('A'), from: statusOf.A, reason: 'Therapist ill' }, meta),
        buildEnvelope(
          SessionCancelled,
          { session: snapshot(), reason: 'Therapist ill', cancelledParticipants: 1 },
          meta,
        ),
      ];
    },
  };
  const steps = names.map((name) => ({ name, events: build[name]() }));
  return { sessionId, seats, steps, starts } satisfies SessionHistory;
}

/** Every order of the items (n! of them), the given order first. */
export function permutationsOf<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((first, i) =>
    permutationsOf([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]),
  );
}
