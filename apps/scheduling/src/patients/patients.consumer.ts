// Scheduling's subscriptions to the participant service's patient facts, declared like routes. Each handler runs in
// the consumer's transaction; the Kafka transport makes delivery exactly-once in effect.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ConsentRecorded, EventData, PatientRegistered, PatientUpdated } from '@agdar/contracts';
import { EventContext } from '@agdar/service-kit';
import { recordConsent, recordPatientFacts } from './patients.projection';

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
}
