import { Controller } from '@nestjs/common';
import { EndpointInput, PatientsApi } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { ConsentsService } from './consents.service';

@Controller()
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Implements(PatientsApi.recordConsent)
  record(@CurrentUser() user: AuthUser, @Input() { params, body }: EndpointInput<typeof PatientsApi.recordConsent>) {
    return this.consents.record(user, params.id, body);
  }
}
