// How invoices, credit notes, payments and refunds look to API callers: amounts as decimal strings in the document's
// currency, times as ISO instants, the appointment's clinic-local date and time with its zone.
import {
  CreditNoteBody,
  formatAmount,
  InvoiceBody,
  InvoiceSummaryBody,
  PaymentBody,
  RefundBody,
} from '@agdar/contracts';
import { outstandingOf, refundDueOf } from './invoice-rules';
import { CreditNoteRow, InvoiceRow, PaymentRow, RefundRow } from './invoice-rows';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** "15.00" for 1500 basis points. */
export function percentOf(basisPoints: number): string {
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}`;
}

export function toInvoiceSummary(i: InvoiceRow): InvoiceSummaryBody {
  const currency = i.currency ?? '';
  const amount = (minor: number | null) => (i.currency && minor !== null ? formatAmount(minor, currency) : null);
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    patientId: i.patientId,
    participantId: i.participantId,
    sessionId: i.sessionId,
    sessionNumber: i.sessionNumber,
    appointmentNumber: i.appointmentNumber,
    billTo: { name: i.billToName, nameAr: i.billToNameAr },
    currency: i.currency,
    taxable: amount(i.taxable),
    vat: amount(i.vat),
    total: i.issued ? amount(i.total) : null,
    paid: formatAmount(i.paid, currency),
    credited: formatAmount(i.credited, currency),
    outstanding: formatAmount(outstandingOf(i), currency),
    refundDue: formatAmount(refundDueOf(i), currency),
    issuedAt: iso(i.issuedAt),
    createdAt: i.createdAt.toISOString(),
  };
}

export function toPaymentBody(p: PaymentRow, currency: string): PaymentBody {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    amount: formatAmount(p.amount, currency),
    currency,
    method: p.method,
    reference: p.reference,
    receivedAt: p.receivedAt.toISOString(),
    recordedBy: p.recordedBy,
  };
}

export function toRefundBody(r: RefundRow, currency: string): RefundBody {
  return {
    id: r.id,
    creditNoteId: r.creditNoteId,
    amount: formatAmount(r.amount, currency),
    currency,
    method: r.method,
    reference: r.reference,
    refundedAt: r.refundedAt.toISOString(),
    recordedBy: r.recordedBy,
  };
}

export function toCreditNoteBody(c: CreditNoteRow, invoice: InvoiceRow, refunds: RefundRow[]): CreditNoteBody {
  const currency = invoice.currency!;
  return {
    id: c.id,
    number: c.number,
    invoiceId: c.invoiceId,
    invoiceNumber: invoice.number!,
    reason: c.reason as CreditNoteBody['reason'],
    note: c.note,
    currency,
    taxable: formatAmount(c.taxable, currency),
    vat: formatAmount(c.vat, currency),
    total: formatAmount(c.total, currency),
    refunded: formatAmount(c.refunded, currency),
    refunds: refunds.filter((r) => r.creditNoteId === c.id).map((r) => toRefundBody(r, currency)),
    issuedAt: c.issuedAt.toISOString(),
    hash: c.hash,
    previousHash: c.previousHash,
    qr: c.qr,
  };
}

export function toInvoiceBody(
  i: InvoiceRow,
  documents: { payments: PaymentRow[]; creditNotes: CreditNoteRow[]; refunds: RefundRow[] },
): InvoiceBody {
  const currency = i.currency ?? '';
  const line = i.issued
    ? [
        {
          serviceTypeId: i.serviceTypeId,
          serviceTypeCode: i.serviceTypeCode,
          description: i.description ?? '',
          descriptionAr: i.descriptionAr,
          sessionNumber: i.sessionNumber,
          appointmentNumber: i.appointmentNumber,
          clinicDate: i.clinicDate,
          clinicTime: i.clinicTime,
          timezone: i.timezone,
          quantity: 1,
          unitPrice: formatAmount(i.unitPrice!, currency),
          taxable: formatAmount(i.taxable!, currency),
          vatRate: percentOf(i.vatRateBasisPoints!),
          vatCategory: i.vatCategory!,
          vatExemptionReason: i.vatExemptionReason,
          vat: formatAmount(i.vat!, currency),
          total: formatAmount(i.total, currency),
        },
      ]
    : [];
  return {
    ...toInvoiceSummary(i),
    seller: { name: i.sellerName, nameAr: i.sellerNameAr, vatNumber: i.sellerVatNumber },
    lines: line,
    payments: documents.payments.map((p) => toPaymentBody(p, currency)),
    creditNotes: documents.creditNotes.map((c) => toCreditNoteBody(c, i, documents.refunds)),
    waiver: i.waivedAt ? { reason: i.waivedReason!, waivedAt: i.waivedAt.toISOString(), waivedBy: i.waivedBy! } : null,
    issuedAt: iso(i.issuedAt),
    hash: i.hash,
    previousHash: i.previousHash,
    qr: i.qr,
  };
}
