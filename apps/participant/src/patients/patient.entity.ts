import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export interface Guardian {
  name: string;
  relationship: string;
  email?: string | null;
  phone?: string | null;
}

@Entity({ tableName: 'patients' })
export class Patient {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'text' })
  firstNameEn!: string;

  @Property({ type: 'text' })
  lastNameEn!: string;

  @Property({ type: 'text', nullable: true })
  firstNameAr: string | null = null;

  @Property({ type: 'text', nullable: true })
  lastNameAr: string | null = null;

  @Property({ type: 'string', columnType: 'date' })
  dateOfBirth!: string;

  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  @Property({ type: 'text', nullable: true })
  phone: string | null = null;

  @Property({ type: 'text' })
  preferredLanguage!: 'en' | 'ar';

  @Property({ type: 'json' })
  channels!: ('email' | 'sms')[];

  @Property({ type: 'json', nullable: true })
  guardian: Guardian | null = null;

  /** ISO 3166 alpha-2. */
  @Property({ type: 'text', nullable: true })
  nationality: string | null = null;

  /** The patient's id in a clinic's previous system; unique within the tenant. */
  @Property({ type: 'text', nullable: true })
  externalId: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
