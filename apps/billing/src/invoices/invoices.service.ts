// Billing's use cases. From events: a booking drafts its participant's invoice and issues it when the price, patient
// and tenant are known; a cancellation or no-show answers it with a credit note under the tenant's policy. From the
// billing team: payments, waivers and refunds. Each runs in one transaction with the events it publishes (outbox).
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  EventData,
  ExportQuery,
  FinanceCleared,
  formatAmount,
  InvoiceBody,
  InvoicesQuery,
  InvoiceStatusChanged,
  InvoiceSummaryBody,
  Page,
  ParticipantBooked,
  parseAmount,
  PaymentResultBody,
  RecordPayment,
  RecordRefund,
  RefundResultBody,
  SessionSnapshot,
  WaiveInvoice,
} from '@agdar/contracts';
import { AuthUser, DomainError, fieldProblem, mapPage, UseCaseContext, WritePath } from '@agdar/service-kit';
import { FactsRepository, PatientFacts, SessionTimes, TenantFacts } from '../facts/facts.repository';
import { PricesRepository } from '../prices/prices.repository';
import {
  basisPointsOf,
  clearsCheckIn,
  clinicYearOf,
  creditable,
  creditOf,
  creditTermsOf,
  documentHashOf,
  documentNumberOf,
  invoicesBooking,
  settlementOfImported,
  invoiceStatusOf,
  lineAmountsOf,
  outstandingOf,
  Policy,
  refundableOf,
  Settlement,
  takesPayments,
  vatTreatmentOf,
  waivable,
  zatcaQrOf,
} from './invoice-rules';
import { InvoiceRow, InvoicesRepository, IssuingFacts } from './invoices.repository';
import { creditNoteDocumentHtml, invoiceDocumentHtml } from './invoice-document';
import { invoicesCsv } from './invoice-export';
import { toInvoiceBody, toInvoiceSummary, toPaymentBody, toRefundBody } from './invoice-views';

const CREDIT_NOTES: Record<string, string> = {
  CANCELLED: 'Appointment cancelled before the late-cancellation window: credited in full',
  LATE_CANCELLATION: 'Appointment cancelled within the late-cancellation window: the late-cancellation fee is kept',
  NO_SHOW: 'Patient did not attend: the no-show fee is kept',
  SESSION_CANCELLED: 'Session cancelled by the clinic: credited in full',
};

