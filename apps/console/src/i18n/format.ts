// Dates, times and names as a person reads them: in the clinic's time zone, in the chosen language's formats, with
// Gregorian dates and Latin digits in Arabic too (as the clinic's invoices and messages are written).
import type { Language } from './messages';

const LOCALES: Record<Language, string> = { en: 'en-GB', ar: 'ar-SA-u-ca-gregory-nu-latn' };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(language: Language, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(LOCALES[language], { timeZone, ...options })));
  return format;
}

/** An instant (ISO 8601) as date and time in the zone. */
export function formatInstant(iso: string | null, timeZone: string, language: Language): string {
  if (!iso) return '';
  return formatOf(language, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A clinic-local calendar date (YYYY-MM-DD) with its weekday. */
export function formatDate(date: string, language: Language): string {
  const [y, m, d] = date.split('-').map(Number);
  return formatOf(language, 'UTC', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A clinic-local wall-clock time (HH:MM) in the locale's form (9:30 am / 9:30 ص). */
export function formatClock(time: string, language: Language): string {
  const [h, m] = time.split(':').map(Number);
  return formatOf(language, 'UTC', { hour: 'numeric', minute: '2-digit' }).format(new Date(Date.UTC(2000, 0, 1, h, m)));
}

/** The end of a session, clinic-local, from its start and duration. */
export function clockPlus(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number);
  const total = (((h * 60 + m + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export function formatMoney(amount: string | null, currency: string | null, language: Language): string {
  if (amount === null) return '';
  const code = currency ?? '';
  return language === 'ar' && code === 'SAR' ? `${amount} ر.س` : `${amount} ${code}`.trim();
}

/**
 * A bilingual name in the chosen script, with the other script as a hint (shown smaller, after it). Without an Arabic
 * name both languages show the English one, with no hint.
 */
export function bilingualName(
  nameEn: string,
  nameAr: string | null,
  language: Language,
): { primary: string; hint: string | null } {
  if (!nameAr) return { primary: nameEn, hint: null };
  return language === 'ar' ? { primary: nameAr, hint: nameEn } : { primary: nameEn, hint: nameAr };
}

export function interpolate(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all));
}

/** A directory entry's name (clinic, room, provider, service type) in the reader's language; English when none. */
type Named = { name: string; nameAr: string | null };
export function nameIn(entry: Named, language: Language): string;
export function nameIn(entry: Named | undefined, language: Language): string | undefined;
export function nameIn(entry: Named | undefined, language: Language): string | undefined {
  return entry ? (language === 'ar' && entry.nameAr) || entry.name : undefined;
}
