import { Migration } from '@mikro-orm/migrations';

// How long after a session's start its patients may be marked no-shows (15 minutes for the tenants there are), and who
// cancelled a seat: the patient (fees may apply) or the clinic (never charged). Seats cancelled before this migration
// keep null: unknown.
export class Migration0011FairTiming extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table tenants add column no_show_grace_minutes integer not null default 15`);
    this.addSql(`alter table participants add column cancelled_by text check (cancelled_by in ('PATIENT', 'CLINIC'))`);
  }
}
