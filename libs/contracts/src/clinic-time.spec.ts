import { clinicTimeToUtc, clinicToday } from './clinic-time';

describe('clinic time', () => {
  it.each([
    ['2026-03-10', '09:30', 'Asia/Riyadh', '2026-03-10T06:30:00.000Z'],
    ['2026-01-15', '09:30', 'Europe/London', '2026-01-15T09:30:00.000Z'],
    ['2026-07-15', '09:30', 'Europe/London', '2026-07-15T08:30:00.000Z'],
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-12-31', '23:45', 'Asia/Kolkata', '2026-12-31T18:15:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, utc) => {
    expect(clinicTimeToUtc(date, time, zone)?.toISOString()).toBe(utc);
  });

  it('has no instant for a wall-clock time inside a daylight-saving gap', () => {
    expect(clinicTimeToUtc('2026-03-29', '01:30', 'Europe/London')).toBeNull();
  });

  it("knows the clinic's date when UTC is already on the next day", () => {
    expect(clinicToday('Asia/Riyadh', new Date('2026-05-01T22:30:00Z'))).toBe('2026-05-02');
  });
});
