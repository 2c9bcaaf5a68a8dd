import { Injectable } from '@nestjs/common';
import { CreateTenant, TenantBody, TenantCreated } from '@agdar/contracts';
import { AuthUser, metaOf, WritePath } from '@agdar/service-kit';
import { Tenant } from './tenant.entity';

@Injectable()
export class TenantsService {
  constructor(private readonly writes: WritePath) {}

  /** A second tenant with the same code is refused by the primary key: 409 TENANT_EXISTS. */
  async create(user: AuthUser, input: CreateTenant): Promise<TenantBody> {
    // The event belongs to the new tenant, whoever (a platform admin) created it.
    const tenant = await this.writes.runAs({ ...metaOf(user), tenant: input.code }, async ({ em, publish }) => {
      const created = em.create(Tenant, { ...input, createdAt: new Date() });
      await publish(TenantCreated, input);
      return created;
    });
    return toTenantBody(tenant);
  }
}

export function toTenantBody(t: Tenant): TenantBody {
  return {
    code: t.code,
    name: t.name,
    timezone: t.timezone,
    currency: t.currency,
    vatRate: Number(t.vatRate),
    createdAt: t.createdAt.toISOString(),
  };
}