@Injectable()
export class InvoicesService {
  constructor(
    private readonly writes: WritePath,
    private readonly invoices: InvoicesRepository,
    private readonly facts: FactsRepository,
    private readonly prices: PricesRepository,
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
    const drafted = await this.invoices.insertDraft(ctx.em, {
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
      (await this.facts.takeSettlement(ctx.em, ctx.meta.tenant, data.participantId)) ??
      settlementOfImported(data.imported);
    if (readyToIssue(drafted.facts)) {
      await this.issue(ctx, { ...drafted.draft, pendingSettlement: early }, drafted.facts);
      return;
    }
    await this.announce(ctx, drafted.draft);
    if (early) await this.settleDraft(ctx, drafted.draft, early);
  }

  /**
   * Every fact of a session carries its snapshot: the newest is kept, and the session's invoices follow a time it
   * moved (the appointment each line names; what the chain covers never changes). Takes turns with issuing, so a draft
   * is issued with the old time and then moved, or moved before it is issued, never half of each. Returns the
   * session's newest times (null: another tenant's).
   */
  async applySession(ctx: UseCaseContext, snapshot: SessionSnapshot): Promise<SessionTimes | null> {
    await this.invoices.lockDraftsOfTenant(ctx.em, ctx.meta.tenant);
    const { moved, current } = await this.facts.recordSession(ctx.em, ctx.meta.tenant, snapshot);
    if (moved && current) {
      await this.invoices.moveInvoicesOfSession(ctx.em, ctx.meta.tenant, snapshot.sessionId, current);
    }
    return current;
  }

  /**
   * Issues the tenant's drafts (of a service type or patient) whose price, patient and tenant billing now knows; the
   * others keep waiting. Called after a fact was written, in its transaction.
   */
  async issueReady(ctx: UseCaseContext, of: { serviceTypeId?: string; patientId?: string } = {}): Promise<number> {
    await this.invoices.lockDraftsOfTenant(ctx.em, ctx.meta.tenant);
    const drafts = await this.invoices.lockDrafts(ctx.em, ctx.meta.tenant, of);
    let issued = 0;
    for (const draft of drafts) {
      const facts = await this.invoices.factsForIssuing(ctx.em, draft);
      if (!readyToIssue(facts)) continue;
      await this.issue(ctx, draft, facts);
      issued++;
    }
    return issued;
  }

  /**
   * A participant was cancelled, or did not come: the credit note the policy gives (a draft remembers it). One that
   * arrives before the seat's booking is kept until the booking drafts the invoice.
   */
  async settle(ctx: UseCaseContext, participantId: string, settlement: Settlement): Promise<void> {
    const invoice = await this.invoices.lockOfParticipant(ctx.em, ctx.meta.tenant, participantId);
    if (!invoice) return this.facts.rememberSettlement(ctx.em, ctx.meta.tenant, participantId, settlement);
    if (invoice.status === 'DRAFT') return this.settleDraft(ctx, invoice, settlement);
    if (creditable(invoice.status))
      await this.credit(ctx, invoice, settlement, await this.prices.policy(ctx.em, ctx.meta.tenant));
  }

  /** A draft never issued owes nothing unless the policy keeps a fee, which the invoice carries once it is issued. */
  private async settleDraft(ctx: UseCaseContext, draft: InvoiceRow, settlement: Settlement): Promise<void> {
    const policy = await this.prices.policy(ctx.em, ctx.meta.tenant);
    if (creditTermsOf(settlement, policy).feePercent === 0) draft.status = 'VOID';
    else draft.pendingSettlement = settlement;
    await this.invoices.saveState(ctx.em, draft);
    if (draft.status === 'VOID') await this.announce(ctx, draft);
  }

  async list(user: AuthUser, query: InvoicesQuery): Promise<Page<InvoiceSummaryBody>> {
    return mapPage(await this.invoices.list(user.tenant, query), toInvoiceSummary);
  }

  async get(user: AuthUser, id: string): Promise<InvoiceBody> {
    const invoice = await this.invoices.get(user.tenant, id);
    return this.detailOf(invoice);
  }

  /** The printable bilingual document of an issued invoice, with its credit notes. */
  async document(user: AuthUser, id: string): Promise<string> {
    const invoice = await this.invoices.get(user.tenant, id);
    if (!invoice.issued) {
      throw new DomainError(
        'INVOICE_NOT_ISSUED',
        `The invoice of ${invoice.appointmentNumber} is a ${invoice.status} and has no document; ` +
          (invoice.status === 'DRAFT' ? "set its service type's price to issue it." : 'it was never issued.'),
      );
    }
    return invoiceDocumentHtml(await this.detailOf(invoice));
  }

  /** A credit note's printable document. */
  async creditNoteDocument(user: AuthUser, id: string): Promise<string> {
    const invoiceId = await this.invoices.invoiceOfCreditNote(user.tenant, id);
    const invoice = await this.invoices.get(user.tenant, invoiceId);
    return creditNoteDocumentHtml(await this.detailOf(invoice), id);
  }

  /** The CSV of the documents issued between two dates of the tenant's clinic calendar. */
  async export(user: AuthUser, query: ExportQuery): Promise<string> {
    const tenant = (await this.facts.tenant(this.invoices.reader(), user.tenant))!;
    const { invoices, creditNotes } = await this.invoices.issuedBetween(
      user.tenant,
      tenant.timezone,
      query.from,
      query.to,
    );
    return invoicesCsv(invoices, creditNotes);
  }

  async recordPayment(user: AuthUser, id: string, input: RecordPayment): Promise<PaymentResultBody> {
    return this.writes.run(user, async (ctx) => {
      const invoice = await this.invoices.lock(ctx.em, user.tenant, id);
      assertTakesMoney(invoice);
      const amount = amountOf(input.amount, invoice.currency!);
      const outstanding = outstandingOf(invoice);
      if (amount > outstanding) {
        const currency = invoice.currency!;
        throw new DomainError(
          'OVERPAYMENT',
          `The invoice has ${formatAmount(outstanding, currency)} ${currency} outstanding; a payment of ` +
            `${formatAmount(amount, currency)} is more than that.`,
          [{ field: 'amount', message: `must be at most ${formatAmount(outstanding, currency)}` }],
        );
      }
      const payment = {
        id: randomUUID(),
        invoiceId: invoice.id,
        amount,
        method: input.method,
        reference: input.reference ?? null,
        receivedAt: new Date(),
        recordedBy: user.sub,
      };
      await this.invoices.insertPayment(ctx.em, user.tenant, payment);
      invoice.paid += amount;
      await this.changeState(ctx, invoice);
      return { ...toPaymentBody(payment, invoice.currency!), invoice: toInvoiceSummary(invoice) };
    });
  }

  async waive(user: AuthUser, id: string, input: WaiveInvoice): Promise<InvoiceBody> {
    return this.writes.run(user, async (ctx) => {
      const invoice = await this.invoices.lock(ctx.em, user.tenant, id);
      if (!waivable(invoice.status)) throw settled(invoice);
      invoice.waived = true;
      invoice.waivedReason = input.reason;
      invoice.waivedAt = new Date();
      invoice.waivedBy = user.sub;
      await this.changeState(ctx, invoice);
      return this.detailOf(invoice, ctx);
    });
  }

  async recordRefund(user: AuthUser, creditNoteId: string, input: RecordRefund): Promise<RefundResultBody> {
    return this.writes.run(user, async (ctx) => {
      const note = await this.invoices.lockCreditNote(ctx.em, user.tenant, creditNoteId);
      const invoice = await this.invoices.lock(ctx.em, user.tenant, note.invoiceId);
      const currency = invoice.currency!;
      const amount = amountOf(input.amount, currency);
      const refundable = refundableOf(note, invoice);
      if (amount > refundable) {
        throw new DomainError(
          'OVERREFUND',
          `At most ${formatAmount(refundable, currency)} ${currency} can be refunded on ${note.number}: what it ` +
            `credits and what was paid on ${invoice.number}, less earlier refunds.`,
          [{ field: 'amount', message: `must be at most ${formatAmount(refundable, currency)}` }],
        );
      }
      const refund = {
        id: randomUUID(),
        creditNoteId: note.id,
        amount,
        method: input.method,
        reference: input.reference ?? null,
        refundedAt: new Date(),
        recordedBy: user.sub,
      };
      await this.invoices.insertRefund(ctx.em, user.tenant, refund);
      invoice.refunded += amount;
      await this.invoices.saveState(ctx.em, invoice);
      return { ...toRefundBody(refund, currency), invoice: toInvoiceSummary(invoice) };
    });
  }

  /** The invoice with its payments, credit notes and refunds, read in `ctx`'s transaction where there is one. */
  async detailOf(invoice: InvoiceRow, ctx?: UseCaseContext): Promise<InvoiceBody> {
    const em = ctx?.em ?? this.invoices.reader();
    return toInvoiceBody(invoice, await this.invoices.documentsOf(em, invoice));
  }

  private async issue(ctx: UseCaseContext, draft: InvoiceRow, facts: ReadyFacts): Promise<void> {
    const { tenant, price, patient } = facts;
    const treatment = vatTreatmentOf(
      basisPointsOf(tenant.vatRate),
      facts.citizenHealthcareExemption,
      patient.nationality,
    );
    const amounts = lineAmountsOf(price.amount, treatment.rateBasisPoints);
    const seal = await this.seal(ctx, 'INV', tenant, draft.id, amounts);
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
    await this.announce(ctx, invoice);
    if (clearsCheckIn(invoice.status)) await this.clear(ctx, invoice);
    if (invoice.pendingSettlement) {
      // The appointment was cancelled or missed while the invoice waited: its credit note follows it at once.
      const settlement = invoice.pendingSettlement;
      invoice.pendingSettlement = null;
      await this.credit(ctx, invoice, settlement, await this.prices.policy(ctx.em, invoice.tenant));
    }
  }

  private async credit(ctx: UseCaseContext, invoice: InvoiceRow, settlement: Settlement, policy: Policy) {
    const terms = creditTermsOf(settlement, policy);
    const amounts = creditOf(
      { ...invoice, taxable: invoice.taxable!, vat: invoice.vat! },
      invoice.vatRateBasisPoints!,
      terms.feePercent,
    );
    if (amounts.total === 0) return void (await this.invoices.saveState(ctx.em, invoice));
    const tenant = (await this.facts.tenant(ctx.em, invoice.tenant))!;
    const id = randomUUID();
    const seal = await this.seal(ctx, 'CRN', tenant, id, amounts);
    await this.invoices.insertCreditNote(ctx.em, {
      id,
      tenant: invoice.tenant,
      invoiceId: invoice.id,
      number: seal.number,
      reason: terms.reason,
      note: `${CREDIT_NOTES[terms.reason]} (${terms.feePercent} % fee). Credits ${invoice.number}.`,
      ...amounts,
      refunded: 0,
      issuedAt: seal.issuedAt,
      previousHash: seal.previousHash,
      hash: seal.hash,
      qr: seal.qr,
    });
    invoice.credited += amounts.total;
    invoice.creditedVat += amounts.vat;
    await this.changeState(ctx, invoice);
  }

  /**
   * Number, hash and QR of a document issued now. The tenant's chain and counter rows stay locked until the
   * transaction ends (writing the document moves the chain on): two issuers of one tenant take turns, and a rollback
   * returns the number.
   */
  private async seal(
    ctx: UseCaseContext,
    kind: 'INV' | 'CRN',
    tenant: TenantFacts,
    id: string,
    amounts: { total: number; vat: number },
  ) {
    // The issue time is read once the chain is ours, so documents' times follow their order in the chain and the
    // number's year is the year of its issue date.
    const yearOf = (at: Date) => clinicYearOf(at, tenant.timezone);
    const { sequence, previousHash, issuedAt, year } = await this.invoices.reserveNumber(
      ctx.em,
      tenant.code,
      kind,
      yearOf,
    );
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
  private async changeState(ctx: UseCaseContext, invoice: InvoiceRow): Promise<void> {
    const before = invoice.status;
    invoice.status = invoiceStatusOf(invoice);
    await this.invoices.saveState(ctx.em, invoice);
    if (invoice.status === before) return;
    await this.announce(ctx, invoice);
    if (clearsCheckIn(invoice.status) && !clearsCheckIn(before)) await this.clear(ctx, invoice);
  }

  private async announce(ctx: UseCaseContext, invoice: InvoiceRow): Promise<void> {
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

  private async clear(ctx: UseCaseContext, invoice: InvoiceRow): Promise<void> {
    await ctx.publish(FinanceCleared, {
      patientId: invoice.patientId,
      participantId: invoice.participantId,
      appointmentNumber: invoice.appointmentNumber,
    });
  }
}

type ReadyFacts = IssuingFacts & {
  tenant: TenantFacts;
  price: NonNullable<IssuingFacts['price']>;
  patient: PatientFacts;
};

/** An invoice is issued once billing knows its seller, its price and whom it bills. */
function readyToIssue(facts: IssuingFacts): facts is ReadyFacts {
  return !!facts.tenant && !!facts.price && !!facts.patient;
}

function assertTakesMoney(invoice: InvoiceRow): void {
  if (invoice.status === 'DRAFT') {
    throw new DomainError(
      'INVOICE_NOT_ISSUED',
      `The invoice of ${invoice.appointmentNumber} is a DRAFT waiting for its service type's price; set the price to ` +
        'issue it, then record the payment.',
    );
  }
  if (!takesPayments(invoice.status)) throw settled(invoice);
}

function settled(invoice: InvoiceRow): DomainError {
  const name = invoice.number ?? `of ${invoice.appointmentNumber}`;
  return new DomainError('INVOICE_SETTLED', `Invoice ${name} is ${invoice.status}; nothing is owed on it.`);
}

/** The amount in the currency's minor units; a fraction of the smallest unit, or zero, is refused naming the field. */
function amountOf(text: string, currency: string): number {
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
