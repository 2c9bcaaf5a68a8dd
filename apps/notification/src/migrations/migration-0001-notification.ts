import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@agdar/messaging';
import { idempotencyTableSql } from '@agdar/service-kit';

// Notification's own tables. What it knows of other services' facts, learnt from their events: tenants (name, zone),
// service types (names), patients' contacts, sessions and their participants. Then the tenant's settings, the
// reminders it owes (one row per participant, offset and start, whose id is the BullMQ job id) and the deliveries:
// one row per message and channel, unique by its dedupe key, which is both the send queue and the delivery log.
export class Migration0001Notification extends Migration {
  override async up(): Promise<void> {
    for (const sql of [...messagingTablesSql, ...idempotencyTableSql]) this.addSql(sql);
    this.addSql(`create table known_tenants (
      code text primary key,
      name text not null,
      timezone text not null
    )`);
    this.addSql(`create table settings (
      tenant text primary key,
      reminder_offsets_seconds integer[] not null,
      quiet_hours_start text,
      quiet_hours_end text,
      staff_email text,
      updated_at timestamptz not null,
      updated_by text not null
    )`);
    this.addSql(`create table service_types (
      id uuid primary key,
      tenant text not null,
      name text not null,
      name_ar text
    )`);
    this.addSql(`create table contacts (
      patient_id uuid primary key,
      tenant text not null,
      name_en text not null,
      name_ar text,
      email text,
      phone text,
      language text not null check (language in ('en', 'ar')),
      channels text[] not null,
      guardian_name text,
      guardian_email text,
      guardian_phone text
    )`);
    this.addSql(`create table sessions (
      id uuid primary key,
      tenant text not null,
      session_number text not null,
      status text not null,
      service_type_id uuid not null,
      timezone text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null
    )`);
    this.addSql(`create table participants (
      id uuid primary key,
      tenant text not null,
      session_id uuid not null,
      patient_id uuid not null,
      appointment_number text not null,
      status text not null,
      calendar_sequence integer not null default 0
    )`);
    this.addSql(`create index participants_session on participants (session_id)`);
    this.addSql(`create table reminders (
      id uuid primary key,
      tenant text not null,
      participant_id uuid not null,
      offset_seconds integer not null,
      starts_at timestamptz not null,
      fire_at timestamptz not null,
      status text not null check (status in ('SCHEDULED', 'FIRED', 'CANCELLED')),
      queue_state text not null check (queue_state in ('TO_ADD', 'ADDED', 'TO_REMOVE', 'DONE')),
      fired_at timestamptz,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index reminders_participant on reminders (participant_id) where status = 'SCHEDULED'`);
    this.addSql(`create index reminders_queue on reminders (queue_state) where queue_state in ('TO_ADD', 'TO_REMOVE')`);
    this.addSql(`create table deliveries (
      id uuid primary key,
      tenant text not null,
      dedupe_key text not null unique,
      kind text not null,
      channel text check (channel in ('email', 'sms')),
      urgent boolean not null,
      participant_id uuid,
      patient_id uuid,
      session_id uuid,
      appointment_number text,
      recipient text,
      language text,
      facts jsonb not null,
      status text not null check (status in ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'SKIPPED')),
      reason text,
      provider_answer text,
      provider_message_id text,
      correlation_id text not null,
      attempts integer not null default 0,
      not_before timestamptz not null,
      lease_until timestamptz,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      updated_at timestamptz not null default now()
    )`);
    this.addSql(
      `create index deliveries_due on deliveries (not_before) where status in ('QUEUED', 'SENDING') and channel is not null`,
    );
    this.addSql(
      `create index deliveries_waiting on deliveries (patient_id) where status = 'QUEUED' and channel is null`,
    );
    this.addSql(`create index deliveries_log on deliveries (tenant, created_at desc)`);
    this.addSql(`create index deliveries_appointment on deliveries (tenant, appointment_number)`);
    this.addSql(`create index deliveries_patient on deliveries (tenant, patient_id)`);
    this.addSql(`create index deliveries_session on deliveries (tenant, session_id)`);
  }
}
