import { z } from 'zod';
import { isKnownCurrency } from '../money';
import { ROLES } from '../roles';
import { DEFAULT_EARLY_START_MINUTES, DEFAULT_NO_SHOW_GRACE_MINUTES, TENANT_CODE } from '../vocabulary';
import { countryCodeSchema, nameText, timeZoneSchema } from './fields';
import { namedRequest, namedResponse } from './schema-names';

export const tenantCodeSchema = z.string().regex(TENANT_CODE, 'must be 2-16 capital letters or digits, like AGDAR');

export const createTenantSchema = namedRequest(
  'CreateTenant',
  z.strictObject({
    code: tenantCodeSchema,
    name: nameText(200),
    /** The name in Arabic, for messages and invoices read in Arabic; the name when not given. */
    nameAr: nameText(200).nullish(),
    /** Where the clinic is (ISO 3166 alpha-2, default SA): the importer reads local phone numbers as this country's. */
    country: countryCodeSchema.default('SA'),
    /** The seller's registered name printed on invoices; the name when not given. */
    legalName: nameText(200).optional(),
    /** The VAT registration number printed on invoices and in their QR code; none for a clinic not registered. */
    vatNumber: z
      .string()
      .regex(/^3\d{13}3$/, 'must be a 15-digit VAT registration number that starts and ends with 3')
      .nullish(),
    timezone: timeZoneSchema,
    /** An ISO 4217 currency (money.ts's list): `XYZ` would leave every invoice a DRAFT, so it is refused here. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like SAR')
      .refine((code) => !/^[A-Z]{3}$/.test(code) || isKnownCurrency(code), {
        message: 'must be an ISO 4217 currency like SAR',
      }),
    vatRate: z.number().min(0).max(1, 'is a fraction: 0.15 means 15%'),
    /** How many minutes before its time a session may be started (default 30). */
    earlyStartMinutes: z.number().int().min(0).max(1440).default(DEFAULT_EARLY_START_MINUTES),
    /**
     * How many minutes after its start a session's patients may be marked no-shows, and a session with patients not
     * checked in completed (default 15).
     */
    noShowGraceMinutes: z.number().int().min(0).max(240).default(DEFAULT_NO_SHOW_GRACE_MINUTES),
  }),
);
export type CreateTenant = z.infer<typeof createTenantSchema>;

export const tenantSchema = namedResponse(
  'Tenant',
  createTenantSchema.extend({
    nameAr: z.string().nullable(),
    legalName: z.string(),
    vatNumber: z.string().nullable(),
    createdAt: z.iso.datetime(),
  }),
);
export type TenantBody = z.infer<typeof tenantSchema>;

/** Who the caller is, as the token says, and the tenant it names (null while the tenant is not registered). */
export const meSchema = namedResponse(
  'Me',
  z.object({
    sub: z.string(),
    roles: z.array(z.enum(ROLES)),
    tenant: z.object({
      code: z.string(),
      registered: z.boolean(),
      name: z.string().nullable(),
      nameAr: z.string().nullable(),
      timezone: z.string().nullable(),
      country: z.string().nullable(),
      /** How early a session may start and its patients check in: what a front end offers, as the API allows. */
      earlyStartMinutes: z.number().int().nullable(),
    }),
  }),
);
export type MeBody = z.infer<typeof meSchema>;
