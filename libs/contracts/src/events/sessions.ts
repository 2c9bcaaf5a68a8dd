// Facts about sessions and their participants. Every event carries the session snapshot billing and notification
// need (numbers, service type, clinic, provider, times), so no consumer has to call scheduling back, and the version of
// the session's history it was taken at: each fact about a session or one of its participants moves the session one
// version on, in the transaction of the change. The two topics (sessions, participants) may be read in any
// interleaving, so a consumer keeps the newest it has seen and ignores an older one (docs/architecture.md).
import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';
import { CANCELLED_BY, MAX_GROUP_CAPACITY, PARTICIPANT_STATUSES, SESSION_STATUSES, SESSION_TYPES } from '../vocabulary';

const participantStatus = z.enum(PARTICIPANT_STATUSES);

export const sessionSnapshotSchema = z.strictObject({
  sessionId: z.uuid(),
  /** The session's version after this fact: strictly increasing over every fact of the session and its seats. */
  version: z.number().int().min(1),
  sessionNumber: z.string(),
  sessionType: z.enum(SESSION_TYPES),
  status: z.enum(SESSION_STATUSES),
  maxCapacity: z.number().int().min(1).max(MAX_GROUP_CAPACITY),
  clinicId: z.uuid(),
  roomId: z.uuid(),
  providerId: z.uuid(),
  serviceTypeId: z.uuid(),
  timezone: z.string(),
  scheduledDate: z.iso.date(),
  scheduledTime: z.string(),
  durationMinutes: z.number().int(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
});
export type SessionSnapshot = z.infer<typeof sessionSnapshotSchema>;

const participantFields = {
  session: sessionSnapshotSchema,
  participantId: z.uuid(),
  appointmentNumber: z.string(),
  patientId: z.uuid(),
};

/** A fact about a session: its snapshot plus what the fact adds; on the sessions topic, keyed by session id. */
function sessionFact<T extends string, F extends z.ZodRawShape>(type: T, fields: F) {
  return defineEvent({
    type,
    version: 1,
    topic: Topics.sessions,
    keyOf: (d) => (d as { session: SessionSnapshot }).session.sessionId,
    schema: z.strictObject({ session: sessionSnapshotSchema, ...fields }),
  });
}

/** A fact about one participant of a session; on the participants topic, keyed by session id (per-session order). */
function participantFact<T extends string, F extends z.ZodRawShape>(type: T, fields: F) {
  return defineEvent({
    type,
    version: 1,
    topic: Topics.participants,
    keyOf: (d) => (d as { session: SessionSnapshot }).session.sessionId,
    schema: z.strictObject({ ...participantFields, ...fields }),
  });
}

export const SessionScheduled = sessionFact('SessionScheduled', {});
export const SessionRescheduled = sessionFact('SessionRescheduled', {
  previousStartsAt: z.iso.datetime(),
  previousEndsAt: z.iso.datetime(),
  changedFields: z.array(z.string()),
});
/** Notes or capacity changed; notes themselves stay in scheduling (they are clinical). */
export const SessionUpdated = sessionFact('SessionUpdated', { changedFields: z.array(z.string()) });
export const SessionStarted = sessionFact('SessionStarted', {});
export const SessionCompleted = sessionFact('SessionCompleted', {
  attended: z.number().int(),
  noShows: z.number().int(),
});
export const SessionCancelled = sessionFact('SessionCancelled', {
  reason: z.string(),
  cancelledParticipants: z.number().int(),
});
/** The booking that filled the session. */
export const SessionFull = sessionFact('SessionFull', {});
/** A spot freed in a session that was full. */
export const SpotOpened = sessionFact('SpotOpened', { availableSpots: z.number().int().min(1) });

/**
 * An appointment brought in from a clinic's previous system: what it was there. Billing does not invoice what the
 * legacy system already billed (or a cancelled one); notification sends nothing for it unless the import asked to
 * notify, and then only for appointments still ahead and expected.
 */
export const importedAppointmentSchema = z.strictObject({
  source: z.string(),
  sourceId: z.string(),
  status: participantStatus,
  legacyBilled: z.boolean(),
  notify: z.boolean(),
});
export type ImportedAppointment = z.infer<typeof importedAppointmentSchema>;

export const ParticipantBooked = participantFact('ParticipantBooked', {
  financeCleared: z.boolean(),
  consentVerified: z.boolean(),
  /** Present only for an imported appointment. */
  imported: importedAppointmentSchema.optional(),
});
export const ParticipantStatusChanged = participantFact('ParticipantStatusChanged', {
  from: participantStatus,
  to: participantStatus,
  reason: z.string().nullable(),
});
export const ParticipantCancelled = participantFact('ParticipantCancelled', {
  from: participantStatus,
  reason: z.string(),
  /** Who cancelled: only a PATIENT's cancellation can carry a fee. Absent on events from before it was recorded. */
  cancelledBy: z.enum(CANCELLED_BY).optional(),
});
/** Notes changed; their text stays in scheduling. */
export const ParticipantUpdated = participantFact('ParticipantUpdated', { changedFields: z.array(z.string()) });
