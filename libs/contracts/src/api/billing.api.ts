import { Role } from '../roles';
import { defineEndpoint } from '../http/endpoint';
import { pageSchema } from '../http/paging';
import { namedResponse } from '../http/schema-names';
import {
  billingPolicyBodySchema,
  billingPolicySchema,
  exportQuerySchema,
  invoiceSchema,
  invoicesQuerySchema,
  invoiceSummarySchema,
  paymentResultSchema,
  priceSchema,
  pricesQuerySchema,
  recordPaymentSchema,
  recordRefundSchema,
  refundResultSchema,
  setPriceSchema,
  waiveInvoiceSchema,
} from '../http/billing';
import { idParams } from './params';
import { z } from 'zod';
import { idSchema } from '../http/fields';

/** Who keeps the books: they and the clinic's admin write. */
const BOOKKEEPERS: readonly Role[] = ['billing', 'admin'];
/** The front desk reads invoices too: who has paid, what is owed. */
const INVOICE_READERS: readonly Role[] = ['billing', 'admin', 'reception'];
const common = { service: 'billing' } as const;

export const setPrice = defineEndpoint({
  ...common,
  operationId: 'setPrice',
  method: 'PUT',
  path: '/billing/prices/{serviceTypeId}',
  roles: BOOKKEEPERS,
  tag: 'billing',
  summary: "Set a service type's price",
  description:
    'The amount of one appointment before VAT, in the tenant\'s currency ("150.00" SAR). Applies to invoices issued ' +
    'from now on, and issues the DRAFT invoices that waited for it; issued invoices never change.',
  params: z.strictObject({ serviceTypeId: idSchema }),
  body: setPriceSchema,
  response: priceSchema,
  problems: ['UNKNOWN_CURRENCY', 'CURRENCY_MISMATCH', 'NOT_YET_KNOWN'],
});

export const listPrices = defineEndpoint({
  ...common,
  operationId: 'listPrices',
  method: 'GET',
  path: '/billing/prices',
  roles: BOOKKEEPERS,
  tag: 'billing',
  summary: 'The price list, by service type code',
  query: pricesQuerySchema,
  response: namedResponse('PricePage', pageSchema(priceSchema)),
});

export const getBillingPolicy = defineEndpoint({
  ...common,
  operationId: 'getBillingPolicy',
  method: 'GET',
  path: '/billing/policy',
  roles: INVOICE_READERS,
  tag: 'billing',
  summary: 'The fee policy: late-cancellation window and fees, no-show fee, VAT exemption',
  description: 'Until it is set: a 24-hour window, 50 % late-cancellation fee, 100 % no-show fee, no exemption.',
  response: billingPolicyBodySchema,
});

export const setBillingPolicy = defineEndpoint({
  ...common,
  operationId: 'setBillingPolicy',
  method: 'PUT',
  path: '/billing/policy',
  roles: BOOKKEEPERS,
  tag: 'billing',
  summary: 'Set the fee policy',
  description: 'Applies to cancellations and no-shows from now on; credit notes already issued stay as they are.',
  body: billingPolicySchema,
  response: billingPolicyBodySchema,
});

export const listInvoices = defineEndpoint({
  ...common,
  operationId: 'listInvoices',
  method: 'GET',
  path: '/invoices',
  roles: INVOICE_READERS,
  tag: 'billing',
  summary: 'Invoices, newest appointment first',
  description: 'One invoice per participant (appointment number). `from`/`to` are clinic-local appointment dates.',
  query: invoicesQuerySchema,
  response: namedResponse('InvoicePage', pageSchema(invoiceSummarySchema)),
});

export const exportInvoices = defineEndpoint({
  ...common,
  operationId: 'exportInvoices',
  method: 'GET',
  path: '/invoices/export',
  roles: INVOICE_READERS,
  tag: 'billing',
  summary: 'CSV of the invoices and credit notes issued between two clinic-local dates, for accounting',
  description: 'One row per document, credit notes with negative amounts; amounts are decimal strings.',
  query: exportQuerySchema,
  produces: 'text/csv',
});

export const getInvoice = defineEndpoint({
  ...common,
  operationId: 'getInvoice',
  method: 'GET',
  path: '/invoices/{id}',
  roles: INVOICE_READERS,
  tag: 'billing',
  summary: 'An invoice with its line, payments, credit notes and QR payload',
  params: idParams,
  response: invoiceSchema,
});

export const getInvoiceDocument = defineEndpoint({
  ...common,
  operationId: 'getInvoiceDocument',
  method: 'GET',
  path: '/invoices/{id}/document',
  roles: INVOICE_READERS,
  tag: 'billing',
  summary: 'The invoice as a printable bilingual (Arabic and English) HTML document, with its credit notes',
  params: idParams,
  produces: 'text/html',
  problems: ['INVOICE_NOT_ISSUED'],
});

export const recordPayment = defineEndpoint({
  ...common,
  operationId: 'recordPayment',
  method: 'POST',
  path: '/invoices/{id}/payments',
  roles: BOOKKEEPERS,
  tag: 'billing',
  summary: 'Record a payment, whole or partial',
  description:
    "In the invoice's currency. The payment that settles the invoice publishes FinanceCleared, which lets the " +
    'participant check in. Send an Idempotency-Key: a retry is then recorded once.',
  params: idParams,
  body: recordPaymentSchema,
  response: paymentResultSchema,
  status: 201,
  problems: ['OVERPAYMENT', 'INVOICE_NOT_ISSUED', 'INVOICE_SETTLED'],
});

export const waiveInvoice = defineEndpoint({
  ...common,
  operationId: 'waiveInvoice',
  method: 'POST',
  path: '/invoices/{id}/waive',
  roles: ['admin'],
  tag: 'billing',
  summary: 'Waive what is still owed on an invoice (admin), which clears the participant for check-in',
  params: idParams,
  body: waiveInvoiceSchema,
  response: invoiceSchema,
  problems: ['INVOICE_SETTLED'],
});

export const getCreditNoteDocument = defineEndpoint({
  ...common,
  operationId: 'getCreditNoteDocument',
  method: 'GET',
  path: '/credit-notes/{id}/document',
  roles: INVOICE_READERS,
  tag: 'billing',
  summary: 'A credit note as a printable bilingual (Arabic and English) HTML document, to hand to the patient',
  params: idParams,
  produces: 'text/html',
});

export const recordRefund = defineEndpoint({
  ...common,
  operationId: 'recordRefund',
  method: 'POST',
  path: '/credit-notes/{id}/refunds',
  roles: BOOKKEEPERS,
  tag: 'billing',
  summary: 'Record money paid back against a credit note',
  description: 'At most what the credit note credits and what was paid on its invoice, less earlier refunds.',
  params: idParams,
  body: recordRefundSchema,
  response: refundResultSchema,
  status: 201,
  problems: ['OVERREFUND'],
});
