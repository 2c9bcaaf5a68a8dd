// A legacy export to import, as a clinic's previous system would write it: appointments spread over two years (the
// last year and a half, and the next half year), mixed statuses, Arabic and English names, some rows that conflict
// with an earlier one, some with providers nobody knows, and the bad rows of the issue (unknown tenant, impossible
// date, capacity above 1, an appointment number repeated). Deterministic, and it says what each row should become,
// so a test or the benchmark can check the importer's report against it.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { clinicDateTime } from '@agdar/testing';

export const FIXTURE_CLINIC = 'Olaya';
export const FIXTURE_ROOMS = Array.from({ length: 8 }, (_, i) => `Room ${i + 1}`);
export const FIXTURE_PROVIDERS = Array.from({ length: 8 }, (_, i) => `Therapist ${i + 1}`);
export const FIXTURE_SERVICE_TYPES = [
  { code: 'OT_INDIVIDUAL', name: 'Occupational therapy', nameAr: 'علاج وظيفي' },
  { code: 'SPEECH', name: 'Speech therapy', nameAr: 'علاج النطق' },
];

const FIRST_EN = ['Lina', 'Omar', 'Yara', 'Adam', 'Sami', 'Noor', 'Hala', 'Rami', 'Dana', 'Faris', 'Maha', 'Ziad'];
const FIRST_AR = ['لينا', 'عمر', 'يارا', 'آدم', 'سامي', 'نور', 'هلا', 'رامي', 'دانة', 'فارس', 'مها', 'زياد'];
const LAST_EN = ['Haddad', 'Nasser', 'Saleh', 'Fahad', 'Karim', 'Adel', 'Zaid', 'Tariq', 'Otaibi', 'Qahtani'];
const LAST_AR = ['حداد', 'ناصر', 'صالح', 'فهد', 'كريم', 'عادل', 'زيد', 'طارق', 'العتيبي', 'القحطاني'];

const HEADER = [
  'tenant',
  'appointment_number',
  'source_id',
  'patient_external_id',
  'patient_first_name_en',
  'patient_last_name_en',
  'patient_first_name_ar',
  'patient_last_name_ar',
  'patient_date_of_birth',
  'patient_email',
  'patient_phone',
  'patient_language',
  'provider',
  'clinic',
  'room',
  'service_type',
  'date',
  'time',
  'duration_minutes',
  'capacity',
  'status',
  'finance_cleared',
  'consent_verified',
  'legacy_billed',
  'notes',
];

export type Expected =
  | 'CREATED'
  | 'PROVIDER_CONFLICT'
  | 'UNKNOWN_PROVIDER'
  | 'UNKNOWN_TENANT'
  | 'INVALID_DATE'
  | 'CAPACITY_NOT_ONE'
  | 'DUPLICATE_IN_SOURCE';

