// The queries of a tenant's reference data. Every lookup is scoped by tenant: another tenant's id does not exist here.
import { Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Page, PageRequest } from '@agdar/contracts';
import { fieldProblem, notFound, pageOf, pageWindow } from '@agdar/service-kit';
import { Clinic, Provider, Room, ServiceType } from './directory.entities';

export type DirectoryEntity = Clinic | Room | Provider | ServiceType;
type Kind<E extends DirectoryEntity> = { entity: new () => E; what: string };

export const KINDS = {
  clinic: { entity: Clinic, what: 'Clinic' } as Kind<Clinic>,
  room: { entity: Room, what: 'Room' } as Kind<Room>,
  provider: { entity: Provider, what: 'Provider' } as Kind<Provider>,
  serviceType: { entity: ServiceType, what: 'Service type' } as Kind<ServiceType>,
};

@Injectable()
export class DirectoryRepository {
  constructor(private readonly orm: MikroORM) {}

  /** A row of the tenant; 404 (naming `field` when the request body named it) when the tenant has none. */
  async reference<E extends DirectoryEntity>(
    em: EntityManager,
    kind: Kind<E>,
    tenant: string,
    id: string,
    field?: string,
  ): Promise<E> {
    const found = await em.findOne(kind.entity, { id, tenant } as never);
    if (!found) throw notFound(kind.what, id, field);
    return found as E;
  }

  /** A row a new session (or a moved one) will use: it must exist in the tenant and be active. */
  async activeReference<E extends DirectoryEntity>(
    em: EntityManager,
    kind: Kind<E>,
    tenant: string,
    id: string,
    field: string,
  ): Promise<E> {
    const found = await this.reference(em, kind, tenant, id, field);
    if (!found.active) {
      const detail = `${kind.what} ${found.name} is deactivated and takes no new sessions; choose another.`;
      throw fieldProblem('REFERENCE_INACTIVE', field, 'is deactivated', detail);
    }
    return found;
  }

  async get<E extends DirectoryEntity>(kind: Kind<E>, tenant: string, id: string): Promise<E> {
    return this.reference(this.orm.em.fork() as EntityManager, kind, tenant, id);
  }

  async lock<E extends DirectoryEntity>(em: EntityManager, kind: Kind<E>, tenant: string, id: string): Promise<E> {
    const found = await em.findOne(kind.entity, { id, tenant } as never, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!found) throw notFound(kind.what, id);
    return found as E;
  }

  /** One page of a kind of reference data of the tenant, by name; `clinicId` narrows rooms and providers. */
  async list<E extends DirectoryEntity>(
    entity: new () => E,
    tenant: string,
    query: PageRequest & { clinicId?: string },
  ): Promise<Page<E>> {
    const byClinic = query.clinicId ? { clinicId: query.clinicId } : {};
    const [rows, total] = await this.orm.em.fork().findAndCount(entity, { tenant, ...byClinic } as never, {
      orderBy: { name: 'asc', id: 'asc' } as never,
      ...pageWindow(query),
    });
    return pageOf(rows, total, query);
  }
}
