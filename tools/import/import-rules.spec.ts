import { clockOf, dateOf, flagOf, intervalOf, isRefusal, OverlapTracker, parseRow, ParsedRow } from './import-rules';

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
    const row = parseRow(good, 7, 'AGDAR') as ParsedRow;
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
    const row = parseRow({ ...good, patient_external_id: '' }, 1, 'AGDAR') as ParsedRow;
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
    expect(parseRow({ ...good, ...change }, 12, 'AGDAR')).toMatchObject({ row: 12, reason });
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
