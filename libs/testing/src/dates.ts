// Dates for tests, relative to today so that no test turns red as the calendar moves (a fixed 2031 would one day be
// the past) and clinic-local, as the platform computes them.

/** The date `days` from today in the time zone, as YYYY-MM-DD. */
export function daysFromToday(days: number, timeZone = 'Asia/Riyadh'): string {
  const at = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The clinic-local year now; numbers (SES-…-{YYYY}-n) carry the year of the clinic's calendar, not UTC's. */
export function clinicYear(timeZone = 'Asia/Riyadh'): string {
  return daysFromToday(0, timeZone).slice(0, 4);
}

/** The clinic-local date (YYYY-MM-DD) and time (HH:MM) of an instant. */
export function clinicDateTime(at: Date, timeZone = 'Asia/Riyadh'): { scheduledDate: string; scheduledTime: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    scheduledDate: `${part('year')}-${part('month')}-${part('day')}`,
    scheduledTime: `${part('hour')}:${part('minute')}`,
  };
}
