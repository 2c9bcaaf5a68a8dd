// Use cases of a tenant's reference data: create and list clinics, rooms, providers and service types.
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  ClinicBody,
  CreateClinic,
  CreateProvider,
  CreateRoom,
  CreateServiceType,
  DirectoryQuery,
  Page,
  ProviderBody,
  RoomBody,
  ServiceTypeBody,
} from '@agdar/contracts';
import { AuthUser, DomainError } from '@agdar/service-kit';
import { Clinic, Provider, Room, ServiceType } from './directory.entities';

const missingReference = (what: string, field: string, id: string) =>
  new DomainError('NOT_FOUND', `${what} ${id} does not exist in your tenant.`, [{ field, message: 'does not exist' }]);

@Injectable()
export class DirectoryService {
  constructor(private readonly orm: MikroORM) {}

  async createClinic(user: AuthUser, input: CreateClinic): Promise<ClinicBody> {
    const em = this.orm.em.fork();
    const clinic = em.create(Clinic, { ...input, tenant: user.tenant, createdAt: new Date() });
    await em.flush();
    return toClinicBody(clinic);
  }

  async createRoom(user: AuthUser, input: CreateRoom): Promise<RoomBody> {
    const em = this.orm.em.fork();
    if (!(await em.count(Clinic, { id: input.clinicId, tenant: user.tenant }))) throw missingReference('Clinic', 'clinicId', input.clinicId);
    const room = em.create(Room, { ...input, tenant: user.tenant, createdAt: new Date() });
    await em.flush();
    return toRoomBody(room);
  }

  async createProvider(user: AuthUser, input: CreateProvider): Promise<ProviderBody> {
    const em = this.orm.em.fork();
    if (input.clinicId && !(await em.count(Clinic, { id: input.clinicId, tenant: user.tenant }))) throw missingReference('Clinic', 'clinicId', input.clinicId);
    const provider = em.create(Provider, { name: input.name, specialty: input.specialty ?? null, clinicId: input.clinicId ?? null, tenant: user.tenant, createdAt: new Date() });
    await em.flush();
    return toProviderBody(provider);
  }

  async createServiceType(user: AuthUser, input: CreateServiceType): Promise<ServiceTypeBody> {
    const em = this.orm.em.fork();
    const serviceType = em.create(ServiceType, { ...input, tenant: user.tenant, createdAt: new Date() });
    await em.flush();
    return toServiceTypeBody(serviceType);
  }

  listClinics(user: AuthUser, query: DirectoryQuery): Promise<Page<ClinicBody>> {
    return this.list(Clinic, { tenant: user.tenant }, query, toClinicBody);
  }

  listRooms(user: AuthUser, query: DirectoryQuery): Promise<Page<RoomBody>> {
    return this.list(Room, { tenant: user.tenant, ...(query.clinicId ? { clinicId: query.clinicId } : {}) }, query, toRoomBody);
  }

  listProviders(user: AuthUser, query: DirectoryQuery): Promise<Page<ProviderBody>> {
    return this.list(Provider, { tenant: user.tenant, ...(query.clinicId ? { clinicId: query.clinicId } : {}) }, query, toProviderBody);
  }

  listServiceTypes(user: AuthUser, query: DirectoryQuery): Promise<Page<ServiceTypeBody>> {
    return this.list(ServiceType, { tenant: user.tenant }, query, toServiceTypeBody);
  }

  private async list<E extends { name: string; id: string }, B>(
    entity: new () => E,
    where: object,
    query: DirectoryQuery,
    toBody: (e: E) => B,
  ): Promise<Page<B>> {
    const [rows, total] = await this.orm.em.fork().findAndCount(entity, where as never, {
      orderBy: { name: 'asc', id: 'asc' } as never,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: rows.map(toBody), total, page: query.page, pageSize: query.pageSize };
  }
}

const stamps = (e: { id: string; createdAt: Date }) => ({ id: e.id, createdAt: e.createdAt.toISOString() });
const toClinicBody = (c: Clinic): ClinicBody => ({ ...stamps(c), name: c.name, timezone: c.timezone });
const toRoomBody = (r: Room): RoomBody => ({ ...stamps(r), clinicId: r.clinicId, name: r.name });
const toProviderBody = (p: Provider): ProviderBody => ({ ...stamps(p), name: p.name, specialty: p.specialty ?? null, clinicId: p.clinicId ?? null });
const toServiceTypeBody = (s: ServiceType): ServiceTypeBody => ({ ...stamps(s), name: s.name, code: s.code, defaultDurationMinutes: s.defaultDurationMinutes });
