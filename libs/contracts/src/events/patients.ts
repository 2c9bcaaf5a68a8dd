import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';
import { CHANNELS, LANGUAGES } from '../vocabulary';

const contact = z.string().nullable();

/** Who the patient is and how to reach them, as the participant service holds it now. */
const patientFacts = z.strictObject({
  patientId: z.uuid(),
  firstNameEn: z.string().min(1),
  lastNameEn: z.string().min(1),
  firstNameAr: z.string().nullable(),
  lastNameAr: z.string().nullable(),
  dateOfBirth: z.iso.date(),
  email: contact,
  phone: contact,
  preferredLanguage: z.enum(LANGUAGES),
  channels: z.array(z.enum(CHANNELS)),
  guardian: z
    .strictObject({ name: z.string(), relationship: z.string(), email: contact.optional(), phone: contact.optional() })
    .nullable(),
  /** ISO 3166 alpha-2; absent in events published before it was kept. */
  nationality: z.string().nullable().optional(),
});

export const PatientRegistered = defineEvent({
  type: 'PatientRegistered',
  version: 1,
  topic: Topics.patients,
  keyOf: (d) => d.patientId,
  schema: patientFacts,
});

/** The patient's facts after a change, and which of them changed: consumers replace what they keep. */
export const PatientUpdated = defineEvent({
  type: 'PatientUpdated',
  version: 1,
  topic: Topics.patients,
  keyOf: (d) => d.patientId,
  schema: patientFacts.extend({ changedFields: z.array(z.string()).min(1) }),
});
