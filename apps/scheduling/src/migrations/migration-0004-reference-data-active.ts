import { Migration } from '@mikro-orm/migrations';

// Reference data can be deactivated: a deactivated clinic, room, provider or service type takes no new sessions, while
// the sessions that have it keep it. Existing rows stay active. Safe for a rolling deploy (a column with a default).
export class Migration0004ReferenceDataActive extends Migration {
  override async up(): Promise<void> {
    for (const table of ['clinics', 'rooms', 'providers', 'service_types']) {
      this.addSql(`alter table ${table} add column active boolean not null default true`);
    }
  }
}
