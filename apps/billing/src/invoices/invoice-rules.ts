// The rules of billing, as pure functions: VAT, fees, what a credit note credits, an invoice's status, document
// numbers, the ZATCA hash chain and QR payload, and every refusal with its wording. All money is integer minor units;
// no floating point touches an amount.
import { createHash } from 'node:crypto';
import { CreditReason, formatAmount, InvoiceStatus, parseAmount } from '@agdar/contracts';
import { DomainError, fieldProblem } from '@agdar/service-kit';

/** A VAT rate as basis points of ten thousand: 0.15 → 1500. Rates have at most four decimals (numeric(5,4)). */
export function basisPointsOf(rate: string | number): number {
  const [whole, fraction = ''] = String(rate).split('.');
  return Number(whole) * 10000 + Number(fraction.padEnd(4, '0').slice(0, 4));
}

/** a × b / c rounded half-up, for non-negative integers: exact, no floating point. */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  const product = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  return Number((product * 2n + divisor) / (divisor * 2n));
}

/** VAT of a line: taxable × rate, rounded half-up to the minor unit (ZATCA BR-S-09). */
export function vatOf(taxableMinor: number, rateBasisPoints: number): number {
  return mulDivHalfUp(taxableMinor, rateBasisPoints, 10000);
}

export interface VatTreatment {
  rateBasisPoints: number;
  category: 'S' | 'Z';
  exemptionReason: string | null;
}

/** Saudi citizens' private healthcare is zero-rated when the clinic says so; everything else is standard-rated. */
export function vatTreatmentOf(
  tenantRateBasisPoints: number,
  citizenExemption: boolean,
  nationality: string | null,
): VatTreatment {
  if (citizenExemption && nationality === 'SA')
    return { rateBasisPoints: 0, category: 'Z', exemptionReason: 'VATEX-SA-HEA' };
  return { rateBasisPoints: tenantRateBasisPoints, category: 'S', exemptionReason: null };
}

export interface LineAmounts {
  taxable: number;
  vat: number;
  total: number;
}

/** One appointment at `unitPrice`: the invoice's one line. */
export function lineAmountsOf(unitPriceMinor: number, rateBasisPoints: number): LineAmounts {
  const vat = vatOf(unitPriceMinor, rateBasisPoints);
  return { taxable: unitPriceMinor, vat, total: unitPriceMinor + vat };
}

export interface Policy {
  lateCancellationWindowHours: number;
  lateCancellationFeePercent: number;
  noShowFeePercent: number;
  citizenHealthcareExemption: boolean;
}

export const DEFAULT_POLICY: Policy = {
  lateCancellationWindowHours: 24,
  lateCancellationFeePercent: 50,
  noShowFeePercent: 100,
  citizenHealthcareExemption: false,
};

/** What happened to an appointment that the invoice must answer with a credit note. */
export type Settlement =
  | { kind: 'PARTICIPANT_CANCELLED'; cancelledAt: Date; startsAt: Date }
  | { kind: 'CLINIC_CANCELLED' }
  | { kind: 'SESSION_CANCELLED' }
  | { kind: 'NO_SHOW' };

/**
 * What a seat's cancellation settles: the clinic's decision (its session cancelled, or the seat cancelled by the
 * clinic) is credited in full; only the patient's own cancellation meets the late-cancellation policy. An event
 * from before `cancelledBy` was recorded counts as the patient's, as it always did.
 */
export function settlementOfCancellation(
  cancellation: { cancelledBy?: 'PATIENT' | 'CLINIC'; session: { status: string; startsAt: string } },
  cancelledAt: Date,
): Settlement {
  if (cancellation.session.status === 'CANCELLED') return { kind: 'SESSION_CANCELLED' };
  if (cancellation.cancelledBy === 'CLINIC') return { kind: 'CLINIC_CANCELLED' };
  return { kind: 'PARTICIPANT_CANCELLED', cancelledAt, startsAt: new Date(cancellation.session.startsAt) };
}

/** A settlement as stored (JSON): its dates made dates again. */
export function reviveSettlement(s: Record<string, string>): Settlement {
  if (s.kind === 'PARTICIPANT_CANCELLED')
    return { kind: s.kind, cancelledAt: new Date(s.cancelledAt), startsAt: new Date(s.startsAt) };
  return { kind: s.kind as 'NO_SHOW' | 'SESSION_CANCELLED' | 'CLINIC_CANCELLED' };
}

/** Why the credit note is issued and what share of the invoice the clinic keeps as a fee. */
export function creditTermsOf(settlement: Settlement, policy: Policy): { reason: CreditReason; feePercent: number } {
  switch (settlement.kind) {
    case 'SESSION_CANCELLED':
      return { reason: 'SESSION_CANCELLED', feePercent: 0 };
    case 'CLINIC_CANCELLED':
      return { reason: 'CANCELLED', feePercent: 0 };
    case 'NO_SHOW':
      return { reason: 'NO_SHOW', feePercent: policy.noShowFeePercent };
    case 'PARTICIPANT_CANCELLED': {
      const hoursBefore = (settlement.startsAt.getTime() - settlement.cancelledAt.getTime()) / 3600000;
      return hoursBefore < policy.lateCancellationWindowHours
        ? { reason: 'LATE_CANCELLATION', feePercent: policy.lateCancellationFeePercent }
        : { reason: 'CANCELLED', feePercent: 0 };
    }
  }
}

