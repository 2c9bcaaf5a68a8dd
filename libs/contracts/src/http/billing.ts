// The billing team's resources: prices, the fee policy, invoices with their payments and credit notes. Amounts are
// decimal strings in the document's currency; the service holds them as integer minor units.
import { z } from 'zod';
import { CREDIT_REASONS, INVOICE_STATUSES, PAYMENT_METHODS } from '../vocabulary';
import { AMOUNT_PATTERN } from '../money';
import { calendarDateSchema, idSchema, lineText, notesText } from './fields';
import { paginationFields } from './paging';
import { namedRequest, namedResponse } from './schema-names';

/** An amount as the API takes it: a decimal string, never a JSON number (which would be a float). */
export const amountSchema = z
  .string({ message: 'must be a decimal string like "150.00"' })
  .regex(AMOUNT_PATTERN, 'must be a non-negative decimal string like "150.00"');
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like SAR');

export const setPriceSchema = namedRequest(
  'SetPrice',
  z.strictObject({ amount: amountSchema, currency: currencySchema }),
);
export type SetPrice = z.infer<typeof setPriceSchema>;

export const priceSchema = namedResponse(
  'Price',
  z.object({
    serviceTypeId: idSchema,
    serviceTypeCode: z.string().nullable(),
    serviceTypeName: z.string().nullable(),
    serviceTypeNameAr: z.string().nullable(),
    amount: z.string(),
    currency: z.string(),
    updatedAt: z.string(),
  }),
);
export type PriceBody = z.infer<typeof priceSchema>;
export const pricesQuerySchema = z.strictObject({ ...paginationFields(50) });
export type PricesQuery = z.infer<typeof pricesQuerySchema>;

const percent = z.number().int('must be a whole percentage').min(0).max(100);
export const billingPolicySchema = namedRequest(
  'BillingPolicy',
  z.strictObject({
    /** A cancellation less than this many hours before the session is late. */
    lateCancellationWindowHours: z.number().int().min(0).max(720),
    lateCancellationFeePercent: percent,
    noShowFeePercent: percent,
    /** Healthcare for Saudi citizens is zero-rated (VATEX-SA-HEA) when the clinic says so. */
    citizenHealthcareExemption: z.boolean(),
  }),
);
export type BillingPolicy = z.infer<typeof billingPolicySchema>;
export const billingPolicyBodySchema = namedResponse(
  'BillingPolicyBody',
  billingPolicySchema.extend({ updatedAt: z.string().nullable() }),
);
export type BillingPolicyBody = z.infer<typeof billingPolicyBodySchema>;

const invoiceLineSchema = z.object({
  serviceTypeId: idSchema,
  serviceTypeCode: z.string().nullable(),
  description: z.string(),
  descriptionAr: z.string().nullable(),
  sessionNumber: z.string(),
  appointmentNumber: z.string(),
  /** When the appointment is, in the clinic's time zone. */
  clinicDate: z.string(),
  clinicTime: z.string(),
  timezone: z.string(),
  quantity: z.number().int(),
  unitPrice: z.string(),
  taxable: z.string(),
  /** The VAT rate as a percentage string: "15.00". */
  vatRate: z.string(),
  /** S standard rate, Z zero-rated (with the exemption's reason code). */
  vatCategory: z.enum(['S', 'Z']),
  vatExemptionReason: z.string().nullable(),
  vat: z.string(),
  total: z.string(),
});

export const paymentSchema = namedResponse(
  'Payment',
  z.object({
    id: idSchema,
    invoiceId: idSchema,
    amount: z.string(),
    currency: z.string(),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string().nullable(),
    receivedAt: z.string(),
    recordedBy: z.string(),
  }),
);
export type PaymentBody = z.infer<typeof paymentSchema>;

export const refundSchema = namedResponse(
  'Refund',
  z.object({
    id: idSchema,
    creditNoteId: idSchema,
    amount: z.string(),
    currency: z.string(),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string().nullable(),
    refundedAt: z.string(),
    recordedBy: z.string(),
  }),
);
export type RefundBody = z.infer<typeof refundSchema>;

/** What every issued document carries for ZATCA: its hash, the previous document's hash, and the phase-1 QR. */
const documentSeal = {
  issuedAt: z.string().nullable(),
  hash: z.string().nullable(),
  previousHash: z.string().nullable(),
  /** Base64 of the TLV fields: seller name, VAT number, timestamp, total with VAT, VAT. */
  qr: z.string().nullable(),
};

