import { Controller } from '@nestjs/common';
import { EndpointInput, NotificationsApi } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { MessagesService } from './messages.service';

type In<E extends keyof typeof NotificationsApi> = EndpointInput<(typeof NotificationsApi)[E]>;

@Controller()
export class DeliveriesController {
  constructor(private readonly messages: MessagesService) {}

  @Implements(NotificationsApi.listDeliveries)
  list(@CurrentUser() user: AuthUser, @Input() { query }: In<'listDeliveries'>) {
    return this.messages.list(user, query);
  }
}
