// Billing's documents as its repositories hand them to the use cases: invoices, credit notes, payments and refunds,
// and the facts issuing needs, each typed once, with the one mapping from their table rows (minor units as numbers).
import { InvoiceStatus, PaymentMethod } from '@agdar/contracts';
import { InvoiceState, Policy, reviveSettlement, Settlement } from './invoice-rules';

/** The seller: the tenant as billing learnt it from TenantCreated. */
export interface TenantFacts {
  code: string;
  legalName: string;
  /** The clinic's name in Arabic, printed beside the seller's. */
  nameAr: string | null;
  vatNumber: string | null;
  timezone: string;
  currency: string;
  vatRate: string;
}

/** Whom an invoice bills, as billing learnt it from the participant service. */
export interface PatientFacts {
  id: string;
  name: string;
  nameAr: string | null;
  nationality: string | null;
}

/** Where and when a session takes place, as its newest fact billing has applied tells it. */
export interface SessionTimes {
  startsAt: Date;
  clinicDate: string;
  clinicTime: string;
  timezone: string;
}

/** What issuing needs to know; null where billing has not learnt it yet (the invoice then waits as a DRAFT). */
export interface IssuingFacts {
  tenant: TenantFacts | null;
  price: {
    amount: number;
    serviceTypeCode: string | null;
    serviceTypeName: string | null;
    serviceTypeNameAr: string | null;
  } | null;
  patient: PatientFacts | null;
  citizenHealthcareExemption: boolean;
}

/** Issuing facts that are all known: the invoice can be issued. */
export type ReadyFacts = IssuingFacts & {
  tenant: TenantFacts;
  price: NonNullable<IssuingFacts['price']>;
  patient: PatientFacts;
};

/** An invoice is issued once billing knows its seller, its price and whom it bills. */
export function readyToIssue(facts: IssuingFacts): facts is ReadyFacts {
  return !!facts.tenant && !!facts.price && !!facts.patient;
}

export interface InvoiceRow extends InvoiceState {
  id: string;
  tenant: string;
  participantId: string;
  patientId: string;
  sessionId: string;
  sessionNumber: string;
  appointmentNumber: string;
  serviceTypeId: string;
  timezone: string;
  startsAt: Date;
  clinicDate: string;
  clinicTime: string;
  status: InvoiceStatus;
  number: string | null;
  currency: string | null;
  serviceTypeCode: string | null;
  description: string | null;
  descriptionAr: string | null;
  billToName: string | null;
  billToNameAr: string | null;
  sellerName: string | null;
  sellerNameAr: string | null;
  sellerVatNumber: string | null;
  unitPrice: number | null;
  vatRateBasisPoints: number | null;
  vatCategory: 'S' | 'Z' | null;
  vatExemptionReason: string | null;
  taxable: number | null;
  vat: number | null;
  creditedVat: number;
  issuedAt: Date | null;
  previousHash: string | null;
  hash: string | null;
  qr: string | null;
  waivedReason: string | null;
  waivedAt: Date | null;
  waivedBy: string | null;
  pendingSettlement: Settlement | null;
  createdAt: Date;
}

export interface CreditNoteRow {
  id: string;
  tenant: string;
  invoiceId: string;
  number: string;
  reason: string;
  note: string;
  taxable: number;
  vat: number;
  total: number;
  refunded: number;
  issuedAt: Date;
  previousHash: string;
  hash: string;
  qr: string;
}

export interface PaymentRow {
  id: string;
  invoiceId: string;
  amount: number;
  method: PaymentMethod;
  reference: string | null;
  receivedAt: Date;
  recordedBy: string;
}

export interface RefundRow {
  id: string;
  creditNoteId: string;
  amount: number;
  method: PaymentMethod;
  reference: string | null;
  refundedAt: Date;
  recordedBy: string;
}

export type NewDraft = Pick<
  InvoiceRow,
  | 'id'
  | 'tenant'
  | 'participantId'
  | 'patientId'
  | 'sessionId'
  | 'sessionNumber'
  | 'appointmentNumber'
  | 'serviceTypeId'
  | 'timezone'
  | 'startsAt'
  | 'clinicDate'
  | 'clinicTime'
>;

