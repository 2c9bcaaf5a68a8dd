import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { DEFAULT_EARLY_START_MINUTES, DEFAULT_NO_SHOW_GRACE_MINUTES } from '@agdar/contracts';

/** A clinic organisation using the platform; its code prefixes every number it issues (SES-AGDAR-2026-10001). */
@Entity({ tableName: 'tenants' })
export class Tenant {
  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** The name in Arabic, for messages and invoices read in Arabic. */
  @Property({ type: 'text', nullable: true })
  nameAr: string | null = null;

  /** ISO 3166 alpha-2: where the clinic is, whose local phone formats the importer reads. */
  @Property({ type: 'text' })
  country: string = 'SA';

  /** The seller's registered name on invoices. */
  @Property({ type: 'text' })
  legalName!: string;

  @Property({ type: 'text', nullable: true })
  vatNumber: string | null = null;

  @Property({ type: 'text' })
  timezone!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'double', columnType: 'numeric(5,4)' })
  vatRate!: number;

  /** How many minutes before its time a session may be started. */
  @Property({ type: 'integer' })
  earlyStartMinutes: number = DEFAULT_EARLY_START_MINUTES;

  /** How many minutes after its start a session's patients may be marked no-shows. */
  @Property({ type: 'integer' })
  noShowGraceMinutes: number = DEFAULT_NO_SHOW_GRACE_MINUTES;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
