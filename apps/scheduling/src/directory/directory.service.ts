// Use cases of a tenant's reference data: create, read, change and deactivate clinics, rooms, providers and service
// types. A deactivated one takes no new sessions (sessions.service asks the repository for active references only).
import { Injectable } from '@nestjs/common';
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
  ServiceTypeDefined,
  UpdateClinic,
  UpdateProvider,
  UpdateRoom,
  UpdateServiceType,
} from '@agdar/contracts';
import { AuthUser, mapPage, UseCaseContext, WritePath } from '@agdar/service-kit';
import { Clinic, Provider, Room, ServiceType } from './directory.entities';
import { DirectoryEntity, DirectoryRepository, KINDS } from './directory.repository';

@Injectable()
export class DirectoryService {
  constructor(
    private readonly writes: WritePath,
    private readonly directory: DirectoryRepository,
  ) {}

  async createClinic(user: AuthUser, input: CreateClinic): Promise<ClinicBody> {
    return this.writes.run(user, async ({ em }) =>
      toClinicBody(em.create(Clinic, { ...input, nameAr: input.nameAr ?? null, tenant: user.tenant })),
    );
  }

  async createRoom(user: AuthUser, input: CreateRoom): Promise<RoomBody> {
    return this.writes.run(user, async ({ em }) => {
      await this.directory.reference(em, KINDS.clinic, user.tenant, input.clinicId, 'clinicId');
      return toRoomBody(em.create(Room, { ...input, nameAr: input.nameAr ?? null, tenant: user.tenant }));
    });
  }

  async createProvider(user: AuthUser, input: CreateProvider): Promise<ProviderBody> {
    return this.writes.run(user, async ({ em }) => {
      if (input.clinicId) await this.directory.reference(em, KINDS.clinic, user.tenant, input.clinicId, 'clinicId');
      const { name, nameAr, specialty, clinicId } = input;
      const provider = em.create(Provider, {
        name,
        nameAr: nameAr ?? null,
        specialty: specialty ?? null,
        clinicId: clinicId ?? null,
        tenant: user.tenant,
      });
      return toProviderBody(provider);
    });
  }

  async createServiceType(user: AuthUser, input: CreateServiceType): Promise<ServiceTypeBody> {
    return this.writes.run(user, async ({ em, publish }) => {
      const created = em.create(ServiceType, { ...input, nameAr: input.nameAr ?? null, tenant: user.tenant });
      await publish(ServiceTypeDefined, serviceTypeFacts(created));
      return toServiceTypeBody(created);
    });
  }

  async listClinics(user: AuthUser, query: DirectoryQuery): Promise<Page<ClinicBody>> {
    return mapPage(await this.directory.list(Clinic, user.tenant, query), toClinicBody);
  }

  async listRooms(user: AuthUser, query: DirectoryQuery): Promise<Page<RoomBody>> {
    return mapPage(await this.directory.list(Room, user.tenant, query), toRoomBody);
  }

  async listProviders(user: AuthUser, query: DirectoryQuery): Promise<Page<ProviderBody>> {
    return mapPage(await this.directory.list(Provider, user.tenant, query), toProviderBody);
  }

  async listServiceTypes(user: AuthUser, query: DirectoryQuery): Promise<Page<ServiceTypeBody>> {
    return mapPage(await this.directory.list(ServiceType, user.tenant, query), toServiceTypeBody);
  }

  async getClinic(user: AuthUser, id: string): Promise<ClinicBody> {
    return toClinicBody(await this.directory.get(KINDS.clinic, user.tenant, id));
  }

  async getRoom(user: AuthUser, id: string): Promise<RoomBody> {
    return toRoomBody(await this.directory.get(KINDS.room, user.tenant, id));
  }

  async getProvider(user: AuthUser, id: string): Promise<ProviderBody> {
    return toProviderBody(await this.directory.get(KINDS.provider, user.tenant, id));
  }

  async getServiceType(user: AuthUser, id: string): Promise<ServiceTypeBody> {
    return toServiceTypeBody(await this.directory.get(KINDS.serviceType, user.tenant, id));
  }

  async updateClinic(user: AuthUser, id: string, change: UpdateClinic): Promise<ClinicBody> {
    return toClinicBody(await this.change(user, KINDS.clinic, id, change));
  }

  async updateRoom(user: AuthUser, id: string, change: UpdateRoom): Promise<RoomBody> {
    return toRoomBody(await this.change(user, KINDS.room, id, change));
  }

  async updateProvider(user: AuthUser, id: string, change: UpdateProvider): Promise<ProviderBody> {
    const provider = await this.change(user, KINDS.provider, id, change, async (em) => {
      if (change.clinicId) await this.directory.reference(em, KINDS.clinic, user.tenant, change.clinicId, 'clinicId');
    });
    return toProviderBody(provider);
  }

  async updateServiceType(user: AuthUser, id: string, change: UpdateServiceType): Promise<ServiceTypeBody> {
    const serviceType = await this.change(user, KINDS.serviceType, id, change, undefined, (publish, changed) =>
      publish(ServiceTypeDefined, serviceTypeFacts(changed)),
    );
    return toServiceTypeBody(serviceType);
  }

  /** Applies the fields given (null clears an optional one) after `check`, under the row's lock. */
  private change<E extends DirectoryEntity>(
    user: AuthUser,
    kind: { entity: new () => E; what: string },
    id: string,
    change: Record<string, unknown>,
    check?: (em: UseCaseContext['em']) => Promise<void>,
    announce?: (publish: UseCaseContext['publish'], changed: E) => Promise<unknown>,
  ): Promise<E> {
    return this.writes.run(user, async ({ em, publish }) => {
      const found = await this.directory.lock(em, kind, user.tenant, id);
      await check?.(em);
      em.assign(found, Object.fromEntries(Object.entries(change).map(([k, v]) => [k, v ?? null])) as never);
      await announce?.(publish, found);
      return found;
    });
  }
}

const stamps = (e: { id: string; active: boolean; createdAt: Date }) => ({
  id: e.id,
  active: e.active,
  createdAt: e.createdAt.toISOString(),
});
const names = (e: { name: string; nameAr: string | null }) => ({ name: e.name, nameAr: e.nameAr ?? null });
const toClinicBody = (c: Clinic): ClinicBody => ({ ...stamps(c), ...names(c), timezone: c.timezone });
const toRoomBody = (r: Room): RoomBody => ({ ...stamps(r), clinicId: r.clinicId, ...names(r) });
const toProviderBody = (p: Provider): ProviderBody => ({
  ...stamps(p),
  ...names(p),
  specialty: p.specialty ?? null,
  clinicId: p.clinicId ?? null,
});
const toServiceTypeBody = (s: ServiceType): ServiceTypeBody => ({
  ...stamps(s),
  ...names(s),
  code: s.code,
  defaultDurationMinutes: s.defaultDurationMinutes,
});

/** What other services keep of a service type (billing names invoice lines by it). */
const serviceTypeFacts = (s: ServiceType) => ({
  serviceTypeId: s.id,
  code: s.code,
  name: s.name,
  nameAr: s.nameAr ?? null,
  active: s.active,
});
