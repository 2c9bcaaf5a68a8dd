import { Migration } from '@mikro-orm/migrations';

// A patient's id in a clinic's previous system, by which the appointment importer matches them: unique per tenant.
export class Migration0006ExternalId extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table patients add column external_id text`);
    this.addSql(
      `create unique index patients_external_id on patients (tenant, external_id) where external_id is not null`,
    );
  }
}
