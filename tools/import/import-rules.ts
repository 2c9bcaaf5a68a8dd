// The importer's rules, as pure functions: the documented column mapping from a legacy row to ours, what makes a row
// refused before anything is asked of the platform, and the overlaps between the file's own appointments (a dry run
// writes nothing, so the platform cannot see them; a real run refuses them the same way, so both report alike).
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import {
  clinicTimeToUtc,
  importRowSchema,
  PARTICIPANT_STATUSES,
  ParticipantStatus,
  registerPatientSchema,
} from '@agdar/contracts';

/** The columns of a legacy export (CSV header or table columns), by the names the importer reads. */
export const COLUMNS = {
  tenant: 'tenant',
  appointmentNumber: 'appointment_number',
  sourceId: 'source_id',
  patientExternalId: 'patient_external_id',
  firstNameEn: 'patient_first_name_en',
  lastNameEn: 'patient_last_name_en',
  firstNameAr: 'patient_first_name_ar',
  lastNameAr: 'patient_last_name_ar',
  dateOfBirth: 'patient_date_of_birth',
  email: 'patient_email',
  phone: 'patient_phone',
  language: 'patient_language',
  provider: 'provider',
  clinic: 'clinic',
  room: 'room',
  serviceType: 'service_type',
  date: 'date',
  time: 'time',
  duration: 'duration_minutes',
  capacity: 'capacity',
  status: 'status',
  financeCleared: 'finance_cleared',
  consentVerified: 'consent_verified',
  legacyBilled: 'legacy_billed',
  notes: 'notes',
} as const;

export type LegacyRow = Record<string, string | number | boolean | Date | null | undefined>;

export interface ParsedRow {
  row: number;
  appointmentNumber: string;
  sourceId: string;
  patient: {
    /** The patient's id in the legacy system; without one, name and birth date stand for it. */
    externalId: string;
    firstNameEn: string;
    lastNameEn: string;
    firstNameAr: string | null;
    lastNameAr: string | null;
    dateOfBirth: string;
    email: string | null;
    phone: string | null;
    preferredLanguage: 'en' | 'ar';
  };
  provider: string;
  clinic: string;
  room: string;
  serviceType: string;
  scheduledDate: string;
  scheduledTime: string;
  durationMinutes: number;
  status: ParticipantStatus;
  financeCleared: boolean;
  consentVerified: boolean;
  legacyBilled: boolean;
  notes: string | null;
}

export interface Refusal {
  row: number;
  appointmentNumber: string;
  reason: string;
  detail: string;
}

const text = (value: LegacyRow[string]): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value).trim();
};

/** A date as a legacy system writes it (YYYY-MM-DD, or a database date), if it exists in the calendar. */
export function dateOf(value: LegacyRow[string]): string | null {
  // node-postgres reads a date column as local midnight: its local calendar day is the date.
  const raw =
    value instanceof Date
      ? `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`
      : text(value).slice(0, 10);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? raw : null;
}

/** A clock time as HH:MM (9:05 and 09:05:00 are taken too). */
export function clockOf(value: LegacyRow[string]): string | null {
  const match = /^(\d{1,2}):(\d{2})(:\d{2})?$/.exec(text(value));
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return null;
  return `${match[1].padStart(2, '0')}:${match[2]}`;
}

export function flagOf(value: LegacyRow[string]): boolean | null {
  if (typeof value === 'boolean') return value;
  const raw = text(value).toLowerCase();
  if (['true', 't', 'yes', 'y', '1'].includes(raw)) return true;
  if (['false', 'f', 'no', 'n', '0', ''].includes(raw)) return false;
  return null;
}

/**
 * A phone number as the platform keeps it (E.164). Clinics' files hold local numbers (0501234567, 050 123 4567) and
 * international ones written every way (00966…, 966…, +966…): each is read as a number of the tenant's country
 * (libphonenumber-js, Google's metadata). One that is no valid number there is returned as it came, for the contract
 * to refuse with its reason.
 */
export function phoneOf(raw: string, country: string): string {
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode);
  return parsed?.isValid() ? parsed.number : raw;
}

