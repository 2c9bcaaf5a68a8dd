import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@agdar/messaging';
import { idempotencyTableSql } from '@agdar/service-kit';

// Billing's own tables. Facts learnt from other services' events (tenants, service types, patients); the price list
// and fee policy; invoices (one per participant), credit notes, payments and refunds; and what makes numbers gapless
// and documents chained: a counter row per tenant, kind and year, and the head of each tenant's hash chain, both
// locked by the transaction that issues. Money is bigint minor units.
export class Migration0001Billing extends Migration {
  override async up(): Promise<void> {
    for (const sql of [...messagingTablesSql, ...idempotencyTableSql]) this.addSql(sql);
    this.addSql(`create table known_tenants (
      code text primary key,
      name text not null,
      legal_name text not null,
      vat_number text,
      timezone text not null,
      currency text not null,
      vat_rate numeric(5,4) not null,
      learnt_at timestamptz not null default now()
    )`);
    this.addSql(`create table service_types (
      id uuid primary key,
      tenant text not null,
      code text not null,
      name text not null,
      name_ar text,
      active boolean not null
    )`);
    this.addSql(`create table patients (
      id uuid primary key,
      tenant text not null,
      name text not null,
      name_ar text,
      nationality text
    )`);
    this.addSql(`create table prices (
      tenant text not null,
      service_type_id uuid not null,
      amount_minor bigint not null check (amount_minor >= 0),
      currency text not null,
      updated_at timestamptz not null,
      updated_by text not null,
      primary key (tenant, service_type_id)
    )`);
    this.addSql(`create table policies (
      tenant text primary key,
      late_cancellation_window_hours integer not null,
      late_cancellation_fee_percent integer not null check (late_cancellation_fee_percent between 0 and 100),
      no_show_fee_percent integer not null check (no_show_fee_percent between 0 and 100),
      citizen_healthcare_exemption boolean not null,
      updated_at timestamptz not null,
      updated_by text not null
    )`);
    this.addSql(`create table document_counters (
      tenant text not null,
      kind text not null check (kind in ('INV', 'CRN')),
      year integer not null,
      last_number integer not null,
      primary key (tenant, kind, year)
    )`);
    this.addSql(`create table document_chains (tenant text primary key, last_hash text not null)`);
    this.addSql(`create table invoices (
      id uuid primary key,
      tenant text not null,
      participant_id uuid not null unique,
      patient_id uuid not null,
      session_id uuid not null,
      session_number text not null,
      appointment_number text not null,
      service_type_id uuid not null,
      timezone text not null,
      starts_at timestamptz not null,
      clinic_date date not null,
      clinic_time text not null,
      status text not null
        check (status in ('DRAFT', 'ISSUED', 'PARTIALLY_PAID', 'PAID', 'WAIVED', 'CREDITED', 'VOID')),
      number text,
      currency text,
      service_type_code text,
      description text,
      description_ar text,
      bill_to_name text,
      bill_to_name_ar text,
      seller_name text,
      seller_vat_number text,
      unit_price_minor bigint,
      vat_rate_bp integer,
      vat_category text,
      vat_exemption_reason text,
      taxable_minor bigint,
      vat_minor bigint,
      total_minor bigint,
      paid_minor bigint not null default 0,
      credited_minor bigint not null default 0,
      credited_vat_minor bigint not null default 0,
      refunded_minor bigint not null default 0,
      issued_at timestamptz,
      previous_hash text,
      hash text,
      qr text,
      waived_reason text,
      waived_at timestamptz,
      waived_by text,
      pending_settlement jsonb,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (tenant, number),
      check ((number is null) = (issued_at is null)),
      check (paid_minor >= 0 and paid_minor <= coalesce(total_minor, 0)),
      check (credited_minor >= 0 and credited_minor <= coalesce(total_minor, 0)),
      check (refunded_minor >= 0 and refunded_minor <= paid_minor)
    )`);
    this.addSql(`create index invoices_tenant_date on invoices (tenant, clinic_date desc, appointment_number)`);
    this.addSql(`create index invoices_tenant_patient on invoices (tenant, patient_id)`);
    this.addSql(`create index invoices_tenant_session on invoices (tenant, session_id)`);
    this.addSql(`create index invoices_tenant_issued on invoices (tenant, issued_at)`);
    this.addSql(`create index invoices_drafts on invoices (tenant, service_type_id) where status = 'DRAFT'`);
    this.addSql(`create table credit_notes (
      id uuid primary key,
      tenant text not null,
      invoice_id uuid not null references invoices (id),
      number text not null,
      reason text not null check (reason in ('CANCELLED', 'LATE_CANCELLATION', 'NO_SHOW', 'SESSION_CANCELLED')),
      note text not null,
      taxable_minor bigint not null check (taxable_minor >= 0),
      vat_minor bigint not null check (vat_minor >= 0),
      total_minor bigint not null check (total_minor > 0),
      refunded_minor bigint not null default 0 check (refunded_minor >= 0 and refunded_minor <= total_minor),
      issued_at timestamptz not null,
      previous_hash text not null,
      hash text not null,
      qr text not null,
      unique (tenant, number)
    )`);
    this.addSql(`create index credit_notes_invoice on credit_notes (invoice_id)`);
    this.addSql(`create index credit_notes_tenant_issued on credit_notes (tenant, issued_at)`);
    this.addSql(`create table payments (
      id uuid primary key,
      tenant text not null,
      invoice_id uuid not null references invoices (id),
      amount_minor bigint not null check (amount_minor > 0),
      method text not null check (method in ('CASH', 'CARD', 'BANK_TRANSFER', 'INSURANCE')),
      reference text,
      received_at timestamptz not null,
      recorded_by text not null
    )`);
    this.addSql(`create index payments_invoice on payments (invoice_id)`);
    this.addSql(`create table refunds (
      id uuid primary key,
      tenant text not null,
      credit_note_id uuid not null references credit_notes (id),
      amount_minor bigint not null check (amount_minor > 0),
      method text not null check (method in ('CASH', 'CARD', 'BANK_TRANSFER', 'INSURANCE')),
      reference text,
      refunded_at timestamptz not null,
      recorded_by text not null
    )`);
    this.addSql(`create index refunds_credit_note on refunds (credit_note_id)`);
  }
}
