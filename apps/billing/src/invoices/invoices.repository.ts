// The SQL of invoices themselves: locking one, writing what issuing gave it and its state as it changes, reading one
// or a page of them, and the seller and fee policy their use cases apply. Each statement is scoped by tenant; row
// locks (`for update`) order concurrent changes of one invoice.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { InvoicesQuery, Page } from '@agdar/contracts';
import { notFound, pageOf, pageWindow } from '@agdar/service-kit';
import { DEFAULT_POLICY, Policy } from './invoice-rules';
import { InvoiceRow, IssuedFields, TenantFacts, toInvoiceRow, toPolicy } from './invoice-rows';

const INVOICE_COLUMNS = `*, to_char(clinic_date, 'YYYY-MM-DD') as clinic_date_text`;

@Injectable()
export class InvoicesRepository {
  constructor(private readonly orm: MikroORM) {}

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
  async get(tenant: string, id: string, em: EntityManager = this.reader()): Promise<InvoiceRow> {
    const [row] = await em.execute(`select ${INVOICE_COLUMNS} from invoices where tenant = ? and id = ?`, [tenant, id]);
    if (!row) throw notFound('Invoice', id);
    return toInvoiceRow(row);
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
  /** The seller of the tenant's documents, as billing learnt it; null before TenantCreated reached billing. */
  async seller(em: EntityManager, code: string): Promise<TenantFacts | null> {
    const [row] = await em.execute(
      `select code, legal_name, name_ar, vat_number, timezone, currency, vat_rate::text as vat_rate
       from known_tenants where code = ?`,
      [code],
    );
    if (!row) return null;
    return {
      code: row.code,
      legalName: row.legal_name,
      nameAr: row.name_ar,
      vatNumber: row.vat_number,
      timezone: row.timezone,
      currency: row.currency,
      vatRate: row.vat_rate,
    };
  }
  /** The fee policy the tenant set, or the default one. */
  async policyOf(em: EntityManager, tenant: string): Promise<Policy> {
    const [row] = await em.execute(`select * from policies where tenant = ?`, [tenant]);
    return row ? toPolicy(row) : DEFAULT_POLICY;
  }

  /** An entity manager for reads outside a transaction. */
  reader(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
