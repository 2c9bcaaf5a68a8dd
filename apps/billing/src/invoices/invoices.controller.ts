import { Controller, Header } from '@nestjs/common';
import { BillingApi, EndpointInput } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { InvoicesService } from './invoices.service';
import { PaymentsService } from './payments.service';

type In<E extends keyof typeof BillingApi> = EndpointInput<(typeof BillingApi)[E]>;

@Controller()
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly payments: PaymentsService,
  ) {}

  @Implements(BillingApi.listInvoices)
  list(@CurrentUser() user: AuthUser, @Input() { query }: In<'listInvoices'>) {
    return this.invoices.list(user, query);
  }

  // Before getInvoice: /invoices/export is not an invoice id.
  @Implements(BillingApi.exportInvoices)
  @Header('content-disposition', 'attachment; filename="invoices.csv"')
  export(@CurrentUser() user: AuthUser, @Input() { query }: In<'exportInvoices'>) {
    return this.invoices.export(user, query);
  }

  @Implements(BillingApi.getInvoice)
  get(@CurrentUser() user: AuthUser, @Input() { params }: In<'getInvoice'>) {
    return this.invoices.get(user, params.id);
  }

  @Implements(BillingApi.getInvoiceDocument)
  document(@CurrentUser() user: AuthUser, @Input() { params }: In<'getInvoiceDocument'>) {
    return this.invoices.document(user, params.id);
  }

  @Implements(BillingApi.recordPayment)
  pay(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'recordPayment'>) {
    return this.payments.recordPayment(user, params.id, body);
  }

  @Implements(BillingApi.waiveInvoice)
  waive(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'waiveInvoice'>) {
    return this.payments.waive(user, params.id, body);
  }

  @Implements(BillingApi.getCreditNoteDocument)
  creditNoteDocument(@CurrentUser() user: AuthUser, @Input() { params }: In<'getCreditNoteDocument'>) {
    return this.invoices.creditNoteDocument(user, params.id);
  }

  @Implements(BillingApi.recordRefund)
  refund(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'recordRefund'>) {
    return this.payments.recordRefund(user, params.id, body);
  }
}