/** Where a field of ours comes from in the legacy file, to name it in a refusal as the clinic knows it. */
const COLUMN_OF: Record<string, string> = {
  firstNameEn: COLUMNS.firstNameEn,
  lastNameEn: COLUMNS.lastNameEn,
  firstNameAr: COLUMNS.firstNameAr,
  lastNameAr: COLUMNS.lastNameAr,
  dateOfBirth: COLUMNS.dateOfBirth,
  email: COLUMNS.email,
  phone: COLUMNS.phone,
  externalId: COLUMNS.patientExternalId,
  sourceId: COLUMNS.sourceId,
  appointmentNumber: COLUMNS.appointmentNumber,
  scheduledDate: COLUMNS.date,
  notes: COLUMNS.notes,
};

/** The fields of a row the platform checks before any id is known, by the same contract the gateway applies. */
const appointmentFieldsSchema = importRowSchema.pick({
  sourceId: true,
  appointmentNumber: true,
  scheduledDate: true,
  notes: true,
});

/** The first problem the contract finds, worded for the report: the legacy column, what it held, what is wrong. */
function problemOf(error: z.ZodError, values: Record<string, unknown>): string {
  const issue = error.issues[0];
  const field = String(issue.path[0] ?? '');
  const value = values[field];
  const shown = typeof value === 'string' && value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return `${COLUMN_OF[field] ?? field} ${JSON.stringify(shown)} ${issue.message}.`;
}

/** What the importer must know of the tenant to read its rows: its code, and its country for local phone numbers. */
export interface ImportTenant {
  code: string;
  country: string;
}

/**
 * One legacy row, read by the mapping: the appointment ready to be resolved, or why it is refused. `row` is the row's
 * place in the source (1 = the first data row). Every field the platform checks is checked here by the platform's own
 * contract, so an ordinary bad row is refused alone, with its row number, and the run goes on.
 */
export function parseRow(source: LegacyRow, row: number, { code: tenant, country }: ImportTenant): ParsedRow | Refusal {
  const get = (column: keyof typeof COLUMNS) => text(source[COLUMNS[column]]);
  const appointmentNumber = get('appointmentNumber');
  const refuse = (reason: string, detail: string): Refusal => ({ row, appointmentNumber, reason, detail });
  if (!appointmentNumber) return refuse('MISSING_FIELD', 'appointment_number is empty.');
  if (get('tenant') !== tenant)
    return refuse('UNKNOWN_TENANT', `tenant ${JSON.stringify(get('tenant'))} is not the tenant imported (${tenant}).`);
  for (const column of ['provider', 'clinic', 'room', 'serviceType', 'firstNameEn', 'lastNameEn'] as const)
    if (!get(column)) return refuse('MISSING_FIELD', `${COLUMNS[column]} is empty.`);
  const scheduledDate = dateOf(source[COLUMNS.date]);
  if (!scheduledDate) return refuse('INVALID_DATE', `date ${JSON.stringify(get('date'))} is not a calendar date.`);
  const scheduledTime = clockOf(source[COLUMNS.time]);
  if (!scheduledTime) return refuse('INVALID_TIME', `time ${JSON.stringify(get('time'))} is not a clock time.`);
  const dateOfBirth = dateOf(source[COLUMNS.dateOfBirth]);
  if (!dateOfBirth)
    return refuse(
      'INVALID_DATE',
      `patient_date_of_birth ${JSON.stringify(get('dateOfBirth'))} is not a calendar date.`,
    );
  const durationMinutes = Number(get('duration') || 60);
  if (!Number.isInteger(durationMinutes) || durationMinutes < 5 || durationMinutes > 480)
    return refuse('INVALID_DURATION', `duration_minutes ${JSON.stringify(get('duration'))} is not 5-480 minutes.`);
  const capacity = get('capacity');
  if (capacity && capacity !== '1')
    return refuse('CAPACITY_NOT_ONE', `capacity ${capacity}: a legacy appointment is one patient's session.`);
  const status = get('status').toUpperCase().replace(/[\s-]/g, '_') as ParticipantStatus;
  if (!PARTICIPANT_STATUSES.includes(status))
    return refuse(
      'INVALID_STATUS',
      `status ${JSON.stringify(get('status'))} is not one of ${PARTICIPANT_STATUSES.join(', ')}.`,
    );
  const flags = {
    financeCleared: flagOf(source[COLUMNS.financeCleared]),
    consentVerified: flagOf(source[COLUMNS.consentVerified]),
    legacyBilled: flagOf(source[COLUMNS.legacyBilled]),
  };
  for (const [name, value] of Object.entries(flags))
    if (value === null) return refuse('INVALID_FLAG', `${name} is not true or false.`);
  const language = get('language').toLowerCase();
  const patient: ParsedRow['patient'] = {
    externalId:
      get('patientExternalId') || `name:${get('firstNameEn')}|${get('lastNameEn')}|${dateOfBirth}`.toLowerCase(),
    firstNameEn: get('firstNameEn'),
    lastNameEn: get('lastNameEn'),
    firstNameAr: get('firstNameAr') || null,
    lastNameAr: get('lastNameAr') || null,
    dateOfBirth,
    email: get('email') || null,
    phone: get('phone') ? phoneOf(get('phone'), country) : null,
    preferredLanguage: language === 'ar' ? 'ar' : 'en',
  };
  const patientCheck = registerPatientSchema.safeParse(patient);
  if (!patientCheck.success) return refuse('INVALID_PATIENT', problemOf(patientCheck.error, patient));
  const appointment = {
    sourceId: get('sourceId') || appointmentNumber,
    appointmentNumber,
    scheduledDate,
    notes: get('notes') || null,
  };
  const appointmentCheck = appointmentFieldsSchema.safeParse(appointment);
  if (!appointmentCheck.success) return refuse('INVALID_FIELD', problemOf(appointmentCheck.error, appointment));
  return {
    row,
    appointmentNumber,
    sourceId: appointment.sourceId,
    patient,
    provider: get('provider'),
    clinic: get('clinic'),
    room: get('room'),
    serviceType: get('serviceType'),
    scheduledDate,
    scheduledTime,
    durationMinutes,
    status,
    financeCleared: flags.financeCleared!,
    consentVerified: flags.consentVerified!,
    legacyBilled: flags.legacyBilled!,
    notes: appointment.notes,
  };
}

