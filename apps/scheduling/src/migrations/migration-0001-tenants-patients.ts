import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@agdar/messaging';

export class Migration0001TenantsPatients extends Migration {
  override async up(): Promise<void> {
    for (const sql of messagingTablesSql) this.addSql(sql);
    this.addSql(`create table tenants (
      code text primary key,
      name text not null,
      timezone text not null,
      currency char(3) not null,
      vat_rate numeric(5,4) not null check (vat_rate between 0 and 1),
      created_at timestamptz not null
    )`);
    this.addSql(`create table patients (
      id uuid primary key,
      tenant text not null,
      display_name text not null,
      consent_verified boolean not null default false,
      finance_cleared boolean not null default false,
      updated_at timestamptz not null
    )`);
    this.addSql(`create index patients_tenant on patients (tenant, id)`);
  }
}
