// Facts about sessions and their participants, handed to MessagesService inside the consumer's transaction.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  EventData,
  ParticipantBooked,
  ParticipantCancelled,
  ParticipantStatusChanged,
  SessionCancelled,
  SessionCompleted,
  SessionFull,
  SessionRescheduled,
  SessionScheduled,
  SessionStarted,
  SessionUpdated,
  SpotOpened,
} from '@agdar/contracts';
import { metaCausedBy } from '@agdar/messaging';
import { contextOf, EventContext } from '@agdar/service-kit';
import { MessagesService } from './messages.service';

const useCaseOf = (ctx: EventContext) => contextOf(ctx.em, metaCausedBy(ctx.event));

@Controller()
export class MessagesConsumer {
  constructor(private readonly messages: MessagesService) {}

  @EventPattern(ParticipantBooked.type)
  booked(@Payload() data: EventData<typeof ParticipantBooked>, @Ctx() ctx: EventContext) {
    return this.messages.booked(useCaseOf(ctx), ctx.event.id, data.session, data);
  }

  @EventPattern(ParticipantCancelled.type)
  cancelled(@Payload() data: EventData<typeof ParticipantCancelled>, @Ctx() ctx: EventContext) {
    return this.messages.cancelled(useCaseOf(ctx), ctx.event.id, data.session, data);
  }

  @EventPattern(ParticipantStatusChanged.type)
  statusChanged(@Payload() data: EventData<typeof ParticipantStatusChanged>, @Ctx() ctx: EventContext) {
    return this.messages.statusChanged(useCaseOf(ctx), data.session, data, data.to);
  }

  /** A move is handled by whichever fact brings the new start first: this one, or a seat's fact read before it. */
  @EventPattern(SessionRescheduled.type)
  rescheduled(@Payload() data: EventData<typeof SessionRescheduled>, @Ctx() ctx: EventContext) {
    return this.messages.sessionChanged(useCaseOf(ctx), data.session);
  }

  @EventPattern(SessionFull.type)
  full(@Payload() data: EventData<typeof SessionFull>, @Ctx() ctx: EventContext) {
    return this.messages.staffNote(useCaseOf(ctx), ctx.event.id, 'SESSION_FULL', data.session);
  }

  @EventPattern(SpotOpened.type)
  spotOpened(@Payload() data: EventData<typeof SpotOpened>, @Ctx() ctx: EventContext) {
    return this.messages.staffNote(useCaseOf(ctx), ctx.event.id, 'SPOT_OPENED', data.session, data.availableSpots);
  }

  @EventPattern(SessionScheduled.type)
  scheduled(@Payload() data: EventData<typeof SessionScheduled>, @Ctx() ctx: EventContext) {
    return this.messages.sessionChanged(useCaseOf(ctx), data.session);
  }

  @EventPattern(SessionUpdated.type)
  updated(@Payload() data: EventData<typeof SessionUpdated>, @Ctx() ctx: EventContext) {
    return this.messages.sessionChanged(useCaseOf(ctx), data.session);
  }

  @EventPattern(SessionStarted.type)
  started(@Payload() data: EventData<typeof SessionStarted>, @Ctx() ctx: EventContext) {
    return this.messages.sessionChanged(useCaseOf(ctx), data.session);
  }

  @EventPattern(SessionCompleted.type)
  completed(@Payload() data: EventData<typeof SessionCompleted>, @Ctx() ctx: EventContext) {
    return this.messages.sessionChanged(useCaseOf(ctx), data.session);
  }

  /** Each seat's cancellation went out with its own ParticipantCancelled; the session's is only recorded. */
  @EventPattern(SessionCancelled.type)
  sessionCancelled(@Payload() data: EventData<typeof SessionCancelled>, @Ctx() ctx: EventContext) {
    return this.messages.sessionChanged(useCaseOf(ctx), data.session);
  }
}
