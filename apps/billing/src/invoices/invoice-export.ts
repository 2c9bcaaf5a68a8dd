// The accountants' CSV: one row per document issued in the period, invoices and then credit notes (negative), with
// `csv-stringify` doing the quoting. Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
import { stringify } from 'csv-stringify/sync';
import { formatAmount, spreadsheetText } from '@agdar/contracts';
import { CreditNoteRow, InvoiceRow } from './invoice-rows';

const HEADER = [
  'document_type',
  'number',
  'issued_at',
  'invoice_number',
  'appointment_number',
  'session_number',
  'bill_to',
  'currency',
  'taxable',
  'vat',
  'total',
  'vat_category',
  'status_or_reason',
];

type ExportedCreditNote = CreditNoteRow & {
  invoiceNumber: string;
  appointmentNumber: string;
  sessionNumber: string;
  billToName: string | null;
  currency: string;
};

export function invoicesCsv(invoices: InvoiceRow[], creditNotes: ExportedCreditNote[]): string {
  const rows = [
    ...invoices.map((i) => [
      'INVOICE',
      i.number,
      i.issuedAt!.toISOString(),
      i.number,
      spreadsheetText(i.appointmentNumber),
      spreadsheetText(i.sessionNumber),
      spreadsheetText(i.billToName),
      i.currency,
      formatAmount(i.taxable!, i.currency!),
      formatAmount(i.vat!, i.currency!),
      formatAmount(i.total, i.currency!),
      i.vatCategory,
      i.status,
    ]),
    ...creditNotes.map((c) => [
      'CREDIT_NOTE',
      c.number,
      c.issuedAt.toISOString(),
      c.invoiceNumber,
      spreadsheetText(c.appointmentNumber),
      spreadsheetText(c.sessionNumber),
      spreadsheetText(c.billToName),
      c.currency,
      formatAmount(-c.taxable, c.currency),
      formatAmount(-c.vat, c.currency),
      formatAmount(-c.total, c.currency),
      '',
      c.reason,
    ]),
  ];
  return stringify([HEADER, ...rows], { bom: true });
}