/**
 * Items cut into runs of at most `maxCount`, each weighing at most `maxBytes` by `bytesOf` (with `baseBytes` for
 * what every request carries besides them). An item heavier than a request on its own is returned apart, in `tooBig`.
 */
export function chunksBySize<T>(
  items: T[],
  bytesOf: (item: T) => number,
  { maxBytes, maxCount, baseBytes = 0 }: { maxBytes: number; maxCount: number; baseBytes?: number },
): { chunks: T[][]; tooBig: T[] } {
  const chunks: T[][] = [];
  const tooBig: T[] = [];
  let chunk: T[] = [];
  let bytes = baseBytes;
  for (const item of items) {
    const weight = bytesOf(item) + 1; // the comma between items
    if (baseBytes + weight > maxBytes) {
      tooBig.push(item);
      continue;
    }
    if (chunk.length === maxCount || bytes + weight > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = baseBytes;
    }
    chunk.push(item);
    bytes += weight;
  }
  if (chunk.length) chunks.push(chunk);
  return { chunks, tooBig };
}

export const isRefusal = (r: ParsedRow | Refusal): r is Refusal => 'reason' in r;

/** Names compare without case or surrounding space, as people type them in two systems. */
export const nameKey = (name: string) => name.trim().toLowerCase();

/** The UTC interval of an appointment in its clinic's zone; null when the time does not exist there that day. */
export function intervalOf(date: string, time: string, minutes: number, timeZone: string): [number, number] | null {
  const start = clinicTimeToUtc(date, time, timeZone);
  return start ? [start.getTime(), start.getTime() + minutes * 60000] : null;
}

/**
 * The appointments of the file taken so far, per provider, room and patient: a later row that overlaps one of them is
 * refused as the database would refuse it. Memory: three numbers per kept appointment and key.
 */
export class OverlapTracker {
  private readonly taken = new Map<string, number[]>();

  /** The first kind of overlap this appointment has with one taken before, if any, and with which source row. */
  conflictOf(keys: { provider: string; room: string; patient: string }, [start, end]: [number, number]) {
    for (const [kind, code] of [
      ['provider', 'PROVIDER_CONFLICT'],
      ['room', 'ROOM_CONFLICT'],
      ['patient', 'PATIENT_CONFLICT'],
    ] as const) {
      const list = this.taken.get(`${kind}:${keys[kind]}`);
      if (!list) continue;
      for (let i = 0; i < list.length; i += 3)
        if (list[i] < end && start < list[i + 1]) return { code, row: list[i + 2] };
    }
    return null;
  }

  take(keys: { provider: string; room: string; patient: string }, [start, end]: [number, number], row: number) {
    for (const kind of ['provider', 'room', 'patient'] as const) {
      const key = `${kind}:${keys[kind]}`;
      const list = this.taken.get(key) ?? [];
      list.push(start, end, row);
      this.taken.set(key, list);
    }
  }
}
