import { z } from 'zod';
import { CHANNELS, LANGUAGES } from '../vocabulary';
import {
  calendarDateSchema,
  countryCodeSchema,
  e164PhoneSchema,
  emailSchema,
  idSchema,
  lineText,
  nameText,
  notesText,
} from './fields';
import { paginationFields } from './paging';
import { namedRequest, namedResponse } from './schema-names';

export const languageSchema = z.enum(LANGUAGES);
export const channelSchema = z.enum(CHANNELS);

const personName = nameText(100);

/** Billing reads it for the VAT treatment of Saudi citizens' healthcare. */
export const nationalitySchema = countryCodeSchema;

export const guardianSchema = z.strictObject({
  name: nameText(200),
  relationship: lineText(50),
  email: emailSchema.nullish(),
  phone: e164PhoneSchema.nullish(),
});

const dateOfBirthSchema = calendarDateSchema.refine(
  (d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10),
  {
    message: 'must be between 1900-01-01 and today',
  },
);

const patientFields = {
  firstNameEn: personName,
  lastNameEn: personName,
  firstNameAr: personName.nullish(),
  lastNameAr: personName.nullish(),
  dateOfBirth: dateOfBirthSchema,
  email: emailSchema.nullish(),
  phone: e164PhoneSchema.nullish(),
  preferredLanguage: languageSchema.default('en'),
  channels: z.array(channelSchema).max(2).optional(),
  guardian: guardianSchema.nullish(),
  nationality: nationalitySchema.nullish(),
  /** The patient's id in another system (a clinic's previous one): unique within the tenant, matched on import. */
  externalId: lineText(100).nullish(),
};

export interface PatientContacts {
  channels: string[];
  email?: string | null;
  phone?: string | null;
  guardian?: { email?: string | null; phone?: string | null } | null;
}

/** A channel is usable only when the patient or their guardian has the matching contact; what is wrong, if anything. */
export function channelProblems(p: PatientContacts): string[] {
  const problems: string[] = [];
  if (p.channels.includes('email') && !p.email && !p.guardian?.email)
    problems.push('email is chosen but neither the patient nor the guardian has an email');
  if (p.channels.includes('sms') && !p.phone && !p.guardian?.phone)
    problems.push('sms is chosen but neither the patient nor the guardian has a phone');
  if (new Set(p.channels).size !== p.channels.length) problems.push('must not repeat a channel');
  return problems;
}

function refineChannels(p: PatientContacts, ctx: z.RefinementCtx) {
  for (const message of channelProblems(p)) ctx.addIssue({ code: 'custom', path: ['channels'], message });
}

/** Without `channels`, a patient is reached by email if there is one (theirs or their guardian's), else by SMS. */
export function defaultChannels(p: Omit<PatientContacts, 'channels'>): ('email' | 'sms')[] {
  if (p.email || p.guardian?.email) return ['email'];
  return p.phone || p.guardian?.phone ? ['sms'] : [];
}

export const registerPatientSchema = namedRequest(
  'RegisterPatient',
  z
    .strictObject(patientFields)
    .transform((p) => ({ ...p, channels: p.channels ?? defaultChannels(p) }))
    .superRefine(refineChannels),
);
export type RegisterPatient = z.infer<typeof registerPatientSchema>;

/**
 * PATCH: the fields to change, each as at registration; null clears an optional one. Whether the channels still have
 * their contacts is checked against the patient as it will be, by the participant service.
 */
export const updatePatientSchema = namedRequest(
  'UpdatePatient',
  z
    .strictObject({
      firstNameEn: personName.optional(),
      lastNameEn: personName.optional(),
      firstNameAr: personName.nullish(),
      lastNameAr: personName.nullish(),
      dateOfBirth: dateOfBirthSchema.optional(),
      email: emailSchema.nullish(),
      phone: e164PhoneSchema.nullish(),
      preferredLanguage: languageSchema.optional(),
      channels: z.array(channelSchema).max(2).optional(),
      guardian: guardianSchema.nullish(),
      nationality: nationalitySchema.nullish(),
    })
    .refine((patch) => Object.keys(patch).length > 0, { message: 'must change at least one field' })
    .meta({ minProperties: 1 }),
);
export type UpdatePatient = z.infer<typeof updatePatientSchema>;

export const patientQuerySchema = z.strictObject({
  q: lineText(100).optional(),
  /** Exactly this external id. */
  externalId: lineText(100).optional(),
  ...paginationFields(),
});
export type PatientQuery = z.infer<typeof patientQuerySchema>;

export const patientSchema = namedResponse(
  'Patient',
  z.object({
    id: idSchema,
    firstNameEn: z.string(),
    lastNameEn: z.string(),
    firstNameAr: z.string().nullable(),
    lastNameAr: z.string().nullable(),
    dateOfBirth: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    preferredLanguage: languageSchema,
    channels: z.array(channelSchema),
    guardian: guardianSchema.nullable(),
    nationality: z.string().nullable(),
    externalId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export type PatientBody = z.infer<typeof patientSchema>;

/** TREATMENT consent is what check-in needs; the others are recorded for the file. */
export const CONSENT_KINDS = ['TREATMENT', 'DATA_SHARING', 'PHOTOGRAPHY'] as const;
export const CHECK_IN_CONSENT = 'TREATMENT';

export const recordConsentSchema = namedRequest(
  'RecordConsent',
  z.strictObject({
    kind: z.enum(CONSENT_KINDS),
    grantedBy: nameText(200),
    relationship: lineText(50).default('self'),
    notes: notesText(2000).nullish(),
  }),
);
export type RecordConsent = z.infer<typeof recordConsentSchema>;

export const consentSchema = namedResponse(
  'Consent',
  z.object({
    id: idSchema,
    patientId: idSchema,
    kind: z.enum(CONSENT_KINDS),
    grantedBy: z.string(),
    relationship: z.string(),
    notes: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: z.string(),
  }),
);
export type ConsentBody = z.infer<typeof consentSchema>;
