// The sessions API: sessions, their participants, and the changes front ends may ask for.
import { z } from 'zod';
import { CLINICAL } from '../roles';
import {
  ACTION_BLOCKERS,
  MAX_GROUP_CAPACITY,
  PARTICIPANT_ACTIONS,
  SESSION_ACTIONS,
  PARTICIPANT_STATUSES,
  SESSION_STATUSES,
  SESSION_TYPES,
  INVOICE_STATUSES,
  CANCELLED_BY,
} from '../vocabulary';
import { calendarDateSchema, idSchema, lineText, notesText } from './fields';
import { paginationFields } from './paging';
import { namedRequest, namedResponse } from './schema-names';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 09:30');
const duration = z.number().int().min(5, 'must be at least 5 minutes').max(480, 'must be at most 480 minutes');
const capacity = z
  .number()
  .int()
  .min(1, 'must be at least 1')
  .max(MAX_GROUP_CAPACITY, `must be at most ${MAX_GROUP_CAPACITY}`);
const notes = notesText(4000);
const reason = lineText(500);

/** The clinical notes of sessions and seats, and who reads them: every endpoint answering either declares it. */
export const CLINICAL_NOTES = { groupNotes: CLINICAL, individualNotes: CLINICAL, noShowNotes: CLINICAL } as const;

export const createSessionSchema = namedRequest(
  'CreateSession',
  z
    .strictObject({
      sessionType: z.enum(SESSION_TYPES),
      maxCapacity: capacity,
      providerId: idSchema,
      clinicId: idSchema,
      roomId: idSchema,
      serviceTypeId: idSchema,
      scheduledDate: calendarDateSchema,
      scheduledTime: clockTime,
      durationMinutes: duration,
      groupNotes: notes.nullish(),
    })
    .refine((s) => s.sessionType === 'GROUP' || s.maxCapacity === 1, {
      path: ['maxCapacity'],
      message: 'must be 1 for an INDIVIDUAL session',
    }),
);
export type CreateSession = z.infer<typeof createSessionSchema>;

export const updateSessionSchema = namedRequest(
  'UpdateSession',
  z
    .strictObject({
      groupNotes: notes.nullish(),
      maxCapacity: capacity.optional(),
      scheduledDate: calendarDateSchema.optional(),
      scheduledTime: clockTime.optional(),
      durationMinutes: duration.optional(),
      roomId: idSchema.optional(),
      providerId: idSchema.optional(),
      status: z.enum(['IN_PROGRESS', 'COMPLETED', 'CANCELLED']).optional(),
      reason: reason.optional(),
    })
    .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' })
    .refine((b) => b.status !== 'CANCELLED' || b.reason, {
      path: ['reason'],
      message: 'is required to cancel a session',
    })
    .meta({ minProperties: 1 }),
);
export type UpdateSession = z.infer<typeof updateSessionSchema>;

