import { Controller } from '@nestjs/common';
import { EndpointInput, NotificationsApi } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { SettingsService } from './settings.service';

type In<E extends keyof typeof NotificationsApi> = EndpointInput<(typeof NotificationsApi)[E]>;

@Controller()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Implements(NotificationsApi.getNotificationSettings)
  get(@CurrentUser() user: AuthUser) {
    return this.settings.get(user);
  }

  @Implements(NotificationsApi.setNotificationSettings)
  set(@CurrentUser() user: AuthUser, @Input() { body }: In<'setNotificationSettings'>) {
    return this.settings.set(user, body);
  }
}
