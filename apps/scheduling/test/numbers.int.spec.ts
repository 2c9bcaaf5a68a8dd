// Appointment and session numbers against the real PostgreSQL: drawn concurrently they are distinct and never
// reused, the first draws of a new tenant-year race to create its sequence without failing, and the migration from
// counter rows continues numbering where the counters stopped.
import { MikroORM } from '@mikro-orm/postgresql';
import { dropDatabase, sql, uniqueDatabaseUrl } from '@agdar/testing';
import { ensureDatabase, initOrm, migrate } from '@agdar/service-kit';
import { schedulingMigrations } from '../src/migrations';
import { NumberSequences, sequenceName } from '../src/sessions/numbers';
import { Tenant } from '../src/tenants/tenant.entity';

async function openDatabase(url: string, migrations = schedulingMigrations): Promise<MikroORM> {
  await ensureDatabase(url);
  const orm = await initOrm({ url, entities: [Tenant], migrations });
  await migrate(orm, url);
  return orm;
}

describe('number sequences', () => {
  const url = uniqueDatabaseUrl('numbers');
  let orm: MikroORM;
  let numbers: NumberSequences;

  beforeAll(async () => {
    orm = await openDatabase(url);
    numbers = new NumberSequences(orm);
  });
  afterAll(async () => {
    await orm.close(true);
    await dropDatabase(url);
  });

  it('gives 40 concurrent transactions of a new tenant-year 40 distinct numbers from 10001, racing to create its sequence', async () => {
    // Separate instances: each believes the sequence may be missing, as replicas starting together would.
    const drawn = await Promise.all(
      Array.from({ length: 40 }, () =>
        orm.em.fork().transactional((em) => new NumberSequences(orm).next(em, 'RACE', 'APT', 2031)),
      ),
    );
    expect(new Set(drawn).size).toBe(40);
    expect([...drawn].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `APT-RACE-2031-${10001 + i}`));
  });

  it('keeps each tenant, kind and year apart', async () => {
    const em = orm.em.fork();
    expect(await numbers.next(em, 'ALPHA', 'SES', 2030)).toBe('SES-ALPHA-2030-10001');
    expect(await numbers.next(em, 'ALPHA', 'APT', 2030)).toBe('APT-ALPHA-2030-10001');
    expect(await numbers.next(em, 'BETA', 'SES', 2030)).toBe('SES-BETA-2030-10001');
    expect(await numbers.next(em, 'ALPHA', 'SES', 2031)).toBe('SES-ALPHA-2031-10001');
    expect(await numbers.next(em, 'ALPHA', 'SES', 2030)).toBe('SES-ALPHA-2030-10002');
  });

  it('never reissues a number drawn by a transaction that rolled back', async () => {
    const rolledBack = await orm.em
      .fork()
      .transactional(async (em) => {
        const number = await numbers.next(em, 'GAMMA', 'APT', 2030);
        throw Object.assign(new Error('booking refused'), { number });
      })
      .catch((error: { number: string }) => error.number);
    const next = await orm.em.fork().transactional((em) => numbers.next(em, 'GAMMA', 'APT', 2030));
    expect(rolledBack).toBe('APT-GAMMA-2030-10001');
    expect(next).toBe('APT-GAMMA-2030-10002');
  });

  it('refuses to name a sequence from anything but a tenant code and a year', () => {
    expect(() => sequenceName('agdar; drop table sessions', 'APT', 2030)).toThrow('No number sequence');
    expect(() => sequenceName('AGDAR', 'APT', 20300)).toThrow('No number sequence');
    expect(sequenceName('AGDAR', 'APT', 2030)).toBe('number_apt_agdar_2030');
  });
});

describe('migration from counter rows to sequences', () => {
  const url = uniqueDatabaseUrl('numbers_migration');
  afterAll(() => dropDatabase(url));

  it('continues each counter after the last number it issued, and drops the counters', async () => {
    const before = await openDatabase(url, schedulingMigrations.slice(0, 2));
    await sql(
      url,
      `insert into number_counters (tenant, kind, year, last_value) values ('AGDAR', 'APT', 2026, 10041), ('AGDAR', 'SES', 2026, 10007)`,
    );
    await before.close(true);

    const after = await openDatabase(url);
    try {
      const em = after.em.fork();
      const numbers = new NumberSequences(after);
      expect(await numbers.next(em, 'AGDAR', 'APT', 2026)).toBe('APT-AGDAR-2026-10042');
      expect(await numbers.next(em, 'AGDAR', 'SES', 2026)).toBe('SES-AGDAR-2026-10008');
      expect(await sql(url, `select to_regclass('number_counters') as counters`)).toEqual([{ counters: null }]);
    } finally {
      await after.close(true);
    }
  });
});
