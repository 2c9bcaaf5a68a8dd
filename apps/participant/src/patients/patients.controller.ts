import { Controller } from '@nestjs/common';
import { EndpointInput, PatientsApi } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { PatientsService } from './patients.service';

type In<E extends keyof typeof PatientsApi> = EndpointInput<(typeof PatientsApi)[E]>;

@Controller()
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Implements(PatientsApi.registerPatient)
  register(@CurrentUser() user: AuthUser, @Input() { body }: In<'registerPatient'>) {
    return this.patients.register(user, body);
  }

  @Implements(PatientsApi.searchPatients)
  search(@CurrentUser() user: AuthUser, @Input() { query }: In<'searchPatients'>) {
    return this.patients.search(user, query);
  }

  @Implements(PatientsApi.getPatient)
  get(@CurrentUser() user: AuthUser, @Input() { params }: In<'getPatient'>) {
    return this.patients.get(user, params.id);
  }

  @Implements(PatientsApi.updatePatient)
  update(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'updatePatient'>) {
    return this.patients.update(user, params.id, body);
  }
}
