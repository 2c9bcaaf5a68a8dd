// Scheduling's subscriptions, declared like routes: patient facts from the participant service, clearances from
// billing. Each handler runs in the consumer's transaction; the Kafka transport makes delivery exactly-once in effect.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ConfirmationSent,
  ConsentRecorded,
  EventData,
  FinanceCleared,
  InvoiceStatusChanged,
  PatientRegistered,
  PatientUpdated,
} from '@agdar/contracts';
import { EventContext } from '@agdar/service-kit';
import {
  recordConfirmationSent,
  recordConsent,
  recordFinanceCleared,
  recordInvoiceStatus,
  recordPatientFacts,
} from './patients.projection';

@Controller()
export class PatientFactsConsumer {
  @EventPattern(PatientRegistered.type)
  registered(@Payload() data: EventData<typeof PatientRegistered>, @Ctx() ctx: EventContext) {
    return recordPatientFacts(ctx.em, ctx.event.tenant, data);
  }

  @EventPattern(PatientUpdated.type)
  updated(@Payload() data: EventData<typeof PatientUpdated>, @Ctx() ctx: EventContext) {
    return recordPatientFacts(ctx.em, ctx.event.tenant, data);
  }

  @EventPattern(ConsentRecorded.type)
  consent(@Payload() data: EventData<typeof ConsentRecorded>, @Ctx() ctx: EventContext) {
    return recordConsent(ctx, data);
  }

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
