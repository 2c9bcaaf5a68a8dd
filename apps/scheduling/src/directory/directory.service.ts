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
import { AuthUser } from '@agdar/service-kit';
import { Clinic, Provider, Room, ServiceType } from './directory.entities';
import { DirectoryRepository } from './directory.repository';

@Injectable()
export class DirectoryService {
  constructor(private readonly directory: DirectoryRepository) {}

  async createClinic(user: AuthUser, input: CreateClinic): Promise<ClinicBody> {
    const em = this.directory.writer();
    const clinic = em.create(Clinic, { ...input, tenant: user.tenant, createdAt: new Date() });
    await em.flush();
    return toClinicBody(clinic);
  }

  async createRoom(user: AuthUser, input: CreateRoom): Promise<RoomBody> {
    const em = this.directory.writer();
    await this.directory.clinicReference(em, user.tenant, input.clinicId);
    const room = em.create(Room, { ...input, tenant: user.tenant, createdAt: new Date() });
    await em.flush();
    return toRoomBody(room);
  }

  async createProvider(user: AuthUser, input: CreateProvider): Promise<ProviderBody> {
    const em = this.directory.writer();
    if (input.clinicId) await this.directory.clinicReference(em, user.tenant, input.clinicId);
    const provider = em.create(Provider, {
      name: input.name,
      specialty: input.specialty ?? null,
      clinicId: input.clinicId ?? null,
      tenant: user.tenant,
      createdAt: new Date(),
    });
    await em.flush();
    return toProviderBody(provider);
  }

  async createServiceType(user: AuthUser, input: CreateServiceType): Promise<ServiceTypeBody> {
    const em = this.directory.writer();
    const serviceType = em.create(ServiceType, { ...input, tenant: user.tenant, createdAt: new Date() });
    await em.flush();
    return toServiceTypeBody(serviceType);
  }

  async listClinics(user: AuthUser, query: DirectoryQuery): Promise<Page<ClinicBody>> {
    const page = await this.directory.list(Clinic, user.tenant, query);
    return { ...page, items: page.items.map(toClinicBody) };
  }

  async listRooms(user: AuthUser, query: DirectoryQuery): Promise<Page<RoomBody>> {
    const page = await this.directory.list(Room, user.tenant, query);
    return { ...page, items: page.items.map(toRoomBody) };
  }

  async listProviders(user: AuthUser, query: DirectoryQuery): Promise<Page<ProviderBody>> {
    const page = await this.directory.list(Provider, user.tenant, query);
    return { ...page, items: page.items.map(toProviderBody) };
  }

  async listServiceTypes(user: AuthUser, query: DirectoryQuery): Promise<Page<ServiceTypeBody>> {
    const page = await this.directory.list(ServiceType, user.tenant, query);
    return { ...page, items: page.items.map(toServiceTypeBody) };
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
