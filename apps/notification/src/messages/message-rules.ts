// The rules of who gets which message, on which channel, when, and how often a send is tried. Pure: no I/O.
import { createHash } from 'node:crypto';
import type { Contact, SeatNow } from '../facts/facts';
import { Channel, clinicTimeToUtc, clinicWallClock, Language, MessageKind, ParticipantStatus } from '@agdar/contracts';

/** One message to send on one channel, or the reason it is not sent. */
export type Addressing =
  | { channel: Channel; recipient: string; recipientName: string; language: Language }
  | { channel: Channel | null; skip: string; language: Language };

/**
 * Where a patient's messages go: on each channel they chose, to their guardian where they have one (a child's
 * messages go to the guardian; the patient's own address only where the guardian has none on that channel).
 */
export function addressingOf(contact: Contact): Addressing[] {
  const language = contact.language;
  if (contact.channels.length === 0)
    return [{ channel: null, skip: 'opted out: the patient chose no channel', language }];
  const guardian = contact.guardianName !== null;
  const recipientName = guardian ? contact.guardianName! : nameIn(contact, language);
  return contact.channels.map((channel) => {
    const address =
      channel === 'email'
        ? ((guardian ? contact.guardianEmail : null) ?? contact.email)
        : ((guardian ? contact.guardianPhone : null) ?? contact.phone);
    if (!address) return { channel, skip: channel === 'email' ? 'no email address' : 'no phone number', language };
    return { channel, recipient: address, recipientName, language };
  });
}

export function nameIn(contact: Pick<Contact, 'nameEn' | 'nameAr'>, language: Language): string {
  return language === 'ar' && contact.nameAr ? contact.nameAr : contact.nameEn;
}

/** Cancellations and moves cannot wait for the morning; confirmations, reminders and staff notes can. */
export function isUrgent(kind: MessageKind): boolean {
  return kind === 'PARTICIPANT_CANCELLED' || kind === 'SESSION_CANCELLED' || kind === 'SESSION_RESCHEDULED';
}

/** Whether a participant still expects their session: reminders go only to these. */
export function isActiveParticipant(status: ParticipantStatus | string): boolean {
  return status === 'BOOKED' || status === 'CONFIRMED';
}

/** Whether a seat in this state is owed reminders for its session: it still expects it, and the session is still on. */
export function expectsSession(seatStatus: string, session: { status: string }): boolean {
  return isActiveParticipant(seatStatus) && session.status === 'SCHEDULED';
}

/** Whether a newer snapshot of a session moved its start. */
export function startMoved(previous: { startsAt: Date }, current: { startsAt: Date }): boolean {
  return previous.startsAt.getTime() !== current.startsAt.getTime();
}

export interface QuietHours {
  start: string;
  end: string;
  timezone: string;
}

/**
 * When a message may go: at once, except a non-urgent SMS inside the clinic's quiet hours, which waits until they end
 * (held, never dropped). A window whose start is after its end spans midnight (21:00-08:00).
 */
export function sendableFrom(
  now: Date,
  message: { channel: Channel | null; urgent: boolean },
  quiet: QuietHours | null,
): Date {
  if (!quiet || message.urgent || message.channel !== 'sms') return now;
  const { date, time } = clinicWallClock(now, quiet.timezone);
  const spansMidnight = quiet.start > quiet.end;
  const inside = spansMidnight ? time >= quiet.start || time < quiet.end : time >= quiet.start && time < quiet.end;
  if (!inside) return now;
  const endDate = spansMidnight && time >= quiet.start ? nextDate(date) : date;
  return clinicTimeToUtc(endDate, quiet.end, quiet.timezone) ?? new Date(now.getTime() + 3600_000);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
}

export const MAX_SEND_ATTEMPTS = 5;

/** Wait before the next try of a send that failed for a reason that may pass: 10 s, 40 s, 2.7 min, 10 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(10_000 * 4 ** (attempts - 1), 600_000);
}

/** What the delivery log shows of an address: enough to tell which, not enough to use. */
export function maskRecipient(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  if (address.length <= 6) return '*'.repeat(address.length);
  return `${address.slice(0, 6)}${'*'.repeat(address.length - 8)}${address.slice(-2)}`;
}

/**
 * A provider's answer as the delivery log shows it: every phone number (9 to 15 digits, with or without +) and email
 * address in it masked like the recipient, since providers echo the numbers they were sent to.
 */
