// Appointment and session numbers: per tenant, kind and year, from 10001, allocated in the caller's transaction.
// The counter row stays locked until that transaction ends, so numbers are unique, never reused, and a rolled-back
// booking gives its number back (no gaps).
import { EntityManager } from '@mikro-orm/postgresql';

export type NumberKind = 'SES' | 'APT';

export const FIRST_NUMBER = 10001;

export async function nextNumber(em: EntityManager, tenant: string, kind: NumberKind, year: number): Promise<string> {
  const [{ last_value }] = await em.execute<{ last_value: number }[]>(
    `insert into number_counters (tenant, kind, year, last_value) values (?, ?, ?, ?)
     on conflict (tenant, kind, year) do update set last_value = number_counters.last_value + 1
     returning last_value`,
    [tenant, kind, year, FIRST_NUMBER],
  );
  return `${kind}-${tenant}-${year}-${last_value}`;
}
