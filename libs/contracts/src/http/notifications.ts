// Bodies of the notification endpoints: the delivery log and the tenant's notification settings.
import { z } from 'zod';
import { CHANNELS, DELIVERY_STATUSES, LANGUAGES, MESSAGE_KINDS } from '../vocabulary';
import { emailSchema, idSchema, lineText } from './fields';
import { paginationFields } from './paging';
import { namedRequest, namedResponse } from './schema-names';

export const deliveriesQuerySchema = z.strictObject({
  appointmentNumber: lineText(64).optional(),
  patientId: idSchema.optional(),
  sessionId: idSchema.optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  kind: z.enum(MESSAGE_KINDS).optional(),
  ...paginationFields(),
});
export type DeliveriesQuery = z.infer<typeof deliveriesQuerySchema>;

export const deliverySchema = namedResponse(
  'Delivery',
  z.object({
    id: z.uuid(),
    kind: z.enum(MESSAGE_KINDS),
    /** Null while the patient's contact details are not known yet. */
    channel: z.enum(CHANNELS).nullable(),
    /** Masked: `n***@example.com`, `+96650*****67`. */
    recipient: z.string().nullable(),
    language: z.enum(LANGUAGES).nullable(),
    status: z.enum(DELIVERY_STATUSES),
    /** Why it was skipped or failed, or what it waits for: no contact, opted out, participant cancelled, ... */
    reason: z.string().nullable(),
    /** The provider's last answer (an SMTP reply, an SMS API status), where there was one. */
    providerAnswer: z.string().nullable(),
    attempts: z.number().int(),
    appointmentNumber: z.string().nullable(),
    participantId: z.uuid().nullable(),
    patientId: z.uuid().nullable(),
    sessionId: z.uuid().nullable(),
    /** Not before this instant: quiet hours, or the next retry. */
    notBefore: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
  }),
);
export type DeliveryBody = z.infer<typeof deliverySchema>;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a clock time as HH:MM');

export const notificationSettingsSchema = namedRequest(
  'NotificationSettings',
  z
    .strictObject({
      /**
       * Minutes before the session's start that each reminder goes out; at most 5, each up to 14 days. Fractions down
       * to whole seconds are taken (0.5 is 30 seconds).
       */
      reminderOffsetsMinutes: z
        .array(
          z
            .number()
            .min(1 / 60)
            .max(14 * 24 * 60)
            .refine((m) => Math.abs(m * 60 - Math.round(m * 60)) < 1e-6, 'must be whole seconds'),
        )
        .max(5)
        // Compared as the whole seconds they are kept as: 60 and 60.000000001 are one offset.
        .refine((a) => new Set(a.map((m) => Math.round(m * 60))).size === a.length, 'must not repeat an offset'),
      /** Clinic-local hours in which non-urgent SMS wait; both or neither. `21:00`-`08:00` spans midnight. */
      quietHoursStart: clockTime.nullable(),
      quietHoursEnd: clockTime.nullable(),
      /** Where "session full" and "spot opened" go; none: they are skipped. */
      staffEmail: emailSchema.nullable(),
    })
    .refine((s) => (s.quietHoursStart === null) === (s.quietHoursEnd === null), {
      message: 'quietHoursStart and quietHoursEnd are set together',
      path: ['quietHoursEnd'],
    })
    .refine((s) => s.quietHoursStart === null || s.quietHoursStart !== s.quietHoursEnd, {
      message: 'must differ from quietHoursStart',
      path: ['quietHoursEnd'],
    }),
);
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const notificationSettingsBodySchema = namedResponse(
  'NotificationSettingsBody',
  z.object({
    reminderOffsetsMinutes: z.array(z.number()),
    quietHoursStart: z.string().nullable(),
    quietHoursEnd: z.string().nullable(),
    staffEmail: z.string().nullable(),
    timezone: z.string(),
    updatedAt: z.iso.datetime().nullable(),
  }),
);
export type NotificationSettingsBody = z.infer<typeof notificationSettingsBodySchema>;
