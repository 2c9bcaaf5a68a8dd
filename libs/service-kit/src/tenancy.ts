// Tenancy checked in one place: a caller whose token names a tenant that was never registered gets 403
// TENANT_NOT_REGISTERED from every endpoint of every service (but the few that are open to it: creating tenants,
// telling a caller who they are). Each service says how it knows its tenants: scheduling owns them, the others keep a
// projection of TenantCreated. A registered tenant is remembered; an unknown one is looked up again each time, so a
// tenant created a moment ago is let in as soon as the service has learnt of it.
import { CanActivate, ExecutionContext } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AuthUser } from './auth';
import { endpointOf } from './endpoint';
import { DomainError } from './problems';

export interface TenantRegistry {
  isRegistered(tenant: string): Promise<boolean>;
}

/** A registry read from one table of the service's own database (the owner's `tenants`, or a projection). */
export function tenantTable(orm: MikroORM, table: 'tenants' | 'known_tenants'): TenantRegistry {
  return {
    async isRegistered(tenant) {
      const em = orm.em.fork() as EntityManager;
      const rows = await em.execute(`select 1 from ${table} where code = ? limit 1`, [tenant]);
      return rows.length > 0;
    },
  };
}

export class TenantGuard implements CanActivate {
  private readonly registered = new Set<string>();

  constructor(private readonly registry: TenantRegistry) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const endpoint = endpointOf(context.getHandler());
    const user: AuthUser | undefined = context.switchToHttp().getRequest().user;
    if (!endpoint || endpoint.tenantFree || !user || this.registered.has(user.tenant)) return true;
    if (!(await this.registry.isRegistered(user.tenant))) {
      throw new DomainError(
        'TENANT_NOT_REGISTERED',
        `Tenant ${user.tenant} is not registered: a platform admin must create it first (it is usable about a second later).`,
      );
    }
    this.registered.add(user.tenant);
    return true;
  }
}
