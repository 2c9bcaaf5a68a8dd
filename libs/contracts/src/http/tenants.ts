import { z } from 'zod';
import { timeZoneSchema } from './fields';
import { namedRequest, namedResponse } from './schema-names';

export const tenantCodeSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,15}$/, 'must be 2-16 capital letters or digits, like AGDAR');

export const createTenantSchema = namedRequest(
  'CreateTenant',
  z.strictObject({
    code: tenantCodeSchema,
    name: z.string().trim().min(1).max(200),
    timezone: timeZoneSchema,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like SAR'),
    vatRate: z.number().min(0).max(1, 'is a fraction: 0.15 means 15%'),
  }),
);
export type CreateTenant = z.infer<typeof createTenantSchema>;

export const tenantSchema = namedResponse('Tenant', createTenantSchema.extend({ createdAt: z.iso.datetime() }));
export type TenantBody = z.infer<typeof tenantSchema>;
