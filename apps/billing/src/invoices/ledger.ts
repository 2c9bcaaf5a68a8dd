// What every change of an invoice does the same way, whichever use case makes it: seal a document issued now (its
// gapless number, its place in the tenant's hash chain, its QR), save a new state and tell the other services when the
// status moved (InvoiceStatusChanged), and clear the seat for check-in once it is settled (FinanceCleared).
import { Injectable } from '@nestjs/common';
import { FinanceCleared, formatAmount, InvoiceStatusChanged } from '@agdar/contracts';
import { UseCaseContext } from '@agdar/service-kit';
import {
  clearsCheckIn,
  clinicYearOf,
  DocumentKind,
  documentHashOf,
  documentNumberOf,
  invoiceStatusOf,
  outstandingOf,
  zatcaQrOf,
} from './invoice-rules';
import { InvoiceRow, TenantFacts } from './invoice-rows';
import { DocumentsRepository } from './documents.repository';
import { InvoicesRepository } from './invoices.repository';

export interface Seal {
  number: string;
  issuedAt: Date;
  previousHash: string;
  hash: string;
  qr: string;
}

@Injectable()
export class Ledger {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly documents: DocumentsRepository,
  ) {}

  /**
   * Number, hash and QR of a document issued now. The tenant's chain and counter rows stay locked until the
   * transaction ends (writing the document moves the chain on): two issuers of one tenant take turns, and a rollback
   * returns the number. The issue time is read once the chain is ours, so documents' times follow their order in the
   * chain and the number's year is the year of its issue date.
   */
  async seal(
    ctx: UseCaseContext,
    kind: DocumentKind,
    tenant: TenantFacts,
    id: string,
    amounts: { total: number; vat: number },
  ): Promise<Seal> {
    const yearOf = (at: Date) => clinicYearOf(at, tenant.timezone);
    const reserved = await this.documents.reserveNumber(ctx.em, tenant.code, kind, yearOf);
    const { sequence, previousHash, issuedAt, year } = reserved;
    const number = documentNumberOf(kind, tenant.code, year, sequence);
    const total = formatAmount(amounts.total, tenant.currency);
    const vat = formatAmount(amounts.vat, tenant.currency);
    const timestamp = issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const hash = documentHashOf({
      id,
      number,
      issuedAt: timestamp,
      sellerVatNumber: tenant.vatNumber,
      currency: tenant.currency,
      total,
      vat,
      previousHash,
    });
    const qr = zatcaQrOf({ sellerName: tenant.legalName, vatNumber: tenant.vatNumber ?? '', timestamp, total, vat });
    return { number, issuedAt, previousHash, hash, qr };
  }

  /** Saves a changed invoice; tells the others when its status moved, and clears check-in when it is settled. */
  async changeState(ctx: UseCaseContext, invoice: InvoiceRow): Promise<void> {
    const before = invoice.status;
    invoice.status = invoiceStatusOf(invoice);
    await this.invoices.saveState(ctx.em, invoice);
    if (invoice.status === before) return;
    await this.announce(ctx, invoice);
    if (clearsCheckIn(invoice.status) && !clearsCheckIn(before)) await this.clear(ctx, invoice);
  }

  /** The invoice's number and status as they are now, for scheduling's roster and notification. */
  async announce(ctx: UseCaseContext, invoice: InvoiceRow): Promise<void> {
    await ctx.publish(InvoiceStatusChanged, {
      invoiceId: invoice.id,
      participantId: invoice.participantId,
      sessionId: invoice.sessionId,
      patientId: invoice.patientId,
      appointmentNumber: invoice.appointmentNumber,
      invoiceNumber: invoice.number,
      status: invoice.status,
      currency: invoice.currency,
      total: invoice.currency ? formatAmount(invoice.total, invoice.currency) : null,
      outstanding: formatAmount(outstandingOf(invoice), invoice.currency ?? ''),
    });
  }

  /** The seat may check in: its invoice is paid, waived or credited. */
  async clear(ctx: UseCaseContext, invoice: InvoiceRow): Promise<void> {
    await ctx.publish(FinanceCleared, {
      patientId: invoice.patientId,
      participantId: invoice.participantId,
      appointmentNumber: invoice.appointmentNumber,
    });
  }
}
