// What billing tells the others about a participant's invoice, so the front desk sees who has paid.
import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Topics } from '../topics';
import { INVOICE_STATUSES } from '../vocabulary';

/** A participant's invoice was drafted, issued, paid, waived, credited or voided: its number and status now. */
export const InvoiceStatusChanged = defineEvent({
  type: 'InvoiceStatusChanged',
  version: 1,
  topic: Topics.invoices,
  keyOf: (d) => d.participantId,
  schema: z.strictObject({
    invoiceId: z.uuid(),
    participantId: z.uuid(),
    sessionId: z.uuid(),
    patientId: z.uuid(),
    appointmentNumber: z.string(),
    invoiceNumber: z.string().nullable(),
    status: z.enum(INVOICE_STATUSES),
    currency: z.string().nullable(),
    total: z.string().nullable(),
    outstanding: z.string(),
  }),
});