export interface Fixture {
  rows: number;
  expected: Record<Expected, number>;
  /** Rows (1-based) of each bad kind, for the report's row numbers. */
  examples: Partial<Record<Expected, number>>;
  /** Appointment numbers of our own format, per year: the highest of each. */
  highestOwn: Record<number, number>;
  /** Appointments the legacy system billed, and those it did not (created, not cancelled). */
  legacyBilled: string[];
  toInvoice: string[];
  /** Appointments still ahead and expected: the only ones --notify confirms. */
  notifiable: string[];
  patients: number;
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A past appointment mostly attended, some no-shows and cancellations; a future one booked, confirmed or cancelled. */
function statusOf(i: number, past: boolean): string {
  const roll = (i * 7919) % 100;
  if (past) return roll < 65 ? 'ATTENDED' : roll < 77 ? 'NO_SHOW' : roll < 95 ? 'CANCELLED' : 'ARRIVED';
  return roll < 60 ? 'BOOKED' : roll < 90 ? 'CONFIRMED' : 'CANCELLED';
}

/**
 * Writes `count` rows for `tenant` to `path`. Row i (0-based) has its own quarter-hour-aligned slot, far enough from
 * every other row of its provider, room and patient that only the rows meant to conflict do.
 */
export async function writeLegacyExport(
  path: string,
  tenant: string,
  count: number,
  now = new Date(),
): Promise<Fixture> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(HEADER.join(','));
  const stepMinutes = Math.max(15, Math.floor((730 * 1440) / count / 15) * 15);
  const start = Math.floor((now.getTime() - 545 * 86400000) / 900000) * 900000;
  const patients = Math.max(8, Math.floor(count / 5));
  const expected: Record<Expected, number> = {
    CREATED: 0,
    PROVIDER_CONFLICT: 0,
    UNKNOWN_PROVIDER: 0,
    UNKNOWN_TENANT: 0,
    INVALID_DATE: 0,
    CAPACITY_NOT_ONE: 0,
    DUPLICATE_IN_SOURCE: 0,
  };
  const examples: Fixture['examples'] = {};
  const highestOwn: Record<number, number> = {};
  const legacyBilled: string[] = [];
  const toInvoice: string[] = [];
  const notifiable: string[] = [];
  const kinds: Expected[] = [];
  const numbers: string[] = [];
  const slots: number[] = [];
  const statuses: string[] = [];
  for (let i = 0; i < count; i++) {
    // What the row is meant to be; a conflict copies the slot of the row 8 before (same provider), a normal one.
    let kind: Expected = 'CREATED';
    const statusHere = statusOf(i, (i >= 8 ? slots[i - 8] : start) + 45 * 60000 < now.getTime());
    const takesSlot = (j: number) => kinds[j] === 'CREATED' && statuses[j] !== 'CANCELLED';
    if (i >= 16 && i % 37 === 5 && takesSlot(i - 8) && statusHere !== 'CANCELLED') kind = 'PROVIDER_CONFLICT';
    else if (i % 53 === 7) kind = 'UNKNOWN_PROVIDER';
    else if (i % 101 === 9) kind = 'UNKNOWN_TENANT';
    else if (i % 103 === 11) kind = 'INVALID_DATE';
    else if (i % 107 === 13) kind = 'CAPACITY_NOT_ONE';
    else if (i > 0 && i % 109 === 15 && kinds[i - 1] === 'CREATED') kind = 'DUPLICATE_IN_SOURCE';
    kinds.push(kind);
    expected[kind]++;
    examples[kind] ??= i + 1;

    const slot = kind === 'PROVIDER_CONFLICT' ? slots[i - 8] : start + i * stepMinutes * 60000;
    slots.push(slot);
    const at = new Date(slot);
    const { scheduledDate: date, scheduledTime: time } = clinicDateTime(at);
    const past = slot + 45 * 60000 < now.getTime();
    const p = i % patients;
    const first = p % FIRST_EN.length;
    const last = Math.floor(p / FIRST_EN.length) % LAST_EN.length;
    const roll = (i * 7919) % 100;
    const status = statusOf(i, past);
    statuses.push(status);
    const year = Number(date.slice(0, 4));
    let number = i % 2 === 0 ? `APT-${tenant}-${year}-${10001 + i}` : `LEG-${100000 + i}`;
    if (kind === 'DUPLICATE_IN_SOURCE') number = numbers[i - 1];
    numbers.push(number);
    const billed = past && status !== 'CANCELLED' && roll % 3 !== 0;
    if (kind === 'CREATED') {
      if (i % 2 === 0) highestOwn[year] = Math.max(highestOwn[year] ?? 0, 10001 + i);
      if (billed) legacyBilled.push(number);
      else if (status !== 'CANCELLED') toInvoice.push(number);
      if (!past && (status === 'BOOKED' || status === 'CONFIRMED')) notifiable.push(number);
    }
    const provider = kind === 'UNKNOWN_PROVIDER' ? `Dr. Unknown ${i}` : FIXTURE_PROVIDERS[i % 8];
    const row = [
      kind === 'UNKNOWN_TENANT' ? 'ELSEWHERE' : tenant,
      number,
      `legacy-${i + 1}`,
      `P-${10000 + p}`,
      FIRST_EN[first],
      `${LAST_EN[last]}${p >= 120 ? `-${p}` : ''}`,
      FIRST_AR[first],
      LAST_AR[last],
      `20${String(10 + (p % 12)).padStart(2, '0')}-0${1 + (p % 9)}-1${p % 10}`,
      p % 3 === 0 ? '' : `patient${p}@example.com`,
      p % 3 === 0 ? `+96650${String(1000000 + p).slice(-7)}` : '',
      p % 2 === 0 ? 'ar' : 'en',
      provider,
      FIXTURE_CLINIC,
      FIXTURE_ROOMS[i % 8],
      FIXTURE_SERVICE_TYPES[i % 2].code,
      kind === 'INVALID_DATE' ? `${year}-02-30` : date,
      time,
      '45',
      kind === 'CAPACITY_NOT_ONE' ? '2' : '1',
      status,
      String(past && status !== 'CANCELLED'),
      'true',
      String(billed),
      i % 5 === 0 ? 'Prefers mornings, يفضّل الصباح' : '',
    ];
    await write(row.map(csvCell).join(','));
  }
  out.end();
  await once(out, 'finish');
  return { rows: count, expected, examples, highestOwn, legacyBilled, toInvoice, notifiable, patients };
}
