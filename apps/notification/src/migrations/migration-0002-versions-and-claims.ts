import { Migration } from '@mikro-orm/migrations';

// Facts with versions: a session and each seat keep the version of the newest fact applied to them, so an older fact
// that arrives late (the other topic was behind, a replay) changes nothing. Sends with owners: a claim names itself
// and marks only the rows it holds; a row handed to the provider by a sender that died is UNCERTAIN, never resent.
// Reminders whose job gave up are queued again under a new attempt, until their moment passes (EXPIRED).
export class Migration0002VersionsAndClaims extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table sessions add column version integer not null default 0`);
    this.addSql(`alter table participants add column version integer not null default 0`);
    this.addSql(`alter table deliveries add column claim_id uuid`);
    this.addSql(`alter table deliveries add column handed_at timestamptz`);
    this.addSql(`alter table deliveries drop constraint deliveries_status_check`);
    this.addSql(`alter table deliveries add constraint deliveries_status_check
      check (status in ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'SKIPPED', 'UNCERTAIN', 'EXPIRED'))`);
    this.addSql(
      `create index deliveries_seat on deliveries (participant_id, channel, kind) where participant_id is not null`,
    );
    this.addSql(`alter table reminders add column queue_attempt integer not null default 0`);
    this.addSql(`alter table reminders add column last_error text`);
    this.addSql(`alter table reminders drop constraint reminders_status_check`);
    this.addSql(`alter table reminders add constraint reminders_status_check
      check (status in ('SCHEDULED', 'FIRED', 'CANCELLED', 'EXPIRED'))`);
    this.addSql(`create index reminders_overdue on reminders (fire_at) where status = 'SCHEDULED'`);
  }
}
