// The SQL of invoices, credit notes, payments and refunds, each statement scoped by tenant. Row locks (`for update`)
// order concurrent changes of one invoice; the counter and chain rows order the issuing of a tenant's documents.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { InvoicesQuery, InvoiceStatus, Page, PaymentMethod } from '@agdar/contracts';
import { notFound, pageOf, pageWindow } from '@agdar/service-kit';
import { PatientFacts, TenantFacts } from '../facts/facts.repository';
import {
  DEFAULT_POLICY,
  DocumentKind,
  GENESIS_HASH,
  InvoiceState,
  reviveSettlement,
  Settlement,
} from './invoice-rules';

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

function toInvoiceRow(r: Record<string, any>): InvoiceRow {
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

function toCreditNoteRow(r: Record<string, any>): CreditNoteRow {
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

const INVOICE_COLUMNS = `*, to_char(clinic_date, 'YYYY-MM-DD') as clinic_date_text`;

/**
 * Everything issuing an invoice needs, joined to a row `d` of (tenant, service_type_id, patient_id): the seller
 * (tenant), the service type's price and names, the patient billed, and whether the tenant zero-rates citizens.
 */
const FACTS_COLUMNS = `t.code as f_tenant, t.legal_name as f_legal_name, t.name_ar as f_tenant_name_ar, t.vat_number as f_vat_number,
  t.timezone as f_timezone, t.currency as f_currency, t.vat_rate::text as f_vat_rate, p.amount_minor as f_amount,
  s.code as f_service_type_code, s.name as f_service_type_name, s.name_ar as f_service_type_name_ar,
  pa.id as f_patient_id, pa.name as f_patient_name, pa.name_ar as f_patient_name_ar, pa.nationality as f_nationality,
  po.citizen_healthcare_exemption as f_citizen_exemption`;
const FACTS_JOINS = `left join known_tenants t on t.code = d.tenant
  left join prices p on p.tenant = d.tenant and p.service_type_id = d.service_type_id
  left join service_types s on s.tenant = d.tenant and s.id = d.service_type_id
  left join patients pa on pa.tenant = d.tenant and pa.id = d.patient_id
  left join policies po on po.tenant = d.tenant`;

function toIssuingFacts(row: Record<string, any>): IssuingFacts {
  return {
    tenant: row.f_tenant
      ? {
          code: row.f_tenant,
          legalName: row.f_legal_name,
          nameAr: row.f_tenant_name_ar,
          vatNumber: row.f_vat_number,
          timezone: row.f_timezone,
          currency: row.f_currency,
          vatRate: row.f_vat_rate,
        }
      : null,
    price:
      row.f_amount !== null
        ? {
            amount: Number(row.f_amount),
            serviceTypeCode: row.f_service_type_code,
            serviceTypeName: row.f_service_type_name,
            serviceTypeNameAr: row.f_service_type_name_ar,
          }
        : null,
    patient: row.f_patient_id
      ? {
          id: row.f_patient_id,
          name: row.f_patient_name,
          nameAr: row.f_patient_name_ar,
          nationality: row.f_nationality,
        }
      : null,
    citizenHealthcareExemption: row.f_citizen_exemption ?? DEFAULT_POLICY.citizenHealthcareExemption,
  };
}

@Injectable()
export class InvoicesRepository {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Serialises, per tenant, the making of drafts with the learning of the facts that complete them (a price, a patient,
   * the tenant). Without it a booking and its patient's registration, applied at once, could each miss the other: the
   * draft would not see the patient, the patient's handler would not see the draft, and the invoice would wait forever.
   * Taken by a booking before it reads the facts, and by a fact's handler after it wrote the fact.
   */
  async lockDraftsOfTenant(em: EntityManager, tenant: string): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`billing-drafts:${tenant}`]);
  }

  /**
   * A participant's draft and what issuing it needs, in one statement; null when the participant already has an
   * invoice (a redelivered booking).
   */
  async insertDraft(em: EntityManager, draft: NewDraft): Promise<{ draft: InvoiceRow; facts: IssuingFacts } | null> {
    const rows = await em.execute(
      `with d as (
         insert into invoices (id, tenant, participant_id, patient_id, session_id, session_number, appointment_number,
           service_type_id, timezone, starts_at, clinic_date, clinic_time, status, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT', now(), now())
         on conflict (participant_id) do nothing returning *
       )
       select d.*, to_char(d.clinic_date, 'YYYY-MM-DD') as clinic_date_text, ${FACTS_COLUMNS} from d ${FACTS_JOINS}`,
      [
        draft.id,
        draft.tenant,
        draft.participantId,
        draft.patientId,
        draft.sessionId,
        draft.sessionNumber,
        draft.appointmentNumber,
        draft.serviceTypeId,
        draft.timezone,
        draft.startsAt,
        draft.clinicDate,
        draft.clinicTime,
      ],
    );
    return rows.length ? { draft: toInvoiceRow(rows[0]), facts: toIssuingFacts(rows[0]) } : null;
  }

  /** What issuing this draft needs, as billing knows it now. */
  async factsForIssuing(em: EntityManager, draft: InvoiceRow): Promise<IssuingFacts> {
    const [row] = await em.execute(
      `select ${FACTS_COLUMNS} from (select ?::text as tenant, ?::uuid as service_type_id, ?::uuid as patient_id) d
       ${FACTS_JOINS}`,
      [draft.tenant, draft.serviceTypeId, draft.patientId],
    );
    return toIssuingFacts(row);
  }

  /**
   * The invoices of a session take its new time: the appointment a line names moves with its session, issued or not
   * (the number, amounts, issue time and hash, which the chain covers, never change after issue).
   */
  async moveInvoicesOfSession(
    em: EntityManager,
    tenant: string,
    sessionId: string,
    at: Pick<InvoiceRow, 'startsAt' | 'clinicDate' | 'clinicTime' | 'timezone'>,
  ): Promise<void> {
    await em.execute(
      `update invoices set starts_at = ?, clinic_date = ?, clinic_time = ?, timezone = ?, updated_at = now()
       where tenant = ? and session_id = ?`,
      [at.startsAt, at.clinicDate, at.clinicTime, at.timezone, tenant, sessionId],
    );
  }

  /** The invoice, locked for the rest of the transaction; 404 when it is not the tenant's. */
  async lock(em: EntityManager, tenant: string, id: string): Promise<InvoiceRow> {
    const [row] = await em.execute(`select ${INVOICE_COLUMNS} from invoices where tenant = ? and id = ? for update`, [
      tenant,
      id,
    ]);
    if (!row) throw notFound('Invoice', id);
    return toInvoiceRow(row);
  }

  async lockOfParticipant(em: EntityManager, tenant: string, participantId: string): Promise<InvoiceRow | null> {
    const [row] = await em.execute(
      `select ${INVOICE_COLUMNS} from invoices where tenant = ? and participant_id = ? for update`,
      [tenant, participantId],
    );
    return row ? toInvoiceRow(row) : null;
  }

  /** The tenant's drafts (of one service type or patient), locked, oldest booking first. */
  async lockDrafts(
    em: EntityManager,
    tenant: string,
    of: { serviceTypeId?: string; patientId?: string } = {},
  ): Promise<InvoiceRow[]> {
    const filters = ['tenant = ?', `status = 'DRAFT'`];
    const params: unknown[] = [tenant];
    for (const [column, value] of [
      ['service_type_id', of.serviceTypeId],
      ['patient_id', of.patientId],
    ] as const) {
      if (!value) continue;
      filters.push(`${column} = ?`);
      params.push(value);
    }
    const rows = await em.execute(
      `select ${INVOICE_COLUMNS} from invoices where ${filters.join(' and ')} order by created_at, id for update`,
      params,
    );
    return rows.map(toInvoiceRow);
  }

  /**
   * The next number of the tenant's documents of a kind, the hash of the tenant's latest document, and the issue time.
   * The tenant's chain row is locked first, then the clock is read and the year of the number taken from it, then the
   * year's counter row is locked and moved on: a document that waited for the chain across midnight of 31 December
   * is numbered in the year it is issued in, never in the year it started waiting in. Both rows stay locked until the
   * issuing transaction ends, and the increment is rolled back with it: numbers have no gap and no duplicate whatever
   * fails, and two issuers of one tenant take turns.
   */
  async reserveNumber(
    em: EntityManager,
    tenant: string,
    kind: DocumentKind,
    yearOf: (issuedAt: Date) => number,
    clock: () => Date = () => new Date(),
  ): Promise<{ sequence: number; previousHash: string; issuedAt: Date; year: number }> {
    const lockChain = () =>
      em.execute<{ last_hash: string }[]>(`select last_hash from document_chains where tenant = ? for update`, [
        tenant,
      ]);
    let [chain] = await lockChain();
    if (!chain) {
      // The chain is started when billing learns of the tenant; here for a tenant learnt before chains were kept.
      await this.startChain(em, tenant);
      [chain] = await lockChain();
    }
    const issuedAt = clock();
    const year = yearOf(issuedAt);
    const [counter] = await em.execute<{ last_number: number }[]>(
      `insert into document_counters (tenant, kind, year, last_number) values (?, ?, ?, 1)
       on conflict (tenant, kind, year) do update set last_number = document_counters.last_number + 1
       returning last_number`,
      [tenant, kind, year],
    );
    return { sequence: counter.last_number, previousHash: chain.last_hash, issuedAt, year };
  }

  /** A tenant's chain, starting from ZATCA's first-document hash. */
  async startChain(em: EntityManager, tenant: string): Promise<void> {
    await em.execute(`insert into document_chains (tenant, last_hash) values (?, ?) on conflict do nothing`, [
      tenant,
      GENESIS_HASH,
    ]);
  }

  /** Writes what issuing gave the draft, and moves the tenant's chain on to it, in one statement. */
  async markIssued(em: EntityManager, invoice: InvoiceRow): Promise<void> {
    const f: IssuedFields = invoice;
    await em.execute(
      `with chain as (update document_chains set last_hash = ? where tenant = ?)
       update invoices set status = ?, number = ?, currency = ?, service_type_code = ?, description = ?,
         description_ar = ?, bill_to_name = ?, bill_to_name_ar = ?, seller_name = ?, seller_name_ar = ?, seller_vat_number = ?,
         unit_price_minor = ?, vat_rate_bp = ?, vat_category = ?, vat_exemption_reason = ?, taxable_minor = ?,
         vat_minor = ?, total_minor = ?, issued_at = ?, previous_hash = ?, hash = ?, qr = ?, updated_at = now()
       where tenant = ? and id = ?`,
      [
        f.hash,
        invoice.tenant,
        f.status,
        f.number,
        f.currency,
        f.serviceTypeCode,
        f.description,
        f.descriptionAr,
        f.billToName,
        f.billToNameAr,
        f.sellerName,
        f.sellerNameAr,
        f.sellerVatNumber,
        f.unitPrice,
        f.vatRateBasisPoints,
        f.vatCategory,
        f.vatExemptionReason,
        f.taxable,
        f.vat,
        f.total,
        f.issuedAt,
        f.previousHash,
        f.hash,
        f.qr,
        invoice.tenant,
        invoice.id,
      ],
    );
  }

  /** Writes the invoice's amounts, status, waiver and pending settlement as they are now. */
  async saveState(em: EntityManager, i: InvoiceRow): Promise<void> {
    await em.execute(
      `update invoices set status = ?, paid_minor = ?, credited_minor = ?, credited_vat_minor = ?, refunded_minor = ?,
         waived_reason = ?, waived_at = ?, waived_by = ?, pending_settlement = ?, updated_at = now()
       where tenant = ? and id = ?`,
      [
        i.status,
        i.paid,
        i.credited,
        i.creditedVat,
        i.refunded,
        i.waivedReason,
        i.waivedAt,
        i.waivedBy,
        i.pendingSettlement ? JSON.stringify(i.pendingSettlement) : null,
        i.tenant,
        i.id,
      ],
    );
  }

  async insertPayment(em: EntityManager, tenant: string, p: PaymentRow): Promise<void> {
    await em.execute(
      `insert into payments (id, tenant, invoice_id, amount_minor, method, reference, received_at, recorded_by)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [p.id, tenant, p.invoiceId, p.amount, p.method, p.reference, p.receivedAt, p.recordedBy],
    );
  }

  /** Writes an issued credit note, and moves the tenant's chain on to it, in one statement. */
  async insertCreditNote(em: EntityManager, c: CreditNoteRow): Promise<void> {
    await em.execute(
      `with chain as (update document_chains set last_hash = ? where tenant = ?)
       insert into credit_notes (id, tenant, invoice_id, number, reason, note, taxable_minor, vat_minor, total_minor,
         issued_at, previous_hash, hash, qr)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.hash,
        c.tenant,
        c.id,
        c.tenant,
        c.invoiceId,
        c.number,
        c.reason,
        c.note,
        c.taxable,
        c.vat,
        c.total,
        c.issuedAt,
        c.previousHash,
        c.hash,
        c.qr,
      ],
    );
  }

  /** The credit note, locked; 404 when it is not the tenant's. */
  async lockCreditNote(em: EntityManager, tenant: string, id: string): Promise<CreditNoteRow> {
    const [row] = await em.execute(`select * from credit_notes where tenant = ? and id = ? for update`, [tenant, id]);
    if (!row) throw notFound('Credit note', id);
    return toCreditNoteRow(row);
  }

  /** The invoice a credit note credits; 404 when the credit note is not the tenant's. */
  async invoiceOfCreditNote(tenant: string, id: string): Promise<string> {
    const [row] = await this.reader().execute(`select invoice_id from credit_notes where tenant = ? and id = ?`, [
      tenant,
      id,
    ]);
    if (!row) throw notFound('Credit note', id);
    return row.invoice_id;
  }

  async insertRefund(em: EntityManager, tenant: string, r: RefundRow): Promise<void> {
    await em.execute(
      `insert into refunds (id, tenant, credit_note_id, amount_minor, method, reference, refunded_at, recorded_by)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [r.id, tenant, r.creditNoteId, r.amount, r.method, r.reference, r.refundedAt, r.recordedBy],
    );
    await em.execute(`update credit_notes set refunded_minor = refunded_minor + ? where tenant = ? and id = ?`, [
      r.amount,
      tenant,
      r.creditNoteId,
    ]);
  }

  async get(tenant: string, id: string, em: EntityManager = this.reader()): Promise<InvoiceRow> {
    const [row] = await em.execute(`select ${INVOICE_COLUMNS} from invoices where tenant = ? and id = ?`, [tenant, id]);
    if (!row) throw notFound('Invoice', id);
    return toInvoiceRow(row);
  }

  /** An invoice's payments, credit notes and their refunds, oldest first. */
  async documentsOf(em: EntityManager, invoice: Pick<InvoiceRow, 'tenant' | 'id'>) {
    const of = [invoice.tenant, invoice.id];
    const payments = await em.execute(
      `select * from payments where tenant = ? and invoice_id = ? order by received_at, id`,
      of,
    );
    const notes = await em.execute(
      `select * from credit_notes where tenant = ? and invoice_id = ? order by issued_at, id`,
      of,
    );
    const refunds = notes.length
      ? await em.execute(
          `select * from refunds where tenant = ? and credit_note_id in (${notes.map(() => '?').join(', ')})
           order by refunded_at, id`,
          [invoice.tenant, ...notes.map((n) => n.id)],
        )
      : [];
    return {
      payments: payments.map(
        (p): PaymentRow => ({
          id: p.id,
          invoiceId: p.invoice_id,
          amount: Number(p.amount_minor),
          method: p.method,
          reference: p.reference,
          receivedAt: new Date(p.received_at),
          recordedBy: p.recorded_by,
        }),
      ),
      creditNotes: notes.map(toCreditNoteRow),
      refunds: refunds.map(
        (r): RefundRow => ({
          id: r.id,
          creditNoteId: r.credit_note_id,
          amount: Number(r.amount_minor),
          method: r.method,
          reference: r.reference,
          refundedAt: new Date(r.refunded_at),
          recordedBy: r.recorded_by,
        }),
      ),
    };
  }

  async list(tenant: string, query: InvoicesQuery): Promise<Page<InvoiceRow>> {
    const filters = ['tenant = ?'];
    const params: unknown[] = [tenant];
    const add = (sql: string, value: unknown) => {
      if (value === undefined) return;
      filters.push(sql);
      params.push(value);
    };
    add('status = ?', query.status);
    add('patient_id = ?', query.patientId);
    add('appointment_number = ?', query.appointmentNumber);
    add('session_number = ?', query.sessionNumber);
    add('clinic_date >= ?', query.from);
    add('clinic_date <= ?', query.to);
    const where = filters.join(' and ');
    const em = this.reader();
    const [{ total }] = await em.execute(`select count(*)::int as total from invoices where ${where}`, params);
    const { limit, offset } = pageWindow(query);
    const rows = await em.execute(
      `select ${INVOICE_COLUMNS} from invoices where ${where}
       order by clinic_date desc, clinic_time desc, appointment_number limit ? offset ?`,
      [...params, limit, offset],
    );
    return pageOf(rows.map(toInvoiceRow), total, query);
  }

  /** The invoices and credit notes issued between two clinic-local dates, in the order they were issued. */
  async issuedBetween(tenant: string, timezone: string, from: string, to: string) {
    const em = this.reader();
    const window = `(issued_at at time zone ?)::date between ? and ?`;
    const invoices = await em.execute(
      `select ${INVOICE_COLUMNS} from invoices where tenant = ? and issued_at is not null and ${window}
       order by issued_at, number`,
      [tenant, timezone, from, to],
    );
    const notes = await em.execute(
      `select c.*, i.number as invoice_number, i.appointment_number, i.session_number, i.bill_to_name, i.currency
       from credit_notes c join invoices i on i.id = c.invoice_id
       where c.tenant = ? and (c.issued_at at time zone ?)::date between ? and ? order by c.issued_at, c.number`,
      [tenant, timezone, from, to],
    );
    return {
      invoices: invoices.map(toInvoiceRow),
      creditNotes: notes.map((n) => ({
        ...toCreditNoteRow(n),
        invoiceNumber: n.invoice_number as string,
        appointmentNumber: n.appointment_number as string,
        sessionNumber: n.session_number as string,
        billToName: n.bill_to_name as string | null,
        currency: n.currency as string,
      })),
    };
  }

  /** An entity manager for reads outside a transaction. */
  reader(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
