// The SQL of the documents around an invoice: the tenant's numbering and hash chain, credit notes, payments and
// refunds, an invoice's documents, and the export's documents of a period. Each statement is scoped by tenant; the
// counter and chain rows order the issuing of a tenant's documents.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { notFound } from '@agdar/service-kit';
import { DocumentKind, GENESIS_HASH } from './invoice-rules';
import {
  CreditNoteRow,
  InvoiceRow,
  PaymentRow,
  RefundRow,
  toCreditNoteRow,
  toInvoiceRow,
  toPaymentRow,
  toRefundRow,
} from './invoice-rows';

const INVOICE_COLUMNS = `*, to_char(clinic_date, 'YYYY-MM-DD') as clinic_date_text`;

@Injectable()
export class DocumentsRepository {
  constructor(private readonly orm: MikroORM) {}

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
  async insertPayment(em: EntityManager, tenant: string, p: PaymentRow): Promise<void> {
    await em.execute(
      `insert into payments (id, tenant, invoice_id, amount_minor, method, reference, received_at, recorded_by)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [p.id, tenant, p.invoiceId, p.amount, p.method, p.reference, p.receivedAt, p.recordedBy],
    );
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
      payments: payments.map(toPaymentRow),
      creditNotes: notes.map(toCreditNoteRow),
      refunds: refunds.map(toRefundRow),
    };
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
  private reader(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
