import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CreateTenant, createTenantSchema, tenantSchema } from '@agdar/contracts';
import { Roles, ValidBody } from '@agdar/service-kit';
import { Endpoint } from '../openapi';
import { Upstream } from '../upstream/upstream';

@ApiTags('tenants')
@Controller('tenants')
export class TenantsRoutes {
  constructor(private readonly upstream: Upstream) {}

  @Post()
  @Roles('platform-admin')
  @Endpoint({ summary: 'Create a tenant (clinic organisation)', body: createTenantSchema, response: tenantSchema, status: 201, problems: [409, 422] })
  create(@Req() req: Request, @Res() res: Response, @ValidBody(createTenantSchema) body: CreateTenant) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/tenants', body });
  }
}
