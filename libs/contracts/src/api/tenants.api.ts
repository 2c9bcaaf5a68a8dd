import { createTenantSchema, tenantSchema } from '../http/tenants';
import { defineEndpoint } from '../http/endpoint';

export const createTenant = defineEndpoint({
  operationId: 'createTenant',
  service: 'scheduling',
  method: 'POST',
  path: '/tenants',
  roles: ['platform-admin'],
  tag: 'tenants',
  summary: 'Create a tenant (clinic organisation)',
  description: 'Publishes TenantCreated. The code prefixes every number the tenant issues (SES-AGDAR-2026-10001).',
  body: createTenantSchema,
  response: tenantSchema,
  status: 201,
  problems: ['TENANT_EXISTS'],
});
