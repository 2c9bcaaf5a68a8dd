import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** What scheduling knows about a patient, learnt from the participant service's events: enough to book and check in. */
@Entity({ tableName: 'patients' })
export class PatientProjection {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'text' })
  displayName!: string;

  @Property({ type: 'text', nullable: true })
  displayNameAr: string | null = null;

  @Property({ type: 'boolean' })
  consentVerified: boolean = false;

  @Property({ type: 'boolean' })
  financeCleared: boolean = false;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
