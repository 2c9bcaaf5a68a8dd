import {
  chunksBySize,
  clockOf,
  dateOf,
  flagOf,
  intervalOf,
  isRefusal,
  OverlapTracker,
  parseRow,
  ParsedRow,
  phoneOf,
} from './import-rules';

const AGDAR = { code: 'AGDAR', country: 'SA' };

const good = {
  tenant: 'AGDAR',
  appointment_number: 'APT-AGDAR-2025-10042',
  patient_external_id: 'P-1',
  patient_first_name_en: 'Lina',
  patient_last_name_en: 'Haddad',
  patient_first_name_ar: 'لينا',
  patient_last_name_ar: 'حداد',
  patient_date_of_birth: '2016-04-12',
  provider: 'Therapist 1',
  clinic: 'Olaya',
  room: 'Room 1',
  service_type: 'OT_INDIVIDUAL',
  date: '2025-03-02',
  time: '9:30',
  duration_minutes: '45',
  capacity: '1',
  status: 'attended',
  finance_cleared: 'true',
  consent_verified: 'yes',
  legacy_billed: '0',
  notes: '',
};

describe('reading a legacy row', () => {
  it('maps the documented columns, normalising time, status and flags', () => {
    const row = parseRow(good, 7, AGDAR) as ParsedRow;
    expect(isRefusal(row)).toBe(false);
    expect(row).toMatchObject({
      row: 7,
      appointmentNumber: 'APT-AGDAR-2025-10042',
      sourceId: 'APT-AGDAR-2025-10042',
      scheduledTime: '09:30',
      status: 'ATTENDED',
      financeCleared: true,
      consentVerified: true,
      legacyBilled: false,
      notes: null,
      patient: { externalId: 'P-1', firstNameAr: 'لينا', preferredLanguage: 'en' },
    });
  });

  it('stands name and birth date in for a missing patient id', () => {
    const row = parseRow({ ...good, patient_external_id: '' }, 1, AGDAR) as ParsedRow;
    expect(row.patient.externalId).toBe('name:lina|haddad|2016-04-12');
  });

  it.each([
    [{ tenant: 'OTHER' }, 'UNKNOWN_TENANT'],
    [{ date: '2025-02-30' }, 'INVALID_DATE'],
    [{ time: '25:00' }, 'INVALID_TIME'],
    [{ capacity: '3' }, 'CAPACITY_NOT_ONE'],
    [{ status: 'LATE' }, 'INVALID_STATUS'],
    [{ provider: '' }, 'MISSING_FIELD'],
    [{ duration_minutes: '600' }, 'INVALID_DURATION'],
    [{ legacy_billed: 'maybe' }, 'INVALID_FLAG'],
  ])('refuses %j as %s, with the row number', (change, reason) => {
    expect(parseRow({ ...good, ...change }, 12, AGDAR)).toMatchObject({ row: 12, reason });
  });

  it.each([
    [{ patient_email: 'n/a' }, 'INVALID_PATIENT', 'patient_email "n/a" must be an email address.'],
    [{ patient_phone: '12345' }, 'INVALID_PATIENT', 'patient_phone "12345" must be an international phone number'],
    [{ patient_date_of_birth: '1899-12-31' }, 'INVALID_PATIENT', 'must be between 1900-01-01 and today'],
    [{ notes: 'ملاحظة '.repeat(600) }, 'INVALID_FIELD', 'notes "ملاحظة'],
    [{ date: '1999-12-31' }, 'INVALID_FIELD', 'date "1999-12-31" must be 2000-01-01 or later.'],
  ])('refuses %j by the platform’s own contract, naming the column and what is wrong', (change, reason, detail) => {
    const refused = parseRow({ ...good, ...change }, 4, AGDAR);
    expect(refused).toMatchObject({ row: 4, reason });
    expect((refused as { detail: string }).detail).toContain(detail);
  });

  it("reads a local phone number as one of the tenant's country", () => {
    const row = parseRow({ ...good, patient_phone: '050 123 4567' }, 1, AGDAR) as ParsedRow;
    expect(row.patient.phone).toBe('+966501234567');
    expect(phoneOf('0501234567', 'SA')).toBe('+966501234567');
    expect(phoneOf('00966501234567', 'SA')).toBe('+966501234567');
    expect(phoneOf('+971501234567', 'SA')).toBe('+971501234567');
    expect(phoneOf('0501234567', 'AE')).toBe('+971501234567');
    expect(phoneOf('not a number', 'SA')).toBe('not a number');
  });

  it('reads dates, clocks and flags as legacy systems write them', () => {
    expect(dateOf('2024-02-29')).toBe('2024-02-29');
    expect(dateOf('2023-02-29')).toBeNull();
    expect(dateOf(new Date(2025, 0, 5))).toBe('2025-01-05');
    expect(clockOf('07:05:00')).toBe('07:05');
    expect(clockOf('7.05')).toBeNull();
    expect(flagOf(true)).toBe(true);
    expect(flagOf('N')).toBe(false);
    expect(flagOf('')).toBe(false);
  });
});

describe('overlaps between the rows of a source', () => {
  const slot = (time: string) => intervalOf('2025-03-02', time, 45, 'Asia/Riyadh')!;

  it('refuses a later row whose provider, room or patient is taken, naming the earlier row', () => {
    const tracker = new OverlapTracker();
    tracker.take({ provider: 'p1', room: 'r1', patient: 'a' }, slot('09:00'), 3);
    expect(tracker.conflictOf({ provider: 'p1', room: 'r2', patient: 'b' }, slot('09:30'))).toEqual({
      code: 'PROVIDER_CONFLICT',
      row: 3,
    });
    expect(tracker.conflictOf({ provider: 'p2', room: 'r1', patient: 'b' }, slot('09:30'))?.code).toBe('ROOM_CONFLICT');
    expect(tracker.conflictOf({ provider: 'p2', room: 'r2', patient: 'a' }, slot('09:30'))?.code).toBe(
      'PATIENT_CONFLICT',
    );
    // Back to back is no overlap.
    expect(tracker.conflictOf({ provider: 'p1', room: 'r1', patient: 'a' }, slot('09:45'))).toBeNull();
  });

  it('places clinic-local times in UTC by the clinic zone', () => {
    expect(intervalOf('2025-03-02', '09:00', 45, 'Asia/Riyadh')).toEqual([
      Date.parse('2025-03-02T06:00:00Z'),
      Date.parse('2025-03-02T06:45:00Z'),
    ]);
  });
});

describe('cutting rows into requests', () => {
  const size = (n: number) => n;

  it('cuts by bytes and by count, and sets apart an item too big for any request', () => {
    const { chunks, tooBig } = chunksBySize([40, 40, 40, 10, 10, 10, 200], size, {
      maxBytes: 100,
      maxCount: 2,
      baseBytes: 10,
    });
    expect(chunks).toEqual([
      [40, 40],
      [40, 10],
      [10, 10],
    ]);
    expect(tooBig).toEqual([200]);
  });

  it('weighs rows of Arabic notes by their bytes, two a character', () => {
    const arabic = JSON.stringify({ notes: 'ب'.repeat(4000) });
    expect(Buffer.byteLength(arabic)).toBeGreaterThan(8000);
    const { chunks } = chunksBySize(Array(20).fill(arabic), (r) => Buffer.byteLength(r), {
      maxBytes: 60_000,
      maxCount: 100,
    });
    expect(chunks.map((c) => c.length)).toEqual([7, 7, 6]);
  });
});