/** What issuing writes onto a draft. */
export type IssuedFields = Pick<
  InvoiceRow,
  | 'number'
  | 'currency'
  | 'serviceTypeCode'
  | 'description'
  | 'descriptionAr'
  | 'billToName'
  | 'billToNameAr'
  | 'sellerName'
  | 'sellerNameAr'
  | 'sellerVatNumber'
  | 'unitPrice'
  | 'vatRateBasisPoints'
  | 'vatCategory'
  | 'vatExemptionReason'
  | 'taxable'
  | 'vat'
  | 'total'
  | 'issuedAt'
  | 'previousHash'
  | 'hash'
  | 'qr'
  | 'status'
>;

const money = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toInvoiceRow(r: Record<string, any>): InvoiceRow {
  return {
    id: r.id,
    tenant: r.tenant,
    participantId: r.participant_id,
    patientId: r.patient_id,
    sessionId: r.session_id,
    sessionNumber: r.session_number,
    appointmentNumber: r.appointment_number,
    serviceTypeId: r.service_type_id,
    timezone: r.timezone,
    startsAt: new Date(r.starts_at),
    clinicDate: r.clinic_date_text,
    clinicTime: r.clinic_time,
    status: r.status,
    number: r.number,
    currency: r.currency,
    serviceTypeCode: r.service_type_code,
    description: r.description,
    descriptionAr: r.description_ar,
    billToName: r.bill_to_name,
    billToNameAr: r.bill_to_name_ar,
    sellerName: r.seller_name,
    sellerNameAr: r.seller_name_ar ?? null,
    sellerVatNumber: r.seller_vat_number,
    unitPrice: money(r.unit_price_minor),
    vatRateBasisPoints: r.vat_rate_bp,
    vatCategory: r.vat_category,
    vatExemptionReason: r.vat_exemption_reason,
    taxable: money(r.taxable_minor),
    vat: money(r.vat_minor),
    total: money(r.total_minor) ?? 0,
    paid: Number(r.paid_minor),
    credited: Number(r.credited_minor),
    creditedVat: Number(r.credited_vat_minor),
    refunded: Number(r.refunded_minor),
    issued: r.issued_at !== null,
    voided: r.status === 'VOID',
    waived: r.waived_at !== null,
    issuedAt: r.issued_at ? new Date(r.issued_at) : null,
    previousHash: r.previous_hash,
    hash: r.hash,
    qr: r.qr,
    waivedReason: r.waived_reason,
    waivedAt: r.waived_at ? new Date(r.waived_at) : null,
    waivedBy: r.waived_by,
    pendingSettlement: r.pending_settlement ? reviveSettlement(r.pending_settlement) : null,
    createdAt: new Date(r.created_at),
  };
}

export function toCreditNoteRow(r: Record<string, any>): CreditNoteRow {
  return {
    id: r.id,
    tenant: r.tenant,
    invoiceId: r.invoice_id,
    number: r.number,
    reason: r.reason,
    note: r.note,
    taxable: Number(r.taxable_minor),
    vat: Number(r.vat_minor),
    total: Number(r.total_minor),
    refunded: Number(r.refunded_minor),
    issuedAt: new Date(r.issued_at),
    previousHash: r.previous_hash,
    hash: r.hash,
    qr: r.qr,
  };
}

export function toPaymentRow(p: Record<string, any>): PaymentRow {
  return {
    id: p.id,
    invoiceId: p.invoice_id,
    amount: Number(p.amount_minor),
    method: p.method,
    reference: p.reference,
    receivedAt: new Date(p.received_at),
    recordedBy: p.recorded_by,
  };
}

export function toRefundRow(r: Record<string, any>): RefundRow {
  return {
    id: r.id,
    creditNoteId: r.credit_note_id,
    amount: Number(r.amount_minor),
    method: r.method,
    reference: r.reference,
    refundedAt: new Date(r.refunded_at),
    recordedBy: r.recorded_by,
  };
}

/** A row of `policies` as the rules read it. */
export function toPolicy(row: Record<string, any>): Policy {
  return {
    lateCancellationWindowHours: row.late_cancellation_window_hours,
    lateCancellationFeePercent: row.late_cancellation_fee_percent,
    noShowFeePercent: row.no_show_fee_percent,
    citizenHealthcareExemption: row.citizen_healthcare_exemption,
  };
}
