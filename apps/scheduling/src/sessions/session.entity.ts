import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { SessionStatus, SessionType } from '@agdar/contracts';

@Entity({ tableName: 'sessions' })
export class Session {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'text' })
  sessionNumber!: string;

  @Property({ type: 'text' })
  sessionType!: SessionType;

  @Property({ type: 'integer' })
  maxCapacity!: number;

  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'uuid' })
  clinicId!: string;

  @Property({ type: 'uuid' })
  roomId!: string;

  @Property({ type: 'uuid' })
  serviceTypeId!: string;

  /** Clinic-local; startsAt/endsAt are the UTC instants derived with the clinic's time zone. */
  @Property({ type: 'string', columnType: 'date' })
  scheduledDate!: string;

  @Property({ type: 'string', columnType: 'text' })
  scheduledTime!: string;

  @Property({ type: 'integer' })
  durationMinutes!: number;

  @Property({ type: 'text' })
  timezone!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  startsAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  endsAt!: Date;

  @Property({ type: 'text' })
  status: SessionStatus = 'SCHEDULED';

  @Property({ type: 'text', nullable: true })
  groupNotes: string | null = null;

  @Property({ type: 'text', nullable: true })
  cancellationReason: string | null = null;

  /** How many facts of this session and its seats have been published: the version the newest one carries. */
  @Property({ type: 'integer' })
  version: number = 0;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
