import { Migration } from '@mikro-orm/migrations';

// How many minutes before its time a tenant's sessions may be started; 30 for the tenants there are.
export class Migration0007EarlyStart extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table tenants add column early_start_minutes integer not null default 30`);
  }
}
