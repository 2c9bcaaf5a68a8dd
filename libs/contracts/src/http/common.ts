// Field rules the HTTP API shares across resources. Strict objects everywhere: an unknown field is a 400 that names it.
import { z } from 'zod';

export const idSchema = z.uuid({ message: 'must be a UUID' });

/** A calendar date that exists (2025-02-29 does not), as YYYY-MM-DD. */
export const calendarDateSchema = z.iso.date({ message: 'must be an existing date as YYYY-MM-DD' });

export const e164PhoneSchema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an international phone number like +966501234567');
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

/** `page` and `pageSize` of every list query, to spread into its schema. */
export const paginationFields = (defaultPageSize = 20) => ({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(defaultPageSize),
});

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
