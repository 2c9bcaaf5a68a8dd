// Facts about sessions and their participants. Every event carries the session snapshot billing and notification
// need (numbers, service type, clinic, provider, times), so no consumer has to call scheduling back.
import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';

const participantStatus = z.enum(['BOOKED', 'CONFIRMED', 'ARRIVED', 'ATTENDED', 'NO_SHOW', 'CANCELLED']);

export const sessionSnapshotSchema = z.strictObject({
  sessionId: z.uuid(),
  sessionNumber: z.string(),
  sessionType: z.enum(['INDIVIDUAL', 'GROUP']),
  status: z.enum(['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED']),
  maxCapacity: z.number().int().min(1).max(20),
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

const bySession = (d: { session: SessionSnapshot }) => d.session.sessionId;

export const SessionScheduled = defineEvent({
  type: 'SessionScheduled',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema }),
});

export const SessionRescheduled = defineEvent({
  type: 'SessionRescheduled',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema, previousStartsAt: z.iso.datetime(), previousEndsAt: z.iso.datetime(), changedFields: z.array(z.string()) }),
});

/** Notes or capacity changed; notes themselves stay in scheduling (they are clinical). */
export const SessionUpdated = defineEvent({
  type: 'SessionUpdated',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema, changedFields: z.array(z.string()) }),
});

export const SessionStarted = defineEvent({
  type: 'SessionStarted',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema }),
});

export const SessionCompleted = defineEvent({
  type: 'SessionCompleted',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema, attended: z.number().int(), noShows: z.number().int() }),
});

export const SessionCancelled = defineEvent({
  type: 'SessionCancelled',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema, reason: z.string(), cancelledParticipants: z.number().int() }),
});

/** The booking that filled the session. */
export const SessionFull = defineEvent({
  type: 'SessionFull',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema }),
});

/** A spot freed in a session that was full. */
export const SpotOpened = defineEvent({
  type: 'SpotOpened',
  version: 1,
  topic: Topics.sessions,
  keyOf: bySession,
  schema: z.strictObject({ session: sessionSnapshotSchema, availableSpots: z.number().int().min(1) }),
});

export const ParticipantBooked = defineEvent({
  type: 'ParticipantBooked',
  version: 1,
  topic: Topics.participants,
  keyOf: bySession,
  schema: z.strictObject({ ...participantFields, financeCleared: z.boolean(), consentVerified: z.boolean() }),
});

export const ParticipantStatusChanged = defineEvent({
  type: 'ParticipantStatusChanged',
  version: 1,
  topic: Topics.participants,
  keyOf: bySession,
  schema: z.strictObject({ ...participantFields, from: participantStatus, to: participantStatus, reason: z.string().nullable() }),
});

export const ParticipantCancelled = defineEvent({
  type: 'ParticipantCancelled',
  version: 1,
  topic: Topics.participants,
  keyOf: bySession,
  schema: z.strictObject({ ...participantFields, from: participantStatus, reason: z.string() }),
});

/** Notes changed; their text stays in scheduling. */
export const ParticipantUpdated = defineEvent({
  type: 'ParticipantUpdated',
  version: 1,
  topic: Topics.participants,
  keyOf: bySession,
  schema: z.strictObject({ ...participantFields, changedFields: z.array(z.string()) }),
});
