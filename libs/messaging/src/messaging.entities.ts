// The two tables every service keeps for reliable messaging: events waiting to be published (outbox) and messages
// already applied (processed_messages). Their DDL is shared so every service's migration creates the same shape.
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'outbox_messages' })
export class OutboxMessage {
  [OptionalProps]?: 'position' | 'createdAt' | 'publishedAt';

  /** Insertion order; within one aggregate, the row lock of the use case makes it commit order too. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  position!: string;

  @Property({ type: 'uuid', unique: true })
  id!: string;

  @Property({ type: 'text' })
  topic!: string;

  @Property({ type: 'text', fieldName: 'message_key' })
  key!: string;

  @Property({ type: 'json' })
  envelope!: object;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;
}

export const messagingEntities = [OutboxMessage];

/** DDL for the messaging tables, used by each service's first migration. */
export const messagingTablesSql = [
  `create table outbox_messages (
     position bigserial primary key,
     id uuid not null unique,
     topic text not null,
     message_key text not null,
     envelope jsonb not null,
     created_at timestamptz not null default now(),
     published_at timestamptz
   )`,
  `create index outbox_messages_pending on outbox_messages (position) where published_at is null`,
  `create table processed_messages (
     consumer_group text not null,
     message_id uuid not null,
     event_type text not null,
     processed_at timestamptz not null default now(),
     primary key (consumer_group, message_id)
   )`,
];
