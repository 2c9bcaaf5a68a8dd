import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A consent a patient (or their guardian) gave; append-only. */
@Entity({ tableName: 'consents' })
export class Consent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'uuid' })
  patientId!: string;

  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'text' })
  grantedBy!: string;

  @Property({ type: 'text' })
  relationship!: string;

  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  @Property({ type: 'text' })
  recordedBy!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  recordedAt: Date = new Date();
}
