import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { CreateTenant, MeBody, TenantBody, TenantCreated } from '@agdar/contracts';
import { AuthUser, metaOf, WritePath } from '@agdar/service-kit';
import { Tenant } from './tenant.entity';

@Injectable()
export class TenantsService {
  constructor(
    private readonly writes: WritePath,
    private readonly orm: MikroORM,
  ) {}

  async me(user: AuthUser): Promise<MeBody> {
    const tenant = await this.orm.em.fork().findOne(Tenant, { code: user.tenant });
    return {
      sub: user.sub,
      roles: user.roles,
      tenant: {
        code: user.tenant,
        registered: !!tenant,
        name: tenant?.name ?? null,
        nameAr: tenant?.nameAr ?? null,
        timezone: tenant?.timezone ?? null,
        country: tenant?.country ?? null,
        earlyStartMinutes: tenant?.earlyStartMinutes ?? null,
      },
    };
  }

  /** A second tenant with the same code is refused by the primary key: 409 TENANT_EXISTS. */
  async create(user: AuthUser, input: CreateTenant): Promise<TenantBody> {
    // The event belongs to the new tenant, whoever (a platform admin) created it.
    return this.writes.runAs({ ...metaOf(user), tenant: input.code }, async ({ em, publish }) => {
      const legalName = input.legalName ?? input.name;
      const vatNumber = input.vatNumber ?? null;
      const nameAr = input.nameAr ?? null;
      const created = em.create(Tenant, { ...input, nameAr, legalName, vatNumber, createdAt: new Date() });
      const { earlyStartMinutes: _early, noShowGraceMinutes: _grace, ...facts } = input;
      await publish(TenantCreated, { ...facts, nameAr, legalName, vatNumber });
      return toTenantBody(created);
    });
  }
}

export function toTenantBody(t: Tenant): TenantBody {
  return {
    code: t.code,
    name: t.name,
    nameAr: t.nameAr ?? null,
    country: t.country,
    legalName: t.legalName,
    vatNumber: t.vatNumber ?? null,
    timezone: t.timezone,
    currency: t.currency,
    vatRate: Number(t.vatRate),
    earlyStartMinutes: t.earlyStartMinutes,
    noShowGraceMinutes: t.noShowGraceMinutes,
    createdAt: t.createdAt.toISOString(),
  };
}