/**
 * The credit note that leaves the clinic `feePercent` of the invoice: the fee is a share of the taxable amount with its
 * own VAT, and the credit is the rest, so invoice − credit notes = fee exactly, VAT included. Less what earlier credit
 * notes of the invoice credited.
 */
export function creditOf(
  invoice: LineAmounts & { credited: number; creditedVat: number },
  rateBasisPoints: number,
  feePercent: number,
): LineAmounts {
  const feeTaxable = mulDivHalfUp(invoice.taxable, feePercent, 100);
  const feeVat = vatOf(feeTaxable, rateBasisPoints);
  const total = Math.max(0, invoice.total - feeTaxable - feeVat - invoice.credited);
  const vat = Math.min(total, Math.max(0, invoice.vat - feeVat - invoice.creditedVat));
  return { taxable: total - vat, vat, total };
}

export interface InvoiceState {
  issued: boolean;
  voided: boolean;
  waived: boolean;
  total: number;
  paid: number;
  credited: number;
  refunded: number;
}

export function invoiceStatusOf(i: InvoiceState): InvoiceStatus {
  if (!i.issued) return i.waived ? 'WAIVED' : i.voided ? 'VOID' : 'DRAFT';
  if (i.waived) return 'WAIVED';
  if (i.credited >= i.total && i.total > 0) return 'CREDITED';
  if (i.paid + i.credited >= i.total) return 'PAID';
  return i.paid > 0 ? 'PARTIALLY_PAID' : 'ISSUED';
}

/** What is still owed: nothing on a waived invoice. */
export function outstandingOf(i: InvoiceState): number {
  if (!i.issued || i.waived) return 0;
  return Math.max(0, i.total - i.paid - i.credited);
}

/** What the clinic owes back: paid beyond what remains due after credit notes, less what was refunded. */
export function refundDueOf(i: InvoiceState): number {
  return Math.max(0, i.paid - Math.max(0, i.total - i.credited) - i.refunded);
}

/** What may still be refunded against a credit note: what it credits, and what is owed back on its invoice. */
export function refundableOf(note: { total: number; refunded: number }, invoice: InvoiceState): number {
  return Math.min(note.total - note.refunded, refundDueOf(invoice));
}

/** Statuses in which the participant may check in as far as money goes. */
export function clearsCheckIn(status: InvoiceStatus): boolean {
  return status === 'PAID' || status === 'WAIVED';
}

/** Statuses that take payments. */
export function takesPayments(status: InvoiceStatus): boolean {
  return status === 'ISSUED' || status === 'PARTIALLY_PAID';
}

/** Statuses a cancellation or no-show answers with a credit note: issued, and not credited or waived already. */
export function creditable(status: InvoiceStatus): boolean {
  return takesPayments(status) || status === 'PAID';
}

/** Statuses an admin may waive: whatever may still be owed, a draft included (its price may never come). */
export function waivable(status: InvoiceStatus): boolean {
  return takesPayments(status) || status === 'DRAFT';
}

export type DocumentKind = 'INV' | 'CRN';

/** INV-AGDAR-2026-1: the kind, the tenant, the year of issue in the clinic's zone, and the gapless sequence. */
export function documentNumberOf(kind: DocumentKind, tenant: string, year: number, sequence: number): string {
  return `${kind}-${tenant}-${year}-${sequence}`;
}

/**
 * The hash a tenant's first document cites as its predecessor: ZATCA's, base64 of the hex SHA-256 of "0".
 */
export const GENESIS_HASH = Buffer.from(createHash('sha256').update('0').digest('hex')).toString('base64');

export interface SealedFields {
  number: string;
  issuedAt: string;
  sellerVatNumber: string | null;
  currency: string;
  total: string;
  vat: string;
  previousHash: string;
  id: string;
}

/** The document's hash, over its identifying fields and the previous document's hash: the per-tenant chain. */
export function documentHashOf(fields: SealedFields): string {
  const canonical = JSON.stringify(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(canonical).digest('base64');
}

/**
 * The ZATCA phase-1 QR payload: base64 of tag-length-value fields, each value UTF-8 (1 seller name, 2 VAT number,
 * 3 time stamp, 4 total with VAT, 5 VAT total). Lengths are one byte, so a value is at most 255 bytes.
 */
export function zatcaQrOf(fields: {
  sellerName: string;
  vatNumber: string;
  timestamp: string;
  total: string;
  vat: string;
}): string {
  const values = [fields.sellerName, fields.vatNumber, fields.timestamp, fields.total, fields.vat];
  const parts = values.map((value, index) => {
    const bytes = truncateUtf8(value, 255);
    return Buffer.concat([Buffer.from([index + 1, bytes.length]), bytes]);
  });
  return Buffer.concat(parts).toString('base64');
}

/** At most `max` bytes of UTF-8, never cutting a character in two. */
function truncateUtf8(value: string, max: number): Buffer {
  let bytes = Buffer.from(value, 'utf8');
  let chars = [...value];
  while (bytes.length > max) {
    chars = chars.slice(0, -1);
    bytes = Buffer.from(chars.join(''), 'utf8');
  }
  return bytes;
}

/** The calendar year of an instant in the clinic's time zone: the year of a document's number. */
export function clinicYearOf(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(at));
}

