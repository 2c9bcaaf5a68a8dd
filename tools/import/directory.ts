// What the rows refer to, resolved through the platform once per name: clinics, rooms, providers and service types
// (created where --create-missing says so), and patients (found by their legacy id, or registered). A dry run stands
// in for what it would create, with ids that are the same on every run.
import { createHash } from 'node:crypto';
import { DirectoryApi, PatientsApi } from '@agdar/contracts';
import { nameKey, ParsedRow } from './import-rules';
import { Api, ApiError } from './client';
import { Options } from './options';

/** Patients looked up or registered at once. */
const PATIENT_REQUESTS_IN_FLIGHT = 16;

interface Named {
  id: string;
  name: string;
}

export type ResolvedReferences =
  | { clinicId: string; roomId: string; providerId: string; serviceTypeId: string; timezone: string; standIn: boolean }
  | { unknown: 'UNKNOWN_CLINIC' | 'UNKNOWN_ROOM' | 'UNKNOWN_PROVIDER' | 'UNKNOWN_SERVICE_TYPE'; name: string };

export class References {
  private clinics = new Map<string, Named & { timezone: string }>();
  private rooms = new Map<string, Named & { clinicId: string }>();
  private providers = new Map<string, Named>();
  private serviceTypes = new Map<string, Named & { code: string }>();
  /** What a dry run would create, by kind and name. */
  readonly wouldCreate = new Set<string>();
  readonly created = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly options: Options,
  ) {}

  async load(): Promise<void> {
    for (const c of await this.api.all(DirectoryApi.listClinics)) this.clinics.set(nameKey(c.name), c);
    for (const r of await this.api.all(DirectoryApi.listRooms)) this.rooms.set(`${r.clinicId}|${nameKey(r.name)}`, r);
    for (const p of await this.api.all(DirectoryApi.listProviders)) this.providers.set(nameKey(p.name), p);
    for (const s of await this.api.all(DirectoryApi.listServiceTypes)) {
      this.serviceTypes.set(nameKey(s.name), s);
      this.serviceTypes.set(nameKey(s.code), s);
    }
  }

  /** The row's clinic, room, provider and service type, created where --create-missing says so; or what is unknown. */
  async resolve(row: ParsedRow): Promise<ResolvedReferences> {
    const { timezone } = this.options;
    const clinic = await this.find(this.clinics, nameKey(row.clinic), 'clinic', row.clinic, () =>
      this.api.call(DirectoryApi.createClinic, { body: { name: row.clinic, timezone } }),
    );
    if (!clinic) return { unknown: 'UNKNOWN_CLINIC', name: row.clinic };
    const room = await this.find(this.rooms, `${clinic.id}|${nameKey(row.room)}`, 'room', row.room, () =>
      this.api.call(DirectoryApi.createRoom, { body: { clinicId: clinic.id, name: row.room } }),
    );
    if (!room) return { unknown: 'UNKNOWN_ROOM', name: row.room };
    const provider = await this.find(this.providers, nameKey(row.provider), 'provider', row.provider, () =>
      this.api.call(DirectoryApi.createProvider, { body: { name: row.provider, clinicId: clinic.id } }),
    );
    if (!provider) return { unknown: 'UNKNOWN_PROVIDER', name: row.provider };
    const serviceType = await this.find(
      this.serviceTypes,
      nameKey(row.serviceType),
      'service type',
      row.serviceType,
      () =>
        this.api.call(DirectoryApi.createServiceType, {
          body: { name: row.serviceType, code: codeOf(row.serviceType), defaultDurationMinutes: row.durationMinutes },
        }),
    );
    if (!serviceType) return { unknown: 'UNKNOWN_SERVICE_TYPE', name: row.serviceType };
    return {
      clinicId: clinic.id,
      roomId: room.id,
      providerId: provider.id,
      serviceTypeId: serviceType.id,
      timezone: clinic.timezone ?? timezone,
      standIn: [clinic, room, provider, serviceType].some((r) => r.id.startsWith('stand-in')),
    };
  }

  private async find<T extends Named>(
    map: Map<string, T>,
    key: string,
    kind: string,
    name: string,
    create: () => Promise<T>,
  ): Promise<T | null> {
    const known = map.get(key);
    if (known) return known;
    if (!this.options.createMissing) return null;
    if (this.options.dryRun) {
      this.wouldCreate.add(`${kind} ${name}`);
      const standIn = { id: `stand-in:${kind}:${key}`, name, timezone: this.options.timezone } as unknown as T;
      map.set(key, standIn);
      return standIn;
    }
    const created = await create();
    this.created.add(`${kind} ${name}`);
    map.set(key, created);
    return created;
  }
}

/** A service type's code from its name: `Speech therapy` → `SPEECH_THERAPY`. */
const codeOf = (name: string) =>
  (
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/^(\d)/, 'S$1') || 'SERVICE'
  ).slice(0, 32);

/** A stand-in id, the same on every run, for what a dry run would create. */
function standInId(key: string): string {
  const hex = createHash('sha1').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class Patients {
  private readonly ids = new Map<string, string>();
  /** Patients being looked up or registered, so two batches resolving at once ask once. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Patients the platform would not register, with its reason: their rows are refused, the run goes on. */
  private readonly refused = new Map<string, { reason: string; detail: string }>();
  readonly wouldCreate = new Set<string>();
  created = 0;

  constructor(
    private readonly api: Api,
    private readonly dryRun: boolean,
  ) {}

  /** The patients of a batch, by external id: found, registered, or (dry run) stood in for. */
  async resolve(rows: ParsedRow[]): Promise<void> {
    const missing = [...new Map(rows.map((r) => [r.patient.externalId, r.patient])).values()].filter(
      (p) => !this.ids.has(p.externalId),
    );
    for (let i = 0; i < missing.length; i += PATIENT_REQUESTS_IN_FLIGHT) {
      await Promise.all(
        missing.slice(i, i + PATIENT_REQUESTS_IN_FLIGHT).map((p) => {
          let resolving = this.inFlight.get(p.externalId);
          if (!resolving) {
            resolving = this.resolveOne(p).finally(() => this.inFlight.delete(p.externalId));
            this.inFlight.set(p.externalId, resolving);
          }
          return resolving;
        }),
      );
    }
  }

  idOf(externalId: string): string {
    return this.ids.get(externalId)!;
  }

  refusalOf(externalId: string): { reason: string; detail: string } | null {
    return this.refused.get(externalId) ?? null;
  }

  isStandIn(externalId: string): boolean {
    return this.wouldCreate.has(externalId);
  }

  private async resolveOne(p: ParsedRow['patient']): Promise<void> {
    const find = () => this.api.call(PatientsApi.searchPatients, { query: { externalId: p.externalId, pageSize: 1 } });
    const found = await find();
    if (found.items[0]) return void this.ids.set(p.externalId, found.items[0].id);
    if (this.dryRun) {
      this.wouldCreate.add(p.externalId);
      return void this.ids.set(p.externalId, standInId(`patient:${p.externalId}`));
    }
    try {
      const key = `import-patient-${createHash('sha1').update(p.externalId).digest('hex')}`;
      const created = await this.api.call(PatientsApi.registerPatient, { body: p }, { 'idempotency-key': key });
      this.created++;
      this.ids.set(p.externalId, created.id);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      if (error.code !== 'PATIENT_EXISTS')
        return void this.refused.set(p.externalId, { reason: error.code, detail: error.detail });
      this.ids.set(p.externalId, (await find()).items[0].id);
    }
  }
}
