// Reference data other services need by name: a service type's names, for invoices and messages in either language.
import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';

/** A service type as it is now, after it was created or changed: consumers replace what they keep. */
export const ServiceTypeDefined = defineEvent({
  type: 'ServiceTypeDefined',
  version: 1,
  topic: Topics.directory,
  keyOf: (d) => d.serviceTypeId,
  schema: z.strictObject({
    serviceTypeId: z.uuid(),
    code: z.string(),
    name: z.string(),
    nameAr: z.string().nullable(),
    active: z.boolean(),
  }),
});
