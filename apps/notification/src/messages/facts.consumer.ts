// Notification learns names, zones and contacts from other services' events; a message that waited for one of these
// facts is addressed as soon as it arrives.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventData, PatientRegistered, PatientUpdated, ServiceTypeDefined, TenantCreated } from '@agdar/contracts';
import { EventContext } from '@agdar/service-kit';
import { FactsRepository } from '../facts/facts.repository';
import { MessagesService } from './messages.service';

@Controller()
export class FactsConsumer {
  constructor(
    private readonly facts: FactsRepository,
    private readonly messages: MessagesService,
  ) {}

  @EventPattern(TenantCreated.type)
  async tenant(@Payload() data: EventData<typeof TenantCreated>, @Ctx() ctx: EventContext) {
    await this.facts.recordTenant(ctx.em, data);
    await this.messages.factArrived(ctx.em, data.code, {});
  }

  @EventPattern(ServiceTypeDefined.type)
  async serviceType(@Payload() data: EventData<typeof ServiceTypeDefined>, @Ctx() ctx: EventContext) {
    await this.facts.recordServiceType(ctx.em, ctx.event.tenant, data);
    await this.messages.factArrived(ctx.em, ctx.event.tenant, { serviceTypeId: data.serviceTypeId });
  }

  @EventPattern(PatientRegistered.type)
  registered(@Payload() data: EventData<typeof PatientRegistered>, @Ctx() ctx: EventContext) {
    return this.contact(data, ctx);
  }

  @EventPattern(PatientUpdated.type)
  updated(@Payload() data: EventData<typeof PatientUpdated>, @Ctx() ctx: EventContext) {
    return this.contact(data, ctx);
  }

  private async contact(data: EventData<typeof PatientRegistered>, ctx: EventContext) {
    await this.facts.recordContact(ctx.em, ctx.event.tenant, data);
    await this.messages.factArrived(ctx.em, ctx.event.tenant, { patientId: data.patientId });
  }
}
