// Field rules the HTTP API shares across resources. Strict objects everywhere: an unknown field is a 400 that names it.
import { z } from 'zod';

export const idSchema = z.uuid({ message: 'must be a UUID' });

/** A calendar date that exists (2025-02-29 does not), as YYYY-MM-DD. */
export const calendarDateSchema = z.iso.date({ message: 'must be an existing date as YYYY-MM-DD' });

export const e164PhoneSchema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an international phone number like +966501234567');
export const emailSchema = z.email({ message: 'must be an email address' }).max(254);

export function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isIanaTimeZone, 'must be an IANA time zone like Asia/Riyadh');
