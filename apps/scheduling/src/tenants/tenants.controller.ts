import { Controller, Post } from '@nestjs/common';
import { CreateTenant, createTenantSchema } from '@agdar/contracts';
import { AuthUser, CurrentUser, Roles, ValidBody } from '@agdar/service-kit';
import { TenantsService } from './tenants.service';

@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @Roles('platform-admin')
  create(@CurrentUser() user: AuthUser, @ValidBody(createTenantSchema) body: CreateTenant) {
    return this.tenants.create(user, body);
  }
}
