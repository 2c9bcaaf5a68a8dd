import countries from 'i18n-iso-countries';
// Field rules the HTTP API shares across resources. Strict objects everywhere: an unknown field is a 400 that names it.
import { z } from 'zod';

/** A UUID in any letter case, kept in lower case: the same id written either way names the same thing. */
export const idSchema = z.uuid({ message: 'must be a UUID' }).toLowerCase();

/** A calendar date that exists (2025-02-29 does not), as YYYY-MM-DD. */
export const calendarDateSchema = z.iso.date({ message: 'must be an existing date as YYYY-MM-DD' });

export const e164PhoneSchema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an international phone number like +966501234567');
const ALPHA_2 = /^[A-Z]{2}$/;

/**
 * ISO 3166-1 alpha-2, checked against the standard's list (i18n-iso-countries), so `ZZ` or `UK` (not a code) are
 * refused. zod runs a refinement even after the pattern failed, so the refinement looks only at what the pattern let
 * through, and never throws.
 */
export const countryCodeSchema = z
  .string()
  .regex(ALPHA_2, 'must be an ISO 3166 alpha-2 country code like SA')
  .refine((code) => !ALPHA_2.test(code) || countries.isValid(code), {
    message: 'must be an ISO 3166 alpha-2 country code like SA',
  });

export const emailSchema = z.email({ message: 'must be an email address' }).max(254);

// Zones found valid (a few hundred exist): building a formatter to check one costs more than the rest of a message.
const knownZones = new Set<string>();

export function isIanaTimeZone(value: string): boolean {
  if (knownZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    return false;
  }
  const valid = value.includes('/') || value === 'UTC';
  if (valid) knownZones.add(value);
  return valid;
}

export const timeZoneSchema = z.string().refine(isIanaTimeZone, 'must be an IANA time zone like Asia/Riyadh');

// Text a person typed. Control characters (NUL among them) are refused naming the field, line breaks too outside
// notes, and in names the bidirectional embedding, override and isolate characters (U+202A-U+202E, U+2066-U+2069),
// which can make a name display as another; what is kept is trimmed and normalised to NFC, so the same name typed on
// two keyboards is stored the same.
// Control characters are exactly what these patterns are about.
// eslint-disable-next-line no-control-regex
const ONE_LINE = /^[^\u0000-\u001f\u007f-\u009f]*$/;
// eslint-disable-next-line no-control-regex
const LINES = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;
const NO_BIDI_CONTROLS = /^[^\u202a-\u202e\u2066-\u2069]*$/;

/** One line of text, 1 to `max` characters once trimmed. */
export function lineText(max: number) {
  return z
    .string()
    .regex(ONE_LINE, 'must be one line without control characters')
    .trim()
    .normalize('NFC')
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
}

/** A person's or a place's name: one line, and no characters that reorder how it is displayed. */
export function nameText(max: number) {
  return lineText(max).regex(
    NO_BIDI_CONTROLS,
    'must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069)',
  );
}

/** Notes: line breaks and tabs allowed, other control characters not; up to `max` characters. */
export function notesText(max: number) {
  return z
    .string()
    .regex(LINES, 'must not contain control characters other than line breaks and tabs')
    .normalize('NFC')
    .max(max, `must be at most ${max} characters`);
}
