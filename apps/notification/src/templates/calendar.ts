// The iCalendar invitation each patient email carries (ical-generator writes it). It names its recipient only: one
// attendee, never the other members of a group. The UID is the participant's, so a move (METHOD:REQUEST) or a
// cancellation (METHOD:CANCEL) with a higher SEQUENCE updates the entry the recipient's calendar already holds.
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { MessageFacts } from './templates';

export interface Invitation {
  participantId: string;
  sequence: number;
  cancel: boolean;
  recipient: { name: string; email: string };
  organizer: { name: string; email: string };
}

/**
 * A name as an iCalendar parameter value (RFC 5545 3.2: a quoted value holds no DQUOTE and no control characters, and
 * ical-generator quotes without escaping), so that a name with `"` or a line break cannot add parameters or lines.
 */
export function parameterText(name: string): string {
  return name
    .replace(/["\p{Cc}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function invitationOf(facts: MessageFacts, subject: string, invitation: Invitation): string {
  const calendar = ical({
    prodId: { company: 'Agdar', product: 'Clinic scheduling', language: 'EN' },
    method: invitation.cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: `${invitation.participantId}@agdar.clinic`,
    sequence: invitation.sequence,
    start: new Date(facts.startsAt),
    end: new Date(facts.endsAt),
    summary: subject,
    description: `${facts.appointmentNumber ?? facts.sessionNumber} · ${facts.serviceName}`,
    location: facts.clinicName,
    status: invitation.cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { ...invitation.organizer, name: parameterText(invitation.organizer.name) },
    attendees: [
      {
        name: parameterText(invitation.recipient.name),
        email: invitation.recipient.email,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      },
    ],
  });
  return calendar.toString();
}
