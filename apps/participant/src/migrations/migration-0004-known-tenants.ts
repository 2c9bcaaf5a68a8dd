import { Migration } from '@mikro-orm/migrations';

// The tenants scheduling has created, learnt from TenantCreated: the participant service serves only these. Filled
// from the start of the tenants topic when the service first consumes it (a new consumer group reads from offset 0).
export class Migration0004KnownTenants extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table known_tenants (code text primary key, learnt_at timestamptz not null default now())`);
  }
}
