import { Migration } from '@mikro-orm/migrations';

export class Migration0002Consents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table consents (
      id uuid primary key,
      tenant text not null,
      patient_id uuid not null references patients (id),
      kind text not null check (kind in ('TREATMENT', 'DATA_SHARING', 'PHOTOGRAPHY')),
      granted_by text not null,
      relationship text not null,
      notes text,
      recorded_by text not null,
      recorded_at timestamptz not null
    )`);
    this.addSql(`create index consents_patient on consents (tenant, patient_id)`);
  }
}
