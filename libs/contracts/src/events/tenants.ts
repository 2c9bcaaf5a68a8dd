import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';

export const TenantCreated = defineEvent({
  type: 'TenantCreated',
  version: 1,
  topic: Topics.tenants,
  keyOf: (d) => d.code,
  schema: z.strictObject({
    code: z.string().min(1),
    name: z.string().min(1),
    /** Absent in events published before they were kept: no Arabic name, a Saudi clinic. */
    nameAr: z.string().nullable().optional(),
    country: z.string().length(2).optional(),
    /** Absent in events published before they were kept: the name, and no VAT number. */
    legalName: z.string().min(1).optional(),
    vatNumber: z.string().nullable().optional(),
    timezone: z.string().min(1),
    currency: z.string().length(3),
    vatRate: z.number().min(0).max(1),
  }),
});
