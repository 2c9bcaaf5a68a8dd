// Billing learns the facts it bills with from other services' events, and issues the drafts each fact completes.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventData, PatientRegistered, PatientUpdated, ServiceTypeDefined, TenantCreated } from '@agdar/contracts';
import { metaCausedBy } from '@agdar/messaging';
import { contextOf, EventContext } from '@agdar/service-kit';
import { IssuingService } from '../invoices/issuing.service';
import { FactsRepository } from './facts.repository';

@Controller()
export class FactsConsumer {
  constructor(
    private readonly facts: FactsRepository,
    private readonly issuing: IssuingService,
  ) {}

  @EventPattern(TenantCreated.type)
  async tenant(@Payload() data: EventData<typeof TenantCreated>, @Ctx() ctx: EventContext) {
    await this.facts.recordTenant(ctx.em, data);
    await this.issuing.tenantKnown(contextOf(ctx.em, metaCausedBy(ctx.event)), data.code);
  }

  @EventPattern(ServiceTypeDefined.type)
  serviceType(@Payload() data: EventData<typeof ServiceTypeDefined>, @Ctx() ctx: EventContext) {
    return this.facts.recordServiceType(ctx.em, ctx.event.tenant, data);
  }

  @EventPattern(PatientRegistered.type)
  registered(@Payload() data: EventData<typeof PatientRegistered>, @Ctx() ctx: EventContext) {
    return this.patient(data, ctx);
  }

  @EventPattern(PatientUpdated.type)
  updated(@Payload() data: EventData<typeof PatientUpdated>, @Ctx() ctx: EventContext) {
    return this.patient(data, ctx);
  }

  private async patient(data: EventData<typeof PatientRegistered>, ctx: EventContext) {
    await this.facts.recordPatient(ctx.em, ctx.event.tenant, data);
    await this.issuing.issueReady(contextOf(ctx.em, metaCausedBy(ctx.event)), { patientId: data.patientId });
  }
}
