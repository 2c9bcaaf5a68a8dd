// The printable invoice: one HTML page in Arabic and English, each half in its own direction, that a browser prints
// (HTML rather than PDF: the browser shapes Arabic correctly, which the PDF libraries we could use do not). Its QR
// code is the ZATCA phase-1 payload, drawn by the `qrcode` library as SVG. Credit notes of the invoice follow it.
import QRCode from 'qrcode';
import { CreditNoteBody, InvoiceBody } from '@agdar/contracts';

const escape = (value: string | null | undefined) =>
  (value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Clinic-local date and time of an instant, as each language writes it. */
function localTime(iso: string, timeZone: string, locale: 'en-GB' | 'ar-SA'): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

function row(en: string, ar: string, value: string): string {
  return `<tr><th class="en">${en}</th><td dir="auto">${value}</td><th class="ar" dir="rtl">${ar}</th></tr>`;
}

async function qrSvg(payload: string | null): Promise<string> {
  return payload ? QRCode.toString(payload, { type: 'svg', margin: 1, width: 140, errorCorrectionLevel: 'M' }) : '';
}

async function creditNoteSection(note: CreditNoteBody, timeZone: string): Promise<string> {
  return `<section class="credit-note">
  <h2><span>Credit note ${escape(note.number)}</span><span dir="rtl">إشعار دائن ${escape(note.number)}</span></h2>
  <table>
    ${row('Issued', 'تاريخ الإصدار', `${escape(localTime(note.issuedAt!, timeZone, 'en-GB'))} / <span dir="rtl">${escape(localTime(note.issuedAt!, timeZone, 'ar-SA'))}</span>`)}
    ${row('Credits invoice', 'يخص الفاتورة', escape(note.invoiceNumber))}
    ${row('Reason', 'السبب', `${escape(note.reason)}: ${escape(note.note)}`)}
    ${row('Amount before VAT', 'المبلغ قبل الضريبة', `${escape(note.taxable)} ${escape(note.currency)}`)}
    ${row('VAT', 'ضريبة القيمة المضافة', `${escape(note.vat)} ${escape(note.currency)}`)}
    ${row('Total credited', 'إجمالي المبلغ الدائن', `<strong>${escape(note.total)} ${escape(note.currency)}</strong>`)}
  </table>
  <div class="qr">${await qrSvg(note.qr)}</div>
</section>`;
}

/** A printable page of one or more documents. */
function page(title: string | null, content: string): string {
  return `<!doctype html>
<html lang="ar" dir="ltr">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
  body { font-family: "Noto Naskh Arabic", "Segoe UI", Tahoma, sans-serif; margin: 2rem; color: #111; }
  h1, h2 { display: flex; justify-content: space-between; gap: 2rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  th, td { border-bottom: 1px solid #ddd; padding: .4rem .6rem; vertical-align: top; }
  th.en { text-align: left; width: 25%; } th.ar { text-align: right; width: 25%; } td { text-align: center; }
  .qr { text-align: center; } .credit-note + .credit-note, h1 ~ .credit-note { page-break-before: always; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
${content}
</body>
</html>`;
}

/** A name, and its Arabic beside it when there is one. */
const bilingual = (name: string | null, nameAr: string | null) =>
  `${escape(name)}${nameAr ? ` / <span dir="rtl">${escape(nameAr)}</span>` : ''}`;

/** Who sells, whom it bills, for which appointment: on an invoice and on each of its credit notes. */
function partiesRows(invoice: InvoiceBody): string {
  return [
    row('Seller', 'البائع', bilingual(invoice.seller.name, invoice.seller.nameAr)),
    row('VAT registration number', 'الرقم الضريبي', escape(invoice.seller.vatNumber ?? '—')),
    row('Bill to', 'العميل', bilingual(invoice.billTo.name, invoice.billTo.nameAr)),
    row('Appointment', 'رقم الموعد', escape(invoice.appointmentNumber)),
  ].join('\n  ');
}

/** A credit note on its own page, with the seller and the patient it credits. */
export async function creditNoteDocumentHtml(invoice: InvoiceBody, creditNoteId: string): Promise<string> {
  const note = invoice.creditNotes.find((n) => n.id === creditNoteId)!;
  const parties = `<table>
  ${partiesRows(invoice)}
</table>`;
  return page(note.number, `${await creditNoteSection(note, invoice.lines[0].timezone)}\n${parties}`);
}

export async function invoiceDocumentHtml(invoice: InvoiceBody): Promise<string> {
  const line = invoice.lines[0];
  const zone = line.timezone;
  const money = (v: string | null) => `${escape(v)} ${escape(invoice.currency)}`;
  const vatNote = line.vatExemptionReason ? ` (${escape(line.vatExemptionReason)})` : '';
  const notes = await Promise.all(invoice.creditNotes.map((n) => creditNoteSection(n, zone)));
  return page(
    invoice.number,
    `<h1><span>Tax invoice</span><span dir="rtl">فاتورة ضريبية</span></h1>
<table>
  ${row('Invoice number', 'رقم الفاتورة', `<strong>${escape(invoice.number)}</strong>`)}
  ${row('Issued', 'تاريخ الإصدار', `${escape(localTime(invoice.issuedAt!, zone, 'en-GB'))} / <span dir="rtl">${escape(localTime(invoice.issuedAt!, zone, 'ar-SA'))}</span>`)}
  ${partiesRows(invoice)}
  ${row('Session', 'رقم الجلسة', escape(invoice.sessionNumber))}
  ${row('Date and time', 'التاريخ والوقت', `${escape(line.clinicDate)} ${escape(line.clinicTime)} (${escape(zone)})`)}
  ${row('Service', 'الخدمة', `${escape(line.description)}${line.descriptionAr ? ` / <span dir="rtl">${escape(line.descriptionAr)}</span>` : ''}`)}
  ${row('Unit price', 'سعر الوحدة', money(line.unitPrice))}
  ${row('Quantity', 'الكمية', String(line.quantity))}
  ${row('Amount before VAT', 'المبلغ قبل الضريبة', money(line.taxable))}
  ${row(`VAT ${escape(line.vatRate)} %${vatNote}`, `ضريبة القيمة المضافة ${escape(line.vatRate)}٪${vatNote}`, money(line.vat))}
  ${row('Total with VAT', 'الإجمالي شامل الضريبة', `<strong>${money(invoice.total)}</strong>`)}
  ${row('Paid', 'المدفوع', money(invoice.paid))}
  ${row('Credited', 'المبالغ الدائنة', money(invoice.credited))}
  ${row('Outstanding', 'المتبقي', `<strong>${money(invoice.outstanding)}</strong>`)}
  ${row('Status', 'الحالة', escape(invoice.status))}
</table>
<div class="qr">${await qrSvg(invoice.qr)}</div>
${notes.join('\n')}`,
  );
}
