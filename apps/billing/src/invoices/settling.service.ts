// Settling an appointment that was cancelled or missed: the credit note the tenant's policy gives, on an issued
// invoice; on a draft never issued, nothing owed unless the policy keeps a fee (the invoice carries it once issued);
// and a settlement that arrived before the seat's booking is kept until the booking drafts the invoice.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UseCaseContext } from '@agdar/service-kit';
import { creditable, creditNoteText, creditOf, creditTermsOf, Policy, Settlement } from './invoice-rules';
import { InvoiceRow } from './invoice-rows';
import { DocumentsRepository } from './documents.repository';
import { DraftsRepository } from './drafts.repository';
import { InvoicesRepository } from './invoices.repository';
import { Ledger } from './ledger';

@Injectable()
export class SettlingService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly drafts: DraftsRepository,
    private readonly documents: DocumentsRepository,
    private readonly ledger: Ledger,
  ) {}

  /** A participant was cancelled, or did not come (ParticipantCancelled, ParticipantStatusChanged to NO_SHOW). */
  async settle(ctx: UseCaseContext, participantId: string, settlement: Settlement): Promise<void> {
    const invoice = await this.invoices.lockOfParticipant(ctx.em, ctx.meta.tenant, participantId);
    if (!invoice) return this.drafts.rememberSettlement(ctx.em, ctx.meta.tenant, participantId, settlement);
    if (invoice.status === 'DRAFT') return this.settleDraft(ctx, invoice, settlement);
    if (creditable(invoice.status)) await this.credit(ctx, invoice, settlement);
  }

  /** A draft never issued owes nothing unless the policy keeps a fee, which the invoice carries once it is issued. */
  async settleDraft(ctx: UseCaseContext, draft: InvoiceRow, settlement: Settlement): Promise<void> {
    const policy = await this.invoices.policyOf(ctx.em, ctx.meta.tenant);
    if (creditTermsOf(settlement, policy).feePercent === 0) draft.status = 'VOID';
    else draft.pendingSettlement = settlement;
    await this.invoices.saveState(ctx.em, draft);
    if (draft.status === 'VOID') await this.ledger.announce(ctx, draft);
  }

  /** The credit note of an issued invoice under the policy (none when it would credit nothing). */
  async credit(ctx: UseCaseContext, invoice: InvoiceRow, settlement: Settlement, policy?: Policy): Promise<void> {
    const terms = creditTermsOf(settlement, policy ?? (await this.invoices.policyOf(ctx.em, invoice.tenant)));
    const amounts = creditOf(
      { ...invoice, taxable: invoice.taxable!, vat: invoice.vat! },
      invoice.vatRateBasisPoints!,
      terms.feePercent,
    );
    if (amounts.total === 0) return void (await this.invoices.saveState(ctx.em, invoice));
    const seller = (await this.invoices.seller(ctx.em, invoice.tenant))!;
    const id = randomUUID();
    const seal = await this.ledger.seal(ctx, 'CRN', seller, id, amounts);
    await this.documents.insertCreditNote(ctx.em, {
      id,
      tenant: invoice.tenant,
      invoiceId: invoice.id,
      reason: terms.reason,
      note: creditNoteText(terms.reason, terms.feePercent, invoice.number),
      ...amounts,
      refunded: 0,
      ...seal,
    });
    invoice.credited += amounts.total;
    invoice.creditedVat += amounts.vat;
    await this.ledger.changeState(ctx, invoice);
  }
}
