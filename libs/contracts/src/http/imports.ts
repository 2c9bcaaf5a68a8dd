// Bringing a clinic's existing appointments in: the importer (npm run import:appointments) reads the legacy rows,
// resolves patients and reference data, and hands scheduling batches of rows it has already mapped to ours. Each row
// becomes one INDIVIDUAL session of capacity 1 whose participant keeps the legacy appointment number.
import { z } from 'zod';
import { PARTICIPANT_STATUSES } from '../vocabulary';
import { calendarDateSchema, idSchema, lineText, notesText } from './fields';
import { namedRequest, namedResponse } from './schema-names';

/** Rows per request, at most. */
export const MAX_IMPORT_BATCH = 100;

/**
 * Bytes per request, at most: under the gateway's default body limit (BODY_LIMIT 64kb) with room to spare. Rows are
 * sized by their bytes, not counted: a row with long Arabic notes (two bytes a character) weighs ten plain ones.
 */
export const MAX_IMPORT_BATCH_BYTES = 60_000;

/** Session numbers carry the year of the session, from 2000 (SES-AGDAR-2000-10001). */
export const FIRST_IMPORT_DATE = '2000-01-01';

export const importRowSchema = z.strictObject({
  /** Where the row is in the source (1 = the first data row), for the report. */
  row: z.number().int().min(1),
  /** The legacy system's id of the record, kept on the session. */
  sourceId: lineText(100),
  appointmentNumber: lineText(64),
  patientId: idSchema,
  clinicId: idSchema,
  roomId: idSchema,
  providerId: idSchema,
  serviceTypeId: idSchema,
  scheduledDate: calendarDateSchema.refine((d) => d >= FIRST_IMPORT_DATE, {
    message: `must be ${FIRST_IMPORT_DATE} or later`,
  }),
  scheduledTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 09:30'),
  durationMinutes: z.number().int().min(5).max(480),
  status: z.enum(PARTICIPANT_STATUSES),
  financeCleared: z.boolean(),
  consentVerified: z.boolean(),
  /** The legacy system invoiced it already: billing issues no invoice of its own. */
  legacyBilled: z.boolean(),
  notes: notesText(4000).nullable(),
  /**
   * Dry runs only: the patient does not exist yet (the importer would register them first); `patientId` is a stand-in
   * the run uses for this patient's rows.
   */
  newPatient: z.strictObject({ nameEn: lineText(200) }).optional(),
});
export type ImportRow = z.infer<typeof importRowSchema>;

export const importAppointmentsSchema = namedRequest(
  'ImportAppointments',
  z.strictObject({
    /** What the rows were read from (a file name, a database table), recorded in each session's history. */
    source: lineText(200),
    /** Check every row as a real run would, and write nothing. */
    dryRun: z.boolean(),
    /** Send confirmations and reminders for imported appointments still ahead (never for past ones). */
    notify: z.boolean(),
    rows: z.array(importRowSchema).min(1).max(MAX_IMPORT_BATCH),
  }),
);
export type ImportAppointments = z.infer<typeof importAppointmentsSchema>;

export const IMPORT_OUTCOMES = ['CREATED', 'EXISTS', 'REFUSED'] as const;

export const importResultSchema = namedResponse(
  'ImportResult',
  z.object({
    results: z.array(
      z.object({
        row: z.number().int(),
        appointmentNumber: z.string(),
        /** CREATED (or would be, on a dry run), EXISTS (imported before: nothing done), REFUSED (with why). */
        outcome: z.enum(IMPORT_OUTCOMES),
        /** A problem code for a refusal: PROVIDER_CONFLICT, ROOM_CONFLICT, PATIENT_CONFLICT, PATIENT_UNKNOWN, … */
        reason: z.string().nullable(),
        detail: z.string().nullable(),
        sessionId: idSchema.nullable(),
      }),
    ),
  }),
);
export type ImportResultBody = z.infer<typeof importResultSchema>;
