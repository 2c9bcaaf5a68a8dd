import { Controller } from '@nestjs/common';
import { EndpointInput, TenantsApi } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { TenantsService } from './tenants.service';

@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Implements(TenantsApi.me)
  me(@CurrentUser() user: AuthUser) {
    return this.tenants.me(user);
  }

  @Implements(TenantsApi.createTenant)
  create(@CurrentUser() user: AuthUser, @Input() { body }: EndpointInput<typeof TenantsApi.createTenant>) {
    return this.tenants.create(user, body);
  }
}
