// Billing's subscriptions to participants: a booking is invoiced; a cancellation or no-show is credited per policy.
// Each handler runs in the consumer's transaction with the processed-message row: a redelivery changes nothing.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  EventData,
  ParticipantBooked,
  ParticipantCancelled,
  ParticipantStatusChanged,
  SessionRescheduled,
} from '@agdar/contracts';
import { metaCausedBy } from '@agdar/messaging';
import { contextOf, EventContext } from '@agdar/service-kit';
import { settlementOfCancellation } from './invoice-rules';
import { IssuingService } from './issuing.service';
import { SettlingService } from './settling.service';

const useCaseOf = (ctx: EventContext) => contextOf(ctx.em, metaCausedBy(ctx.event));

@Controller()
export class InvoicesConsumer {
  constructor(
    private readonly issuing: IssuingService,
    private readonly settling: SettlingService,
  ) {}

  @EventPattern(ParticipantBooked.type)
  booked(@Payload() data: EventData<typeof ParticipantBooked>, @Ctx() ctx: EventContext) {
    return this.issuing.draftForBooking(useCaseOf(ctx), data);
  }

  /** Who cancelled decides the fee (settlementOfCancellation). */
  @EventPattern(ParticipantCancelled.type)
  async cancelled(@Payload() data: EventData<typeof ParticipantCancelled>, @Ctx() ctx: EventContext) {
    await this.issuing.applySession(useCaseOf(ctx), data.session);
    const settlement = settlementOfCancellation(data, new Date(ctx.event.occurredAt));
    return this.settling.settle(useCaseOf(ctx), data.participantId, settlement);
  }

  /** Invoices follow their session to its new time (the appointment they name). */
  @EventPattern(SessionRescheduled.type)
  async rescheduled(@Payload() data: EventData<typeof SessionRescheduled>, @Ctx() ctx: EventContext) {
    await this.issuing.applySession(useCaseOf(ctx), data.session);
  }

  @EventPattern(ParticipantStatusChanged.type)
  async statusChanged(@Payload() data: EventData<typeof ParticipantStatusChanged>, @Ctx() ctx: EventContext) {
    await this.issuing.applySession(useCaseOf(ctx), data.session);
    if (data.to === 'NO_SHOW') await this.settling.settle(useCaseOf(ctx), data.participantId, { kind: 'NO_SHOW' });
  }
}
