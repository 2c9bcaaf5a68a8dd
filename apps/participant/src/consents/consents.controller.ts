import { Controller, Post } from '@nestjs/common';
import { RecordConsent, recordConsentSchema } from '@agdar/contracts';
import { AuthUser, CurrentUser, IdParam, Roles, ValidBody } from '@agdar/service-kit';
import { ConsentsService } from './consents.service';

@Controller('patients/:id/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Post()
  @Roles('admin', 'reception')
  record(@CurrentUser() user: AuthUser, @IdParam() patientId: string, @ValidBody(recordConsentSchema) body: RecordConsent) {
    return this.consents.record(user, patientId, body);
  }
}
