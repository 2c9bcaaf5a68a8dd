import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@agdar/messaging';

export class Migration0001Patients extends Migration {
  override async up(): Promise<void> {
    for (const sql of messagingTablesSql) this.addSql(sql);
    this.addSql(`create table patients (
      id uuid primary key,
      tenant text not null,
      first_name_en text not null,
      last_name_en text not null,
      first_name_ar text,
      last_name_ar text,
      date_of_birth date not null,
      email text,
      phone text,
      preferred_language text not null check (preferred_language in ('en', 'ar')),
      channels jsonb not null,
      guardian jsonb,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create index patients_tenant_name on patients (tenant, lower(last_name_en), lower(first_name_en))`);
  }
}