export function maskContactsIn(answer: string): string {
  return answer
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, (email) => maskRecipient(email))
    .replace(/\+?\d{9,15}/g, (phone) => maskRecipient(phone));
}

/** The reminders a participant is owed for a session that starts at `startsAt`: those still in the future. */
export function reminderSchedule(
  participantId: string,
  startsAt: Date,
  offsetsSeconds: readonly number[],
  now: Date,
): { id: string; offsetSeconds: number; fireAt: Date }[] {
  // Settings refuse repeated offsets; a repeat kept from before is one reminder, not a poison for every booking.
  return [...new Set(offsetsSeconds)]
    .map((offsetSeconds) => ({
      id: reminderId(participantId, offsetSeconds, startsAt),
      offsetSeconds,
      fireAt: new Date(startsAt.getTime() - offsetSeconds * 1000),
    }))
    .filter((r) => r.fireAt.getTime() > now.getTime());
}

/**
 * A reminder's id, which is also its BullMQ job id: the same participant, offset and start always give the same id,
 * so a redelivered booking cannot schedule a reminder twice, and a moved session gives new ones.
 */
export function reminderId(participantId: string, offsetSeconds: number, startsAt: Date): string {
  return uuidFrom(`reminder|${participantId}|${offsetSeconds}|${startsAt.toISOString()}`);
}

/** A name-based UUID (version 5 layout over SHA-1), for ids that must come out the same every time. */
export function uuidFrom(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The key that makes a message once-only: what caused it (an event, a reminder) and the channel it goes on. */
export function dedupeKeyOf(cause: string, subject: string, channel: Channel | null): string {
  return `${cause}/${subject}/${channel ?? 'any'}`;
}

/**
 * Whether an imported appointment is told anything (confirmation, reminders): only when the import asked to notify,
 * and only for an appointment still ahead and still expected. Nothing is ever sent about the past.
 */
export function notifiesImported(
  imported: { notify: boolean; status: string } | undefined,
  startsAt: Date,
  now: Date,
): boolean {
  if (!imported) return true;
  return (
    imported.notify &&
    startsAt.getTime() > now.getTime() &&
    (imported.status === 'BOOKED' || imported.status === 'CONFIRMED')
  );
}

/**
 * Whether a seat's message is still wanted, and the facts it goes with: the session's newest start and end (a late
 * fact never sends an old time), and for a move the start the family was last told. A confirmation or reminder goes
 * only to a seat still expecting its session; a reminder only for the start it was owed for; a move only if it is the
 * seat's latest and tells the family a start other than the one they have (none told yet: the confirmation tells it).
 */
export function seatMessageNow(
  row: { kind: string; facts: Record<string, unknown> },
  seat: SeatNow,
): { facts: Record<string, unknown> } | { skip: string } {
  const expecting =
    row.kind === 'BOOKING_CONFIRMATION' || row.kind === 'REMINDER' || row.kind === 'SESSION_RESCHEDULED';
  if (expecting && seat.participantStatus && !isActiveParticipant(seat.participantStatus)) {
    return { skip: `participant ${seat.participantStatus.toLowerCase()}` };
  }
  if (expecting && seat.sessionStatus === 'CANCELLED') return { skip: 'session cancelled' };
  if (row.kind === 'REMINDER' && seat.startsAt && seat.startsAt.toISOString() !== row.facts.startsAt) {
    return { skip: 'session moved: the reminder of the new time goes instead' };
  }
  if (row.kind === 'SESSION_RESCHEDULED') {
    if (seat.superseded) return { skip: 'a later move of the session is told instead' };
    if (!seat.toldStartsAt) return { skip: 'no time told yet: the confirmation tells the new one' };
    if (seat.startsAt && seat.toldStartsAt.getTime() === seat.startsAt.getTime()) {
      return { skip: 'the family already has this time' };
    }
  }
  if (!seat.startsAt || !seat.endsAt) return { facts: row.facts };
  return {
    facts: {
      ...row.facts,
      startsAt: seat.startsAt.toISOString(),
      endsAt: seat.endsAt.toISOString(),
      ...(seat.timezone ? { timezone: seat.timezone } : {}),
      ...(row.kind === 'SESSION_RESCHEDULED' && seat.toldStartsAt
        ? { previousStartsAt: seat.toldStartsAt.toISOString() }
        : {}),
    },
  };
}
