import { Migration } from '@mikro-orm/migrations';

// Arabic names beside the English ones for clinics, rooms, providers and the tenant itself (null until a clinic gives
// one: the English name is shown meanwhile), and the tenant's country, whose local phone formats the importer reads
// (the tenants there are are Saudi clinics).
export class Migration0012NamesArCountry extends Migration {
  override async up(): Promise<void> {
    for (const table of ['clinics', 'rooms', 'providers', 'tenants'])
      this.addSql(`alter table ${table} add column name_ar text`);
    this.addSql(`alter table tenants add column country text not null default 'SA'`);
  }
}
