// Clinic-local date and time → UTC instants, with the IANA rules of the clinic's time zone (no library: Intl knows them).

function offsetMinutesAt(utcMillis: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - utcMillis) / 60000);
}

/**
 * The UTC instant of a wall-clock time in a zone, or null when that wall-clock time does not exist there (it falls in
 * a daylight-saving gap).
 */
export function clinicTimeToUtc(date: string, time: string, timeZone: string): Date | null {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wall - offsetMinutesAt(wall, timeZone) * 60000;
  guess = wall - offsetMinutesAt(guess, timeZone) * 60000;
  return guess + offsetMinutesAt(guess, timeZone) * 60000 === wall ? new Date(guess) : null;
}

/** Today's date in a zone, as YYYY-MM-DD. */
export function clinicToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
