// What notification tells the others about messages it delivered.
import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';
import { CHANNELS } from '../vocabulary';

/** A participant's booking confirmation was accepted by the mail server or the SMS provider. */
export const ConfirmationSent = defineEvent({
  type: 'ConfirmationSent',
  version: 1,
  topic: Topics.deliveries,
  keyOf: (d) => d.participantId,
  schema: z.strictObject({
    participantId: z.uuid(),
    sessionId: z.uuid(),
    patientId: z.uuid(),
    appointmentNumber: z.string(),
    channel: z.enum(CHANNELS),
    sentAt: z.iso.datetime(),
  }),
});
