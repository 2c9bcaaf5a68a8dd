import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { CreateTenant, TenantBody, TenantCreated } from '@agdar/contracts';
import { addToOutbox, OutboxRelay } from '@agdar/messaging';
import { AuthUser, metaOf } from '@agdar/service-kit';
import { Tenant } from './tenant.entity';

@Injectable()
export class TenantsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly relay: OutboxRelay,
  ) {}

  /** A second tenant with the same code is refused by the primary key: 409 TENANT_EXISTS. */
  async create(user: AuthUser, input: CreateTenant): Promise<TenantBody> {
    const tenant = await this.orm.em.fork().transactional(async (em) => {
      const created = em.create(Tenant, { ...input, createdAt: new Date() });
      await addToOutbox(em, TenantCreated, input, { ...metaOf(user), tenant: input.code });
      return created;
    });
    this.relay.nudge();
    return toTenantBody(tenant);
  }
}

export function toTenantBody(t: Tenant): TenantBody {
  return { code: t.code, name: t.name, timezone: t.timezone, currency: t.currency, vatRate: Number(t.vatRate), createdAt: t.createdAt.toISOString() };
}
