import { ROLES } from '../roles';
import { createTenantSchema, meSchema, tenantSchema } from '../http/tenants';
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
  tenantFree: true,
  problems: ['TENANT_EXISTS'],
});

export const me = defineEndpoint({
  operationId: 'me',
  service: 'scheduling',
  method: 'GET',
  path: '/me',
  roles: ROLES,
  tag: 'tenants',
  summary: 'Who I am: my user id and roles as my token names them, and my tenant',
  description: 'What a front end shows after sign-in and uses to decide which screens a user sees.',
  response: meSchema,
  tenantFree: true,
});
