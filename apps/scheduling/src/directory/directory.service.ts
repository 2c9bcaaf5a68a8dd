// Use cases of a tenant's reference data: create and list clinics, rooms, providers and service types.
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
} from '@agdar/contracts';
import { AuthUser, mapPage, WritePath } from '@agdar/service-kit';
import { Clinic, Provider, Room, ServiceType } from './directory.entities';
import { DirectoryRepository } from './directory.repository';

@Injectable()
export class DirectoryService {
  constructor(
    private readonly writes: WritePath,
    private readonly directory: DirectoryRepository,
  ) {}

  async createClinic(user: AuthUser, input: CreateClinic): Promise<ClinicBody> {
    const clinic = await this.writes.run(user, async ({ em }) =>
      em.create(Clinic, { ...input, tenant: user.tenant, createdAt: new Date() }),
    );
    return toClinicBody(clinic);
  }

  async createRoom(user: AuthUser, input: CreateRoom): Promise<RoomBody> {
    const room = await this.writes.run(user, async ({ em }) => {
      await this.directory.clinicReference(em, user.tenant, input.clinicId);
      return em.create(Room, { ...input, tenant: user.tenant, createdAt: new Date() });
    });
    return toRoomBody(room);
  }

  async createProvider(user: AuthUser, input: CreateProvider): Promise<ProviderBody> {
    const provider = await this.writes.run(user, async ({ em }) => {
      if (input.clinicId) await this.directory.clinicReference(em, user.tenant, input.clinicId);
      const { name, specialty, clinicId } = input;
      return em.create(Provider, {
        name,
        specialty: specialty ?? null,
        clinicId: clinicId ?? null,
        tenant: user.tenant,
        createdAt: new Date(),
      });
    });
    return toProviderBody(provider);
  }

  async createServiceType(user: AuthUser, input: CreateServiceType): Promise<ServiceTypeBody> {
    const serviceType = await this.writes.run(user, async ({ em }) =>
      em.create(ServiceType, { ...input, tenant: user.tenant, createdAt: new Date() }),
    );
    return toServiceTypeBody(serviceType);
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
}

const stamps = (e: { id: string; createdAt: Date }) => ({ id: e.id, createdAt: e.createdAt.toISOString() });
const toClinicBody = (c: Clinic): ClinicBody => ({ ...stamps(c), name: c.name, timezone: c.timezone });
const toRoomBody = (r: Room): RoomBody => ({ ...stamps(r), clinicId: r.clinicId, name: r.name });
const toProviderBody = (p: Provider): ProviderBody => ({
  ...stamps(p),
  name: p.name,
  specialty: p.specialty ?? null,
  clinicId: p.clinicId ?? null,
});
const toServiceTypeBody = (s: ServiceType): ServiceTypeBody => ({
  ...stamps(s),
  name: s.name,
  code: s.code,
  defaultDurationMinutes: s.defaultDurationMinutes,
});
