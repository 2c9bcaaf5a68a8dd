// A tenant's reference data. Every row carries its tenant; sessions reference them by (tenant, id) in the database.
import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

abstract class TenantOwned {
  [OptionalProps]?: 'active' | 'createdAt' | 'nameAr';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  /** A deactivated one takes no new sessions; the sessions that have it keep it. */
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'text' })
  name!: string;

  /** The name in Arabic, for the console's Arabic layout and what patients read in Arabic. */
  @Property({ type: 'text', nullable: true })
  nameAr: string | null = null;
}

@Entity({ tableName: 'clinics' })
export class Clinic extends TenantOwned {
  @Property({ type: 'text' })
  timezone!: string;
}

@Entity({ tableName: 'rooms' })
export class Room extends TenantOwned {
  @Property({ type: 'uuid' })
  clinicId!: string;
}

@Entity({ tableName: 'providers' })
export class Provider extends TenantOwned {
  @Property({ type: 'text', nullable: true })
  specialty: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  clinicId: string | null = null;
}

@Entity({ tableName: 'service_types' })
export class ServiceType extends TenantOwned {
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'integer' })
  defaultDurationMinutes!: number;
}

export const directoryEntities = [Clinic, Room, Provider, ServiceType];