/**
 * Whether an imported appointment gets an invoice of ours: not when the previous system billed it already, and not
 * when it was cancelled there. Appointments booked here always do.
 */
/**
 * What an imported appointment's outcome settles at once: a no-show from the previous system keeps the tenant's
 * no-show fee, as a live one would (not the whole invoice).
 */
export function settlementOfImported(imported: { status: string } | undefined): Settlement | null {
  return imported?.status === 'NO_SHOW' ? { kind: 'NO_SHOW' } : null;
}

export function invoicesBooking(imported: { legacyBilled: boolean; status: string } | undefined): boolean {
  if (!imported) return true;
  return !imported.legacyBilled && imported.status !== 'CANCELLED';
}

// Wording and refusals.

const CREDIT_NOTES: Record<CreditReason, string> = {
  CANCELLED: 'Appointment cancelled before the late-cancellation window: credited in full',
  LATE_CANCELLATION: 'Appointment cancelled within the late-cancellation window: the late-cancellation fee is kept',
  NO_SHOW: 'Patient did not attend: the no-show fee is kept',
  SESSION_CANCELLED: 'Session cancelled by the clinic: credited in full',
};

/** What a credit note says of itself. */
export function creditNoteText(reason: CreditReason, feePercent: number, invoiceNumber: string | null): string {
  return `${CREDIT_NOTES[reason]} (${feePercent} % fee). Credits ${invoiceNumber}.`;
}

/** The identifying fields of an invoice that refusals name. */
interface Named {
  number: string | null;
  appointmentNumber: string;
  status: InvoiceStatus;
}

/** Money is taken on an issued invoice that still owes something. */
export function assertTakesMoney(invoice: Named): void {
  if (invoice.status === 'DRAFT') {
    throw new DomainError(
      'INVOICE_NOT_ISSUED',
      `The invoice of ${invoice.appointmentNumber} is a DRAFT waiting for its service type's price; set the price to ` +
        'issue it, then record the payment.',
    );
  }
  if (!takesPayments(invoice.status)) throw settled(invoice);
}

export function assertWaivable(invoice: Named): void {
  if (!waivable(invoice.status)) throw settled(invoice);
}

function settled(invoice: Named): DomainError {
  const name = invoice.number ?? `of ${invoice.appointmentNumber}`;
  return new DomainError('INVOICE_SETTLED', `Invoice ${name} is ${invoice.status}; nothing is owed on it.`);
}

/** An invoice without a document: a draft waiting for its price, or one voided before it was issued. */
export function assertHasDocument(invoice: Named & { issued: boolean }): void {
  if (invoice.issued) return;
  throw new DomainError(
    'INVOICE_NOT_ISSUED',
    `The invoice of ${invoice.appointmentNumber} is a ${invoice.status} and has no document; ` +
      (invoice.status === 'DRAFT' ? "set its service type's price to issue it." : 'it was never issued.'),
  );
}

/** A payment is at most what is outstanding. */
export function assertPayable(amount: number, outstanding: number, currency: string): void {
  if (amount <= outstanding) return;
  throw new DomainError(
    'OVERPAYMENT',
    `The invoice has ${formatAmount(outstanding, currency)} ${currency} outstanding; a payment of ` +
      `${formatAmount(amount, currency)} is more than that.`,
    [{ field: 'amount', message: `must be at most ${formatAmount(outstanding, currency)}` }],
  );
}

/** A refund is at most what its credit note credits and was paid, less earlier refunds. */
export function assertRefundable(
  amount: number,
  refundable: number,
  currency: string,
  numbers: { note: string; invoice: string | null },
): void {
  if (amount <= refundable) return;
  throw new DomainError(
    'OVERREFUND',
    `At most ${formatAmount(refundable, currency)} ${currency} can be refunded on ${numbers.note}: what it ` +
      `credits and what was paid on ${numbers.invoice}, less earlier refunds.`,
    [{ field: 'amount', message: `must be at most ${formatAmount(refundable, currency)}` }],
  );
}

/** The amount in the currency's minor units; a fraction of the smallest unit, or zero, is refused naming the field. */
export function amountOf(text: string, currency: string): number {
  const parsed = parseAmount(text, currency);
  if ('error' in parsed)
    throw fieldProblem('VALIDATION_FAILED', 'amount', parsed.error, `The request is not valid: amount ${parsed.error}`);
  if (parsed.minor === 0)
    throw fieldProblem(
      'VALIDATION_FAILED',
      'amount',
      'must be more than zero',
      'The request is not valid: amount must be more than zero',
    );
  return parsed.minor;
}
