import { Controller } from '@nestjs/common';
import { EndpointInput, ImportsApi } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { ImportsService } from './imports.service';

@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Implements(ImportsApi.importAppointments)
  importAppointments(
    @CurrentUser() user: AuthUser,
    @Input() { body }: EndpointInput<typeof ImportsApi.importAppointments>,
  ) {
    return this.imports.importAppointments(user, body);
  }
}
