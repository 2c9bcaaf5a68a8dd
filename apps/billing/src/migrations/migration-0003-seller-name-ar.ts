import { Migration } from '@mikro-orm/migrations';

// The clinic's Arabic name, printed beside the seller's on invoices (kept on each invoice as issued, like the seller's
// name; null on invoices issued before, and for clinics without one).
export class Migration0003SellerNameAr extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table known_tenants add column name_ar text`);
    this.addSql(`alter table invoices add column seller_name_ar text`);
  }
}
