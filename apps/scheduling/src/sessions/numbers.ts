// Appointment and session numbers: SES-{TENANT}-{YYYY}-{n} and APT-…, per tenant, kind and year, from 10001, drawn in
// the caller's transaction from a PostgreSQL sequence of their own (number_apt_agdar_2026).
//
// Why a sequence and not a counter row: nextval locks nothing, while a counter row stays locked until the booking
// commits, so every booking of a tenant queued behind the one before it (the benchmark showed nearly all waiting in
// PostgreSQL on that row). Numbers stay unique and are never reused; a booking that rolls back after drawing one
// leaves a gap, which appointment and session numbers may have (docs/domain-rules.md: only invoices are gapless).
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { clinicToday, TENANT_CODE } from '@agdar/contracts';

export type NumberKind = 'SES' | 'APT';

export const FIRST_NUMBER = 10001;

/** The sequence behind one tenant's numbers of one kind and year; built only from a validated code, never quoted. */
export function sequenceName(tenant: string, kind: NumberKind, year: number): string {
  if (!TENANT_CODE.test(tenant) || !Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new Error(`No number sequence for tenant ${JSON.stringify(tenant)} and year ${year}`);
  }
  return `number_${kind}_${tenant}_${year}`.toLowerCase();
}

/** SQL that creates a number sequence if it is missing; also used by the migration that replaced counter rows. */
export function createSequenceSql(sequence: string, startWith = FIRST_NUMBER): string {
  return `create sequence if not exists ${sequence} as bigint start with ${startWith} minvalue ${FIRST_NUMBER} no cycle`;
}

@Injectable()
export class NumberSequences {
  /** Per sequence, its creation once per process: concurrent first draws wait for the same one. */
  private readonly created = new Map<string, Promise<void>>();

  constructor(private readonly orm: MikroORM) {}

  async next(em: EntityManager, tenant: string, kind: NumberKind, year: number): Promise<string> {
    const sequence = sequenceName(tenant, kind, year);
    await this.ensure(sequence);
    const [{ value }] = await em.execute<{ value: string }[]>(`select nextval('${sequence}') as value`);
    return `${kind}-${tenant}-${year}-${value}`;
  }

  /** The next number of the year the clinic's calendar shows now (not UTC's: Riyadh's New Year comes 3 hours early). */
  nextOfClinicYear(em: EntityManager, tenant: string, kind: NumberKind, timezone: string): Promise<string> {
    return this.next(em, tenant, kind, Number(clinicToday(timezone).slice(0, 4)));
  }

  /**
   * Keeps a number of ours that came from elsewhere (an imported appointment) from being drawn again: the sequence
   * continues past it. Not transactional (no sequence change is), which costs at most a gap.
   */
  async reserve(em: EntityManager, tenant: string, kind: NumberKind, year: number, value: number): Promise<void> {
    if (value < FIRST_NUMBER) return;
    const sequence = sequenceName(tenant, kind, year);
    await this.ensure(sequence);
    await em.execute(`select setval('${sequence}', greatest(?, (select last_value from ${sequence})))`, [value]);
  }

  private ensure(sequence: string): Promise<void> {
    let creation = this.created.get(sequence);
    if (!creation) {
      creation = this.create(sequence);
      this.created.set(sequence, creation);
      creation.catch(() => this.created.delete(sequence)); // a failed creation is tried again by the next draw
    }
    return creation;
  }

  /**
   * Creates the sequence on a connection of its own and commits it at once. Not in the caller's transaction: a
   * rollback there would take the sequence with it. Not from the pool either: the caller already holds a pooled
   * connection, and a burst of first draws holding them all would wait forever for one more.
   */
  private async create(sequence: string): Promise<void> {
    const client = new Client({ connectionString: this.orm.config.getClientUrl(), connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(createSequenceSql(sequence));
    } catch (error) {
      // Another replica created it at the same moment (PostgreSQL reports 23505 or 42P07): it exists now.
      const code = (error as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw error;
    } finally {
      await client.end();
    }
  }
}
