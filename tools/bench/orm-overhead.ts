// What MikroORM costs per operation on this machine, against the same SQL on a plain pg pool: the figures behind
// writing append-only rows (outbox, audit) with plain inserts instead of the unit of work.
//   npm run bench:orm [-- --ops 3000]      (PostgreSQL from POSTGRES_URL, default postgres://postgres@127.0.0.1:5432)
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { dropDatabase } from '@agdar/testing';
import { ensureDatabase, initOrm, migrate } from '@agdar/service-kit';
import { messagingEntities, OutboxMessage } from '@agdar/messaging';
import { schedulingMigrations } from '../../apps/scheduling/src/migrations';
import { AuditEntry } from '../../apps/scheduling/src/sessions/audit-entry.entity';

const args = process.argv.slice(2);
const OPS = Number(args[args.indexOf('--ops') + 1] || 3000);

async function measure(label: string, operation: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(200, OPS); i++) await operation(); // warm up the JIT and the pools
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) await operation();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / OPS;
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6 / OPS;
  process.stdout.write(
    `${label.padEnd(62)} ${cpuMs.toFixed(3).padStart(7)} ms CPU  ${wallMs.toFixed(3).padStart(7)} ms wall  per transaction\n`,
  );
}

async function main() {
  const server = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const url = `${server}/bench_orm_${randomUUID().slice(0, 8)}`;
  await ensureDatabase(url);
  const orm = await initOrm({ url, entities: [AuditEntry, ...messagingEntities], migrations: schedulingMigrations });
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await migrate(orm, url);
    process.stdout.write(
      `bench: ${OPS} sequential transactions each, Node process CPU only (PostgreSQL's is not counted)\n`,
    );
    const audit = () => ({
      tenant: 'BENCH',
      sessionId: randomUUID(),
      participantId: null,
      action: 'BENCH',
      actor: 'bench',
      changes: {},
      correlationId: null,
      occurredAt: new Date(),
    });
    const outbox = () => ({
      id: randomUUID(),
      topic: 'bench.v1',
      key: 'k',
      envelope: {},
      createdAt: new Date(),
      publishedAt: null,
    });
    const insertAudit = `insert into audit_entries (tenant, session_id, action, actor, changes, occurred_at) values ('BENCH', $1, 'BENCH', 'bench', '{}', now())`;
    const insertOutbox = `insert into outbox_messages (id, topic, message_key, envelope, created_at) values ($1, 'bench.v1', 'k', '{}', now())`;

    await measure('pg: begin; select 1; commit', async () => {
      const client = await pool.connect();
      await client.query('begin');
      await client.query('select 1');
      await client.query('commit');
      client.release();
    });
    await measure('MikroORM: transactional(execute select 1)', () =>
      orm.em.fork().transactional((em) => em.execute('select 1')),
    );
    await measure('pg: begin; insert audit row; insert outbox row; commit', async () => {
      const client = await pool.connect();
      await client.query('begin');
      await client.query(insertAudit, [randomUUID()]);
      await client.query(insertOutbox, [randomUUID()]);
      await client.query('commit');
      client.release();
    });
    await measure('MikroORM: transactional(same two rows via em.create + flush)', () =>
      orm.em.fork().transactional(async (em) => {
        em.create(AuditEntry, audit() as never);
        em.create(OutboxMessage, outbox() as never);
      }),
    );
    await measure('MikroORM: transactional(same two rows via em.insert)', () =>
      orm.em.fork().transactional(async (em) => {
        await em.insert(AuditEntry, audit() as never);
        await em.insert(OutboxMessage, outbox() as never);
      }),
    );
    await measure('MikroORM: transactional(same two rows via em.execute)', () =>
      orm.em.fork().transactional(async (em) => {
        await em.execute(insertAudit.replace('$1', '?'), [randomUUID()]);
        await em.execute(insertOutbox.replace('$1', '?'), [randomUUID()]);
      }),
    );
  } finally {
    await pool.end();
    await orm.close();
    await dropDatabase(url);
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
