// The queries of a tenant's reference data. Every lookup is scoped by tenant: another tenant's id does not exist here.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Page, PageRequest } from '@agdar/contracts';
import { notFound, pageOf, pageWindow } from '@agdar/service-kit';
import { Clinic, Provider, Room, ServiceType } from './directory.entities';

type DirectoryEntity = Clinic | Room | Provider | ServiceType;
type DirectoryClass<E extends DirectoryEntity> = new () => E;

@Injectable()
export class DirectoryRepository {
  constructor(private readonly orm: MikroORM) {}

  clinicReference(em: EntityManager, tenant: string, id: string, field = 'clinicId'): Promise<Clinic> {
    return this.reference(em, Clinic, 'Clinic', tenant, id, field);
  }

  roomReference(em: EntityManager, tenant: string, id: string, field = 'roomId'): Promise<Room> {
    return this.reference(em, Room, 'Room', tenant, id, field);
  }

  providerReference(em: EntityManager, tenant: string, id: string, field = 'providerId'): Promise<Provider> {
    return this.reference(em, Provider, 'Provider', tenant, id, field);
  }

  serviceTypeReference(em: EntityManager, tenant: string, id: string, field = 'serviceTypeId'): Promise<ServiceType> {
    return this.reference(em, ServiceType, 'Service type', tenant, id, field);
  }

  /** One page of a kind of reference data of the tenant, by name; `clinicId` narrows rooms and providers. */
  async list<E extends DirectoryEntity>(
    entity: DirectoryClass<E>,
    tenant: string,
    query: PageRequest & { clinicId?: string },
  ): Promise<Page<E>> {
    const byClinic =
      query.clinicId && (entity === (Room as unknown) || entity === (Provider as unknown))
        ? { clinicId: query.clinicId }
        : {};
    const [rows, total] = await this.orm.em.fork().findAndCount(entity, { tenant, ...byClinic } as never, {
      orderBy: { name: 'asc', id: 'asc' } as never,
      ...pageWindow(query),
    });
    return pageOf(rows, total, query);
  }

  private async reference<E extends DirectoryEntity>(
    em: EntityManager,
    entity: DirectoryClass<E>,
    what: string,
    tenant: string,
    id: string,
    field: string,
  ): Promise<E> {
    const found = await em.findOne(entity, { id, tenant } as never);
    if (!found) throw notFound(what, id, field);
    return found as E;
  }
}
