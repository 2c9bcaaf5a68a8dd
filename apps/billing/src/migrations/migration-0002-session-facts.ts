import { Migration } from '@mikro-orm/migrations';

// What billing keeps of each session's facts, with the version of the newest applied: a draft takes the session's
// newest time whatever order the sessions and participants topics are read in. And a seat's settlement (cancelled,
// no-show) that arrived before its booking, kept until the booking drafts the invoice it settles.
export class Migration0002SessionFacts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table session_facts (
      session_id uuid primary key,
      tenant text not null,
      version integer not null,
      timezone text not null,
      starts_at timestamptz not null,
      clinic_date date not null,
      clinic_time text not null
    )`);
    this.addSql(`create table early_settlements (
      participant_id uuid primary key,
      tenant text not null,
      settlement jsonb not null,
      created_at timestamptz not null default now()
    )`);
  }
}
