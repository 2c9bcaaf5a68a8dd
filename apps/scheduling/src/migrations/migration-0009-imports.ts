import { Migration } from '@mikro-orm/migrations';

// Appointments brought in from a clinic's previous system: the session keeps where it came from (the source and the
// legacy record's id), which is also how a legacy appointment number is told from one of ours.
export class Migration0009Imports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table sessions add column import_source text`);
    this.addSql(`alter table sessions add column import_source_id text`);
  }
}