export const creditNoteSchema = namedResponse(
  'CreditNote',
  z.object({
    id: idSchema,
    number: z.string(),
    invoiceId: idSchema,
    invoiceNumber: z.string(),
    reason: z.enum(CREDIT_REASONS),
    note: z.string(),
    currency: z.string(),
    taxable: z.string(),
    vat: z.string(),
    total: z.string(),
    refunded: z.string(),
    refunds: z.array(refundSchema),
    ...documentSeal,
  }),
);
export type CreditNoteBody = z.infer<typeof creditNoteSchema>;

const invoiceSummaryFields = {
  id: idSchema,
  /** INV-{TENANT}-{YYYY}-{n}, given when the invoice is issued; null while it is a DRAFT. */
  number: z.string().nullable(),
  status: z.enum(INVOICE_STATUSES),
  patientId: idSchema,
  participantId: idSchema,
  sessionId: idSchema,
  sessionNumber: z.string(),
  appointmentNumber: z.string(),
  billTo: z.object({ name: z.string().nullable(), nameAr: z.string().nullable() }),
  currency: z.string().nullable(),
  taxable: z.string().nullable(),
  vat: z.string().nullable(),
  total: z.string().nullable(),
  paid: z.string(),
  credited: z.string(),
  /** What the patient still owes: total − paid − credited (never below zero). */
  outstanding: z.string(),
  /** What the clinic owes back: paid beyond what is still due after credit notes, less refunds. */
  refundDue: z.string(),
  issuedAt: z.string().nullable(),
  createdAt: z.string(),
};
export const invoiceSummarySchema = namedResponse('InvoiceSummary', z.object(invoiceSummaryFields));
export type InvoiceSummaryBody = z.infer<typeof invoiceSummarySchema>;

export const invoiceSchema = namedResponse(
  'Invoice',
  z.object({
    ...invoiceSummaryFields,
    seller: z.object({ name: z.string().nullable(), nameAr: z.string().nullable(), vatNumber: z.string().nullable() }),
    lines: z.array(invoiceLineSchema),
    payments: z.array(paymentSchema),
    creditNotes: z.array(creditNoteSchema),
    waiver: z.object({ reason: z.string(), waivedAt: z.string(), waivedBy: z.string() }).nullable(),
    ...documentSeal,
  }),
);
export type InvoiceBody = z.infer<typeof invoiceSchema>;

export const invoicesQuerySchema = z
  .strictObject({
    status: z.enum(INVOICE_STATUSES).optional(),
    patientId: idSchema.optional(),
    appointmentNumber: lineText(64).optional(),
    sessionNumber: lineText(64).optional(),
    /** The appointment's clinic-local date, from and to (inclusive). */
    from: calendarDateSchema.optional(),
    to: calendarDateSchema.optional(),
    ...paginationFields(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type InvoicesQuery = z.infer<typeof invoicesQuerySchema>;

/** The documents issued between two clinic-local dates (inclusive), at most a year at a time. */
export const exportQuerySchema = z
  .strictObject({ from: calendarDateSchema, to: calendarDateSchema })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86400000, {
    message: 'must span at most 366 days; export a year at a time',
    path: ['to'],
  });
export type ExportQuery = z.infer<typeof exportQuerySchema>;

const moneyIn = {
  amount: amountSchema,
  method: z.enum(PAYMENT_METHODS),
  /** The card slip, transfer or claim reference. */
  reference: lineText(100).nullish(),
};
export const recordPaymentSchema = namedRequest('RecordPayment', z.strictObject(moneyIn));
export type RecordPayment = z.infer<typeof recordPaymentSchema>;
export const recordRefundSchema = namedRequest('RecordRefund', z.strictObject(moneyIn));
export type RecordRefund = z.infer<typeof recordRefundSchema>;

export const waiveInvoiceSchema = namedRequest('WaiveInvoice', z.strictObject({ reason: notesText(500) }));
export type WaiveInvoice = z.infer<typeof waiveInvoiceSchema>;

export const paymentResultSchema = namedResponse(
  'PaymentResult',
  paymentSchema.extend({ invoice: invoiceSummarySchema }),
);
export type PaymentResultBody = z.infer<typeof paymentResultSchema>;
export const refundResultSchema = namedResponse('RefundResult', refundSchema.extend({ invoice: invoiceSummarySchema }));
export type RefundResultBody = z.infer<typeof refundResultSchema>;
