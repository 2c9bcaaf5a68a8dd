// Clinic-local date and time → UTC instants, with the IANA rules of the clinic's time zone (no library: Intl knows
// them).

// Building an Intl formatter is costly (it showed in the booking profile); one per zone is enough.
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatFor(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  make: () => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) cache.set(timeZone, (format = make()));
  return format;
}

function offsetMinutesAt(utcMillis: number, timeZone: string): number {
  const format = formatFor(
    wallClockFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  );
  const parts = format.formatToParts(new Date(utcMillis));
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
  return formatFor(
    dateFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}

/** The clinic-local date (YYYY-MM-DD) and clock time (HH:MM) of an instant. */
export function clinicWallClock(instant: Date, timeZone: string): { date: string; time: string } {
  const wall = new Date(instant.getTime() + offsetMinutesAt(instant.getTime(), timeZone) * 60000).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}
