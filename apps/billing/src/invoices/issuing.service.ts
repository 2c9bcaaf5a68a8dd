// Issuing: a booking drafts its participant's invoice, issued at once when billing knows the price, the patient and
// the seller, else a DRAFT that waits; a fact that completes drafts (a price, a patient, the tenant) issues them; a
// session's facts move its invoices with it. Each runs in the transaction of the event or request that caused it.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventData, ParticipantBooked, SessionSnapshot } from '@agdar/contracts';
import { UseCaseContext } from '@agdar/service-kit';
import {
  basisPointsOf,
  clearsCheckIn,
  invoicesBooking,
  invoiceStatusOf,
  lineAmountsOf,
  settlementOfImported,
  vatTreatmentOf,
} from './invoice-rules';
import { InvoiceRow, readyToIssue, ReadyFacts, SessionTimes } from './invoice-rows';
import { DocumentsRepository } from './documents.repository';
import { DraftsRepository } from './drafts.repository';
import { InvoicesRepository } from './invoices.repository';
import { Ledger } from './ledger';
import { SettlingService } from './settling.service';

@Injectable()
export class IssuingService {
  constructor(
    private readonly drafts: DraftsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly documents: DocumentsRepository,
    private readonly ledger: Ledger,
    private readonly settling: SettlingService,
  ) {}

  /**
   * ParticipantBooked: the participant's invoice, issued at once when it can be, else a DRAFT that waits. It bills the
   * session's newest time (a move read first from the other topic wins over this event's older snapshot), and settles
   * at once a cancellation or no-show of the seat that arrived before it.
   */
  async draftForBooking(ctx: UseCaseContext, data: EventData<typeof ParticipantBooked>): Promise<void> {
    if (!invoicesBooking(data.imported)) return; // billed by the previous system, or cancelled there
    const session = await this.applySession(ctx, data.session);
    if (!session) return; // the session is another tenant's
    const drafted = await this.drafts.insertDraft(ctx.em, {
      id: randomUUID(),
      tenant: ctx.meta.tenant,
      participantId: data.participantId,
      patientId: data.patientId,
      sessionId: data.session.sessionId,
      sessionNumber: data.session.sessionNumber,
      appointmentNumber: data.appointmentNumber,
      serviceTypeId: data.session.serviceTypeId,
      ...session,
    });
    if (!drafted) return; // this participant already has its invoice
    // A cancellation or no-show read before the booking ends the invoice as it would have in order: issued and
    // credited at once where it can be issued now, settled as a waiting draft otherwise.
    const early =
      (await this.drafts.takeSettlement(ctx.em, ctx.meta.tenant, data.participantId)) ??
      settlementOfImported(data.imported);
    if (readyToIssue(drafted.facts)) {
      await this.issue(ctx, { ...drafted.draft, pendingSettlement: early }, drafted.facts);
      return;
    }
    await this.ledger.announce(ctx, drafted.draft);
    if (early) await this.settling.settleDraft(ctx, drafted.draft, early);
  }

  /**
   * Every fact of a session carries its snapshot: the newest is kept, and the session's invoices follow a time it
   * moved (the appointment each line names; what the chain covers never changes). Takes turns with issuing, so a draft
   * is issued with the old time and then moved, or moved before it is issued, never half of each. Returns the
   * session's newest times (null: another tenant's).
   */
  async applySession(ctx: UseCaseContext, snapshot: SessionSnapshot): Promise<SessionTimes | null> {
    await this.drafts.lockDraftsOfTenant(ctx.em, ctx.meta.tenant);
    const { moved, current } = await this.drafts.recordSession(ctx.em, ctx.meta.tenant, snapshot);
    if (moved && current) {
      await this.drafts.moveInvoicesOfSession(ctx.em, ctx.meta.tenant, snapshot.sessionId, current);
    }
    return current;
  }

  /**
   * Issues the tenant's drafts (of a service type or patient) whose price, patient and tenant billing now knows; the
   * others keep waiting. Called after a fact was written, in its transaction.
   */
  async issueReady(ctx: UseCaseContext, of: { serviceTypeId?: string; patientId?: string } = {}): Promise<number> {
    await this.drafts.lockDraftsOfTenant(ctx.em, ctx.meta.tenant);
    const drafts = await this.drafts.lockDrafts(ctx.em, ctx.meta.tenant, of);
    let issued = 0;
    for (const draft of drafts) {
      const facts = await this.drafts.factsForIssuing(ctx.em, draft);
      if (!readyToIssue(facts)) continue;
      await this.issue(ctx, draft, facts);
      issued++;
    }
    return issued;
  }

  /** Billing learnt of a tenant (TenantCreated): its hash chain starts, and the drafts that waited for it issue. */
  async tenantKnown(ctx: UseCaseContext, code: string): Promise<void> {
    await this.documents.startChain(ctx.em, code);
    await this.issueReady(ctx);
  }

  /**
   * Issues a draft: the VAT treatment of its patient, the line's amounts, the seal; then tells the others, clears
   * check-in for an invoice that owes nothing, and credits at once an appointment settled while the invoice waited.
   */
  private async issue(ctx: UseCaseContext, draft: InvoiceRow, facts: ReadyFacts): Promise<void> {
    const { tenant, price, patient } = facts;
    const rate = basisPointsOf(tenant.vatRate);
    const treatment = vatTreatmentOf(rate, facts.citizenHealthcareExemption, patient.nationality);
    const amounts = lineAmountsOf(price.amount, treatment.rateBasisPoints);
    const seal = await this.ledger.seal(ctx, 'INV', tenant, draft.id, amounts);
    const invoice: InvoiceRow = {
      ...draft,
      ...seal,
      issued: true,
      currency: tenant.currency,
      serviceTypeCode: price.serviceTypeCode,
      description: price.serviceTypeName ?? price.serviceTypeCode ?? 'Session',
      descriptionAr: price.serviceTypeNameAr,
      billToName: patient.name,
      billToNameAr: patient.nameAr,
      sellerName: tenant.legalName,
      sellerNameAr: tenant.nameAr,
      sellerVatNumber: tenant.vatNumber,
      unitPrice: price.amount,
      vatRateBasisPoints: treatment.rateBasisPoints,
      vatCategory: treatment.category,
      vatExemptionReason: treatment.exemptionReason,
      ...amounts,
    };
    invoice.status = invoiceStatusOf(invoice);
    await this.invoices.markIssued(ctx.em, invoice);
    await this.ledger.announce(ctx, invoice);
    if (clearsCheckIn(invoice.status)) await this.ledger.clear(ctx, invoice);
    if (invoice.pendingSettlement) {
      // The appointment was cancelled or missed while the invoice waited: its credit note follows it at once.
      const settlement = invoice.pendingSettlement;
      invoice.pendingSettlement = null;
      await this.settling.credit(ctx, invoice, settlement);
    }
  }
}
