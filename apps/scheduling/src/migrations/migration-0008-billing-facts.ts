import { Migration } from '@mikro-orm/migrations';

// What billing needs to know and the front desk needs to see: the tenant's legal name and VAT registration number
// (published with TenantCreated), a service type's Arabic name (published with ServiceTypeDefined), and each
// participant's invoice number and status (learnt from billing's InvoiceStatusChanged).
export class Migration0008BillingFacts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table tenants add column legal_name text`);
    this.addSql(`update tenants set legal_name = name`);
    this.addSql(`alter table tenants alter column legal_name set not null`);
    this.addSql(`alter table tenants add column vat_number text`);
    this.addSql(`alter table service_types add column name_ar text`);
    this.addSql(`alter table participants add column invoice_number text`);
    this.addSql(`alter table participants add column invoice_status text`);
  }
}
