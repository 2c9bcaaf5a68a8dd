// Scheduling's subscriptions that change a participant: clearances and invoice states from billing, sent
// confirmations from notification. Each handler runs in the consumer's transaction.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ConfirmationSent, EventData, FinanceCleared, InvoiceStatusChanged } from '@agdar/contracts';
import { EventContext } from '@agdar/service-kit';
import { recordConfirmationSent, recordFinanceCleared, recordInvoiceStatus } from './participant-facts';

@Controller()
export class ParticipantFactsConsumer {
  @EventPattern(FinanceCleared.type)
  financeCleared(@Payload() data: EventData<typeof FinanceCleared>, @Ctx() ctx: EventContext) {
    return recordFinanceCleared(ctx, data);
  }

  @EventPattern(ConfirmationSent.type)
  confirmationSent(@Payload() data: EventData<typeof ConfirmationSent>, @Ctx() ctx: EventContext) {
    return recordConfirmationSent(ctx, data);
  }

  @EventPattern(InvoiceStatusChanged.type)
  invoiceStatus(@Payload() data: EventData<typeof InvoiceStatusChanged>, @Ctx() ctx: EventContext) {
    return recordInvoiceStatus(ctx.em, ctx.event.tenant, data);
  }
}