export const sessionQuerySchema = z
  .strictObject({
    sessionType: z.enum(SESSION_TYPES).optional(),
    status: z.enum(SESSION_STATUSES).optional(),
    clinicId: idSchema.optional(),
    providerId: idSchema.optional(),
    from: calendarDateSchema.optional(),
    to: calendarDateSchema.optional(),
    ...paginationFields(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type SessionQuery = z.infer<typeof sessionQuerySchema>;

export const availableSessionsQuerySchema = z
  .strictObject({
    clinicId: idSchema,
    serviceTypeId: idSchema.optional(),
    from: calendarDateSchema,
    to: calendarDateSchema,
    ...paginationFields(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type AvailableSessionsQuery = z.infer<typeof availableSessionsQuerySchema>;

/** The audit trail pages oldest first; a busy group session gathers hundreds of entries. */
export const historyQuerySchema = z.strictObject({ ...paginationFields(50) });

export const addPatientSchema = namedRequest(
  'AddPatient',
  z.strictObject({ patientId: idSchema, individualNotes: notes.nullish() }),
);
export type AddPatient = z.infer<typeof addPatientSchema>;

export const updateParticipantSchema = namedRequest(
  'UpdateParticipant',
  z
    .strictObject({
      /** A seat is cancelled only by removing it (DELETE), which says who cancelled. */
      status: z.enum(['CONFIRMED', 'ARRIVED', 'ATTENDED', 'NO_SHOW']).optional(),
      noShowReason: reason.nullish(),
      noShowNotes: notes.nullish(),
      individualNotes: notes.nullish(),
    })
    .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' })
    .meta({ minProperties: 1 }),
);
export type UpdateParticipant = z.infer<typeof updateParticipantSchema>;

/**
 * Why a seat is cancelled and who decided it: PATIENT when the family cancelled (the late-cancellation fee may apply),
 * CLINIC when the clinic did (the family is never charged).
 */
export const removeParticipantQuerySchema = z.strictObject({ reason, cancelledBy: z.enum(CANCELLED_BY) });

/**
 * One action the caller may take, as the server decides it now: listed only when the caller's role and the current
 * status allow it at all; `allowed` when nothing blocks it; `opensAt` (with TOO_EARLY) the instant its time opens.
 */
const allowanceOf = <A extends readonly [string, ...string[]]>(actions: A) =>
  z.object({
    action: z.enum(actions),
    allowed: z.boolean(),
    blockers: z.array(z.enum(ACTION_BLOCKERS)),
    opensAt: z.string().nullable(),
  });
export const participantAllowanceSchema = namedResponse('ParticipantAllowance', allowanceOf(PARTICIPANT_ACTIONS));
export const sessionAllowanceSchema = namedResponse('SessionAllowance', allowanceOf(SESSION_ACTIONS));
export type ParticipantAllowance = z.infer<typeof participantAllowanceSchema>;
export type SessionAllowance = z.infer<typeof sessionAllowanceSchema>;

export const participantSchema = namedResponse(
  'Participant',
  z.object({
    id: idSchema,
    sessionId: idSchema,
    patientId: idSchema,
    /** The patient's name in English and (where known) Arabic, as scheduling last learnt it. */
    patientNameEn: z.string(),
    patientNameAr: z.string().nullable(),
    appointmentNumber: z.string(),
    status: z.enum(PARTICIPANT_STATUSES),
    financeCleared: z.boolean(),
    consentVerified: z.boolean(),
    canCheckIn: z.boolean(),
    confirmationSentAt: z.string().nullable(),
    /** The participant's invoice as billing last told: its number (null while a DRAFT) and status. */
    invoiceNumber: z.string().nullable(),
    invoiceStatus: z.enum(INVOICE_STATUSES).nullable(),
    arrivalAt: z.string().nullable(),
    attendedAt: z.string().nullable(),
    /** Clinical: absent for callers who do not read clinical notes (CLINICAL_NOTES). */
    individualNotes: z.string().nullable().optional(),
    noShowReason: z.string().nullable(),
    /** Clinical: absent for callers who do not read clinical notes (CLINICAL_NOTES). */
    noShowNotes: z.string().nullable().optional(),
    cancellationReason: z.string().nullable(),
    /** Who cancelled the seat; null while it is not cancelled (or for seats cancelled before this was recorded). */
    cancelledBy: z.enum(CANCELLED_BY).nullable(),
    /** What the caller may do to this seat now, and what blocks it. */
    actions: z.array(participantAllowanceSchema),
  }),
);
export type ParticipantBody = z.infer<typeof participantSchema>;

export const sessionSchema = namedResponse(
  'Session',
  z.object({
    id: idSchema,
    sessionNumber: z.string(),
    sessionType: z.enum(SESSION_TYPES),
    maxCapacity: z.number().int(),
    currentCapacity: z.number().int(),
    availableSpots: z.number().int(),
    isFull: z.boolean(),
    capacityPercentage: z.number().int(),
    providerId: idSchema,
    clinicId: idSchema,
    roomId: idSchema,
    serviceTypeId: idSchema,
    scheduledDate: z.string(),
    scheduledTime: z.string(),
    durationMinutes: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(SESSION_STATUSES),
    /** Clinical: absent for callers who do not read clinical notes (CLINICAL_NOTES). */
    groupNotes: z.string().nullable().optional(),
    cancellationReason: z.string().nullable(),
    participants: z.array(participantSchema),
    /** What the caller may do to this session now, and what blocks it. */
    actions: z.array(sessionAllowanceSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export type SessionBody = z.infer<typeof sessionSchema>;

export const auditEntrySchema = namedResponse(
  'AuditEntry',
  z.object({
    id: z.string(),
    sessionId: idSchema,
    participantId: idSchema.nullable(),
    action: z.string(),
    actor: z.string(),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
    correlationId: z.string().nullable(),
    occurredAt: z.string(),
  }),
);
export type AuditEntryBody = z.infer<typeof auditEntrySchema>;
