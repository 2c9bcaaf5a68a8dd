import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** One change to a session or one of its participants: who, when, what, before and after. Append-only. */
@Entity({ tableName: 'audit_entries' })
export class AuditEntry {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'uuid' })
  sessionId!: string;

  @Property({ type: 'uuid', nullable: true })
  participantId: string | null = null;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  actor!: string;

  @Property({ type: 'json' })
  changes!: FieldChanges;

  @Property({ type: 'text', nullable: true })
  correlationId: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  occurredAt: Date = new Date();
}
