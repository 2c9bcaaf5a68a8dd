import { Migration } from '@mikro-orm/migrations';

// A patient's nationality (ISO 3166 alpha-2), optional: billing reads it from the patient's events for the VAT
// treatment of Saudi citizens' healthcare.
export class Migration0005Nationality extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table patients add column nationality text check (nationality ~ '^[A-Z]{2}$')`);
  }
}
