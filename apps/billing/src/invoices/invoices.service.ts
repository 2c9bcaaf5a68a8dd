// What the billing team reads: invoices (a page, or one with its payments, credit notes and refunds), their printable
// bilingual documents, and the CSV export of a period's documents for the accountant.
import { Injectable } from '@nestjs/common';
import { ExportQuery, InvoiceBody, InvoicesQuery, InvoiceSummaryBody, Page } from '@agdar/contracts';
import { AuthUser, mapPage, UseCaseContext } from '@agdar/service-kit';
import { assertHasDocument } from './invoice-rules';
import { InvoiceRow } from './invoice-rows';
import { creditNoteDocumentHtml, invoiceDocumentHtml } from './invoice-document';
import { invoicesCsv } from './invoice-export';
import { toInvoiceBody, toInvoiceSummary } from './invoice-views';
import { DocumentsRepository } from './documents.repository';
import { InvoicesRepository } from './invoices.repository';

@Injectable()
export class InvoicesService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly documents: DocumentsRepository,
  ) {}

  async list(user: AuthUser, query: InvoicesQuery): Promise<Page<InvoiceSummaryBody>> {
    return mapPage(await this.invoices.list(user.tenant, query), toInvoiceSummary);
  }

  async get(user: AuthUser, id: string): Promise<InvoiceBody> {
    return this.detailOf(await this.invoices.get(user.tenant, id));
  }

  /** The printable bilingual document of an issued invoice, with its credit notes. */
  async document(user: AuthUser, id: string): Promise<string> {
    const invoice = await this.invoices.get(user.tenant, id);
    assertHasDocument(invoice);
    return invoiceDocumentHtml(await this.detailOf(invoice));
  }

  /** A credit note's printable document. */
  async creditNoteDocument(user: AuthUser, id: string): Promise<string> {
    const invoiceId = await this.documents.invoiceOfCreditNote(user.tenant, id);
    const invoice = await this.invoices.get(user.tenant, invoiceId);
    return creditNoteDocumentHtml(await this.detailOf(invoice), id);
  }

  /** The CSV of the documents issued between two dates of the tenant's clinic calendar. */
  async export(user: AuthUser, query: ExportQuery): Promise<string> {
    const seller = (await this.invoices.seller(this.invoices.reader(), user.tenant))!;
    const { invoices, creditNotes } = await this.documents.issuedBetween(
      user.tenant,
      seller.timezone,
      query.from,
      query.to,
    );
    return invoicesCsv(invoices, creditNotes);
  }

  /** The invoice with its payments, credit notes and refunds, read in `ctx`'s transaction where there is one. */
  async detailOf(invoice: InvoiceRow, ctx?: UseCaseContext): Promise<InvoiceBody> {
    const em = ctx?.em ?? this.invoices.reader();
    return toInvoiceBody(invoice, await this.documents.documentsOf(em, invoice));
  }
}
