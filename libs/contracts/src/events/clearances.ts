// Prerequisites for check-in that other services decide: consent (participant service) and finance (billing).
import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';

export const ConsentRecorded = defineEvent({
  type: 'ConsentRecorded',
  version: 1,
  topic: Topics.patients,
  keyOf: (d) => d.patientId,
  schema: z.strictObject({
    patientId: z.uuid(),
    consentId: z.uuid(),
    kind: z.string(),
    grantedBy: z.string(),
    verified: z.boolean(),
  }),
});

/** Billing cleared a participant's appointment (paid, covered or waived). */
export const FinanceCleared = defineEvent({
  type: 'FinanceCleared',
  version: 1,
  topic: Topics.clearances,
  keyOf: (d) => d.patientId,
  schema: z.strictObject({ patientId: z.uuid(), participantId: z.uuid(), appointmentNumber: z.string() }),
});
