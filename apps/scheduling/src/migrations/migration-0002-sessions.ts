import { Migration } from '@mikro-orm/migrations';

// Reference data, sessions, participants, number counters and the audit trail. The invariants that must hold under
// any concurrency live here as constraints: overlaps (exclusion over time ranges), one active seat per patient and
// session (partial unique index), unique numbers, tenant-consistent references (composite foreign keys).
export class Migration0002Sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists btree_gist`);
    this.addSql(`create table clinics (
      id uuid primary key, tenant text not null references tenants (code), name text not null, timezone text not null,
      created_at timestamptz not null, unique (tenant, id), constraint clinics_tenant_name unique (tenant, name))`);
    this.addSql(`create table rooms (
      id uuid primary key, tenant text not null, clinic_id uuid not null, name text not null, created_at timestamptz not null,
      unique (tenant, id), constraint rooms_clinic_name unique (clinic_id, name),
      foreign key (tenant, clinic_id) references clinics (tenant, id))`);
    this.addSql(`create table providers (
      id uuid primary key, tenant text not null references tenants (code), name text not null, specialty text, clinic_id uuid,
      created_at timestamptz not null, unique (tenant, id), foreign key (tenant, clinic_id) references clinics (tenant, id))`);
    this.addSql(`create table service_types (
      id uuid primary key, tenant text not null references tenants (code), name text not null, code text not null,
      default_duration_minutes integer not null, created_at timestamptz not null, unique (tenant, id),
      constraint service_types_tenant_code unique (tenant, code))`);

    this.addSql(`create table sessions (
      id uuid primary key,
      tenant text not null,
      session_number text not null,
      session_type text not null check (session_type in ('INDIVIDUAL', 'GROUP')),
      max_capacity integer not null check (max_capacity between 1 and 20),
      provider_id uuid not null,
      clinic_id uuid not null,
      room_id uuid not null,
      service_type_id uuid not null,
      scheduled_date date not null,
      scheduled_time text not null,
      duration_minutes integer not null check (duration_minutes between 5 and 480),
      timezone text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > starts_at),
      status text not null check (status in ('SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
      group_notes text,
      cancellation_reason text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (session_type = 'GROUP' or max_capacity = 1),
      constraint sessions_number unique (tenant, session_number),
      foreign key (tenant, provider_id) references providers (tenant, id),
      foreign key (tenant, clinic_id) references clinics (tenant, id),
      foreign key (tenant, room_id) references rooms (tenant, id),
      foreign key (tenant, service_type_id) references service_types (tenant, id),
      constraint sessions_provider_overlap exclude using gist (provider_id with =, tstzrange(starts_at, ends_at) with &&) where (status <> 'CANCELLED'),
      constraint sessions_room_overlap exclude using gist (room_id with =, tstzrange(starts_at, ends_at) with &&) where (status <> 'CANCELLED')
    )`);
    this.addSql(`create index sessions_tenant_starts on sessions (tenant, starts_at)`);
    this.addSql(`create index sessions_tenant_clinic_date on sessions (tenant, clinic_id, scheduled_date)`);

    this.addSql(`create table participants (
      id uuid primary key,
      tenant text not null,
      session_id uuid not null references sessions (id),
      patient_id uuid not null,
      appointment_number text not null,
      status text not null check (status in ('BOOKED', 'CONFIRMED', 'ARRIVED', 'ATTENDED', 'NO_SHOW', 'CANCELLED')),
      finance_cleared boolean not null,
      consent_verified boolean not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      confirmation_sent_at timestamptz,
      arrival_at timestamptz,
      attended_at timestamptz,
      individual_notes text,
      no_show_reason text,
      no_show_notes text,
      cancellation_reason text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint participants_appointment_number unique (tenant, appointment_number),
      constraint participants_patient_overlap exclude using gist (patient_id with =, tstzrange(starts_at, ends_at) with &&) where (status <> 'CANCELLED')
    )`);
    this.addSql(
      `create unique index participants_active_patient on participants (session_id, patient_id) where status <> 'CANCELLED'`,
    );
    this.addSql(`create index participants_session on participants (session_id)`);
    this.addSql(`create index participants_patient on participants (tenant, patient_id)`);

    this.addSql(`create table number_counters (
      tenant text not null, kind text not null, year integer not null, last_value integer not null,
      primary key (tenant, kind, year))`);

    this.addSql(`create table audit_entries (
      id bigserial primary key,
      tenant text not null,
      session_id uuid not null,
      participant_id uuid,
      action text not null,
      actor text not null,
      changes jsonb not null,
      correlation_id text,
      occurred_at timestamptz not null)`);
    this.addSql(`create index audit_entries_session on audit_entries (session_id, id)`);
  }
}
