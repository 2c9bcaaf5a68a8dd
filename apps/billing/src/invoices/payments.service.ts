// The billing team's changes to an invoice: a payment (at most what is outstanding), a waiver, and a refund on a
// credit note (at most what it credits and was paid). Each locks its invoice, runs in one transaction with the events
// it publishes, and answers what it wrote.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  InvoiceBody,
  PaymentResultBody,
  RecordPayment,
  RecordRefund,
  RefundResultBody,
  WaiveInvoice,
} from '@agdar/contracts';
import { AuthUser, WritePath } from '@agdar/service-kit';
import {
  amountOf,
  assertPayable,
  assertRefundable,
  assertTakesMoney,
  assertWaivable,
  outstandingOf,
  refundableOf,
} from './invoice-rules';
import { toInvoiceSummary, toPaymentBody, toRefundBody } from './invoice-views';
import { DocumentsRepository } from './documents.repository';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';
import { Ledger } from './ledger';

@Injectable()
export class PaymentsService {
  constructor(
    private readonly writes: WritePath,
    private readonly invoices: InvoicesRepository,
    private readonly documents: DocumentsRepository,
    private readonly ledger: Ledger,
    private readonly reads: InvoicesService,
  ) {}

  async recordPayment(user: AuthUser, id: string, input: RecordPayment): Promise<PaymentResultBody> {
    return this.writes.run(user, async (ctx) => {
      const invoice = await this.invoices.lock(ctx.em, user.tenant, id);
      assertTakesMoney(invoice);
      const currency = invoice.currency!;
      const amount = amountOf(input.amount, currency);
      assertPayable(amount, outstandingOf(invoice), currency);
      const payment = {
        id: randomUUID(),
        invoiceId: invoice.id,
        amount,
        method: input.method,
        reference: input.reference ?? null,
        receivedAt: new Date(),
        recordedBy: user.sub,
      };
      await this.documents.insertPayment(ctx.em, user.tenant, payment);
      invoice.paid += amount;
      await this.ledger.changeState(ctx, invoice);
      return { ...toPaymentBody(payment, currency), invoice: toInvoiceSummary(invoice) };
    });
  }

  async waive(user: AuthUser, id: string, input: WaiveInvoice): Promise<InvoiceBody> {
    return this.writes.run(user, async (ctx) => {
      const invoice = await this.invoices.lock(ctx.em, user.tenant, id);
      assertWaivable(invoice);
      invoice.waived = true;
      invoice.waivedReason = input.reason;
      invoice.waivedAt = new Date();
      invoice.waivedBy = user.sub;
      await this.ledger.changeState(ctx, invoice);
      return this.reads.detailOf(invoice, ctx);
    });
  }

  async recordRefund(user: AuthUser, creditNoteId: string, input: RecordRefund): Promise<RefundResultBody> {
    return this.writes.run(user, async (ctx) => {
      const note = await this.documents.lockCreditNote(ctx.em, user.tenant, creditNoteId);
      const invoice = await this.invoices.lock(ctx.em, user.tenant, note.invoiceId);
      const currency = invoice.currency!;
      const amount = amountOf(input.amount, currency);
      assertRefundable(amount, refundableOf(note, invoice), currency, { note: note.number, invoice: invoice.number });
      const refund = {
        id: randomUUID(),
        creditNoteId: note.id,
        amount,
        method: input.method,
        reference: input.reference ?? null,
        refundedAt: new Date(),
        recordedBy: user.sub,
      };
      await this.documents.insertRefund(ctx.em, user.tenant, refund);
      invoice.refunded += amount;
      await this.invoices.saveState(ctx.em, invoice);
      return { ...toRefundBody(refund, currency), invoice: toInvoiceSummary(invoice) };
    });
  }
}
