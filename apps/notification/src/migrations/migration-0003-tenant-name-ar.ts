import { Migration } from '@mikro-orm/migrations';

// The clinic's Arabic name, for messages read in Arabic (null for tenants created before it was kept: their English
// name is used, as before).
export class Migration0003TenantNameAr extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table known_tenants add column name_ar text`);
  }
}
