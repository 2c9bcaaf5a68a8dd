// Booking benchmark: POST /api/sessions/{id}/add-patient through the gateway (every service in its own process,
// as deployed) at increasing concurrency across many sessions, against the same booking transaction as raw SQL
// on the same PostgreSQL in the same run, and against the scheduling service called directly (no gateway hop). Prints
// bookings/s and p50/p95/p99 for both and their ratio, then an
// open-loop run at half the gateway's peak rate for the latency a clinic would see at half load.
//   npm run bench:booking [-- --levels 1,4,16,32 --per-level 400]
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ApiClient, dropDatabase, eventually, freePort, startTestInfrastructure } from '@agdar/testing';
import { signToken } from '@agdar/service-kit';
import { allTopics } from '@agdar/contracts';
import { createKafka, ensureTopics } from '@agdar/messaging';
import { createSequenceSql, sequenceName } from '../../apps/scheduling/src/sessions/numbers';
import { cpuByGroup, cpuSpent } from './cpu';

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const LEVELS = option('levels', '1,4,16,32,64').split(',').map(Number);
const PER_LEVEL = Number(option('per-level', '400'));
const OPEN_LOOP_SECONDS = Number(option('open-loop-seconds', '8'));
const say = (line: string) => process.stdout.write(`bench: ${line}\n`);

/** The processes whose CPU time the bench accounts for: the services it started, the servers, and itself. */
const services = new Map<number, string>();
const CPU_GROUPS = ['gateway', 'scheduling', 'participant', 'billing', 'PostgreSQL', 'Kafka', 'Redis', 'bench client'];
const classify = (pid: number, comm: string, cmdline: string): string | null => {
  if (pid === process.pid) return 'bench client';
  if (services.has(pid)) return services.get(pid)!;
  if (comm === 'postgres') return 'PostgreSQL';
  if (comm.startsWith('redis-server')) return 'Redis';
  if (comm === 'java' && cmdline.includes('kafka.Kafka')) return 'Kafka';
  return null;
};
const cpuLine = (r: Result) =>
  CPU_GROUPS.filter((g) => (r.cpuPerBooking[g] ?? 0) >= 0.05)
    .map((g) => `${g} ${r.cpuPerBooking[g].toFixed(2)}`)
    .join(', ') +
  ` = ${Object.values(r.cpuPerBooking)
    .reduce((a, b) => a + b, 0)
    .toFixed(2)} ms`;

interface Slot {
  sessionId: string;
  patientId: string;
  seat: number;
}
interface Result {
  label: string;
  concurrency: number;
  bookings: number;
  errors: number;
  seconds: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU milliseconds per booking, per group of processes (gateway, scheduling, PostgreSQL, Kafka, …). */
  cpuPerBooking: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarise(
  label: string,
  concurrency: number,
  latencies: number[],
  errors: number,
  seconds: number,
  cpu: Map<string, number>,
): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  const cpuPerBooking = Object.fromEntries([...cpu].map(([group, ms]) => [group, ms / Math.max(1, latencies.length)]));
  return {
    label,
    concurrency,
    bookings: latencies.length,
    errors,
    seconds,
    rate: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    cpuPerBooking,
  };
}

/** Closed loop: `concurrency` workers each book the next slot as soon as their previous booking answered. */
async function closedLoop(
  label: string,
  concurrency: number,
  slots: Slot[],
  book: (slot: Slot) => Promise<boolean>,
): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const cpuBefore = cpuByGroup(classify);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < slots.length) {
        const slot = slots[next++];
        const t0 = process.hrtime.bigint();
        const ok = await book(slot).catch(() => false);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (ok) latencies.push(ms);
        else errors++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summarise(label, concurrency, latencies, errors, seconds, cpuSpent(cpuBefore, cpuByGroup(classify)));
}

/** Open loop: bookings start at a fixed rate whatever the answers, as independent clients would send them. */
async function openLoop(
  label: string,
  ratePerSecond: number,
  slots: Slot[],
  book: (slot: Slot) => Promise<boolean>,
): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const cpuBefore = cpuByGroup(classify);
  const started = Date.now();
  const total = Math.min(slots.length, Math.floor(ratePerSecond * OPEN_LOOP_SECONDS));
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = process.hrtime.bigint();
    inFlight.push(
      book(slots[i])
        .catch(() => false)
        .then((ok) => {
          if (ok) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          else errors++;
        }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (Date.now() - started) / 1000;
  return summarise(
    label,
    Math.round(ratePerSecond),
    latencies,
    errors,
    seconds,
    cpuSpent(cpuBefore, cpuByGroup(classify)),
  );
}

/** The booking transaction of SessionsService.addPatient, statement for statement, on a plain pg pool. */
function rawSqlBooking(pool: Pool, tenant: string, year: number) {
  const sequence = sequenceName(tenant, 'APT', year);
  return async ({ sessionId, patientId }: Slot): Promise<boolean> => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const patient = await client.query(
        'select consent_verified, finance_cleared from patients where id = $1 and tenant = $2',
        [patientId, tenant],
      );
      const session = await client.query('select * from sessions where id = $1 and tenant = $2 for update', [
        sessionId,
        tenant,
      ]);
      const s = session.rows[0];
      const active = await client.query(
        `select patient_id from participants where session_id = $1 and status in ('BOOKED','CONFIRMED','ARRIVED','ATTENDED','NO_SHOW')`,
        [sessionId],
      );
      if (
        !s ||
        !patient.rowCount ||
        active.rows.length >= s.max_capacity ||
        active.rows.some((r) => r.patient_id === patientId)
      )
        throw new Error('refused');
      const number = await client.query(`select nextval('${sequence}') as value`);
      const id = randomUUID();
      await client.query(
        `insert into participants (id, tenant, session_id, patient_id, appointment_number, status, finance_cleared, consent_verified, starts_at, ends_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, 'BOOKED', $6, $7, $8, $9, now(), now())`,
        [
          id,
          tenant,
          sessionId,
          patientId,
          `APT-${tenant}-${year}-${number.rows[0].value}`,
          patient.rows[0].finance_cleared,
          patient.rows[0].consent_verified,
          s.starts_at,
          s.ends_at,
        ],
      );
      await client.query(`update sessions set updated_at = now() where id = $1`, [sessionId]);
      await client.query(
        `insert into audit_entries (tenant, session_id, participant_id, action, actor, changes, occurred_at) values ($1, $2, $3, 'PARTICIPANT_BOOKED', 'bench', '{}', now())`,
        [tenant, sessionId, id],
      );
      await client.query(
        `insert into outbox_messages (id, topic, message_key, envelope, created_at) values ($1, 'bench.raw.v1', $2, '{}', now())`,
        [randomUUID(), sessionId],
      );
      await client.query('commit');
      return true;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  };
}

async function main() {
  say(`levels ${LEVELS.join(', ')}; ${PER_LEVEL} bookings per level and path`);
  const infra = await startTestInfrastructure();
  await ensureTopics(
    createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench' }, { log() {}, warn() {}, error() {} }),
    allTopics(),
  );
  const run = randomBytes(3).toString('hex');
  const secret = `bench-secret-${run}-long-enough`;
  const databases = {
    scheduling: `${infra.postgresUrl}/bench_scheduling_${run}`,
    participant: `${infra.postgresUrl}/bench_participant_${run}`,
    billing: `${infra.postgresUrl}/bench_billing_${run}`,
  };
  const ports = {
    gateway: await freePort(),
    scheduling: await freePort(),
    participant: await freePort(),
    billing: await freePort(),
  };
  const children: ChildProcess[] = [];
  const start = (name: string, env: Record<string, string>) => {
    // BENCH_PROFILE=scheduling (or gateway) writes a V8 CPU profile of that service to .local/bench/profiles.
    const profile =
      process.env.BENCH_PROFILE === name
        ? ['--cpu-prof', `--cpu-prof-dir=${join(root, '.local', 'bench', 'profiles')}`]
        : [];
    const child = spawn(
      process.execPath,
      [...profile, '-r', join(root, 'tools/register.js'), join(root, `apps/${name}/src/main.ts`)],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'error',
          JWT_SECRET: secret,
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.push(child);
    if (child.pid) services.set(child.pid, name);
  };
  const cleanUp = async () => {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    for (const url of Object.values(databases)) await dropDatabase(url).catch(() => undefined);
    await infra.stop();
  };

  try {
    start('participant', { PORT: String(ports.participant), DATABASE_URL: databases.participant });
    start('scheduling', { PORT: String(ports.scheduling), DATABASE_URL: databases.scheduling });
    // Billing invoices every booking from its event, as deployed; its CPU shows in its own group.
    start('billing', { PORT: String(ports.billing), DATABASE_URL: databases.billing });
    start('gateway', {
      PORT: String(ports.gateway),
      REDIS_URL: infra.redisUrl,
      REDIS_KEY_PREFIX: `bench:${run}:`,
      RATE_LIMIT_PER_MINUTE: '10000000',
      SCHEDULING_URL: `http://127.0.0.1:${ports.scheduling}`,
      PARTICIPANT_URL: `http://127.0.0.1:${ports.participant}`,
      BILLING_URL: `http://127.0.0.1:${ports.billing}`,
    });
    const gateway = `http://127.0.0.1:${ports.gateway}`;
    await eventually(async () => (await fetch(`${gateway}/health/ready`)).ok, 'the services to be ready', 90000);
    say('services ready; arranging sessions and patients');

    const tenant = `B${run.toUpperCase()}`;
    const token = (roles: ('admin' | 'reception' | 'platform-admin')[], t = tenant) =>
      signToken(secret, { sub: 'bench', tenant: t, roles }, 3600);
    const api = new ApiClient(`${gateway}/api`);
    const must = async (p: Promise<{ status: number; body: any }>) => {
      const r = await p;
      if (r.status >= 300) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await must(
      api
        .as(token(['platform-admin'], 'PLATFORM'))
        .post('/tenants', { code: tenant, name: 'Bench', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 }),
    );
    const admin = api.as(token(['admin']));
    const clinic = await must(admin.post('/clinics', { name: 'Bench clinic', timezone: 'Asia/Riyadh' }));
    const rooms = await Promise.all(
      Array.from({ length: 8 }, (_, i) => must(admin.post('/rooms', { clinicId: clinic.id, name: `R${i}` }))),
    );
    const providers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => must(admin.post('/providers', { name: `P${i}` }))),
    );
    const serviceType = await must(admin.post('/service-types', { name: 'Group', code: 'GROUP' }));

    const paths = 3;
    const perPath = LEVELS.length * PER_LEVEL;
    const sessionsNeeded = Math.ceil((paths * perPath + Math.ceil(PER_LEVEL * 4)) / 20) + 20;
    const sessionIds: string[] = [];
    for (let i = 0; i < sessionsNeeded; i++) {
      // A week ahead and on: sessions are scheduled in the future and at most two years ahead.
      const day = new Date(Date.now() + (7 + Math.floor(i / 64)) * 86400000).toISOString().slice(0, 10);
      const hour = 8 + Math.floor((i % 64) / 8);
      const body = {
        sessionType: 'GROUP',
        maxCapacity: 20,
        clinicId: clinic.id,
        roomId: rooms[i % 8].id,
        providerId: providers[i % 8].id,
        serviceTypeId: serviceType.id,
        scheduledDate: day,
        scheduledTime: `${String(hour).padStart(2, '0')}:00`,
        durationMinutes: 60,
      };
      sessionIds.push((await must(api.as(token(['reception'])).post('/sessions', body))).id);
    }
    const pool = new Pool({ connectionString: databases.scheduling, max: 20 });
    const patientIds = Array.from({ length: sessionIds.length * 20 }, () => randomUUID());
    for (let i = 0; i < patientIds.length; i += 1000) {
      const chunk = patientIds.slice(i, i + 1000);
      await pool.query(
        `insert into patients (id, tenant, display_name, updated_at) select unnest($1::uuid[]), $2, 'Bench patient', now()`,
        [chunk, tenant],
      );
    }
    say(`${sessionIds.length} sessions of 20 seats, ${patientIds.length} patients`);

    // Each run books whole sessions, seat by seat across them (seat 1 of every session, then seat 2, ...): concurrent
    // bookings spread over many sessions, as a clinic's receptionists and apps book them.
    const allSlots: Slot[] = patientIds.map((patientId, i) => ({
      sessionId: sessionIds[Math.floor(i / 20)],
      patientId,
      seat: i % 20,
    }));
    let cursor = 0;
    const take = (n: number) => {
      const whole = Math.ceil(n / 20) * 20;
      const slots = allSlots.slice(cursor, (cursor += whole));
      return slots.sort((a, b) => a.seat - b.seat || a.sessionId.localeCompare(b.sessionId));
    };
    const reception = api.as(token(['reception']));
    const viaGateway = async (slot: Slot) =>
      (await reception.post(`/sessions/${slot.sessionId}/add-patient`, { patientId: slot.patientId })).status === 201;
    const year = new Date().getUTCFullYear(); // the clinic is in Asia/Riyadh; the bench does not run across New Year
    await pool.query(createSequenceSql(sequenceName(tenant, 'APT', year)));
    const viaSql = rawSqlBooking(pool, tenant, year);
    // The scheduling service without the gateway in front: splits where the time goes.
    const direct = new ApiClient(`http://127.0.0.1:${ports.scheduling}`).as(token(['reception']));
    const viaService = async (slot: Slot) =>
      (await direct.post(`/sessions/${slot.sessionId}/add-patient`, { patientId: slot.patientId })).status === 201;

    const results: { gateway: Result; service: Result; sql: Result }[] = [];
    for (const level of LEVELS) {
      await closedLoop('warm-up', level, take(Math.min(40, PER_LEVEL)), viaGateway);
      const gatewayResult = await closedLoop('gateway', level, take(PER_LEVEL), viaGateway);
      const serviceResult = await closedLoop('service', level, take(PER_LEVEL), viaService);
      const sqlResult = await closedLoop('raw SQL', level, take(PER_LEVEL), viaSql);
      results.push({ gateway: gatewayResult, service: serviceResult, sql: sqlResult });
      say(
        `concurrency ${String(level).padStart(3)}: gateway ${gatewayResult.rate.toFixed(0).padStart(5)}/s p50 ${gatewayResult.p50.toFixed(1)} p95 ${gatewayResult.p95.toFixed(1)} p99 ${gatewayResult.p99.toFixed(1)} ms` +
          ` | service ${serviceResult.rate.toFixed(0).padStart(5)}/s p50 ${serviceResult.p50.toFixed(1)} ms` +
          ` | raw SQL ${sqlResult.rate.toFixed(0).padStart(5)}/s p50 ${sqlResult.p50.toFixed(1)} p99 ${sqlResult.p99.toFixed(1)} ms | ratio ${(gatewayResult.rate / sqlResult.rate).toFixed(2)}` +
          (gatewayResult.errors + sqlResult.errors ? ` | errors ${gatewayResult.errors}/${sqlResult.errors}` : ''),
      );
    }
    const peakGateway = Math.max(...results.map((r) => r.gateway.rate));
    const peakSql = Math.max(...results.map((r) => r.sql.rate));
    const peak = results.find((r) => r.gateway.rate === peakGateway)!;
    const half = await openLoop(
      'gateway at half load',
      peakGateway / 2,
      take(Math.ceil((peakGateway / 2) * OPEN_LOOP_SECONDS)),
      viaGateway,
    );
    await pool.end();

    const lines = [
      '',
      'path      conc   bookings/s   p50 ms   p95 ms   p99 ms   errors',
      ...results.flatMap(({ gateway, service, sql }) =>
        [gateway, service, sql].map(
          (r) =>
            `${r.label.padEnd(9)} ${String(r.concurrency).padStart(4)} ${r.rate.toFixed(0).padStart(12)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(8)}`,
        ),
      ),
      '',
      `peak: gateway ${peakGateway.toFixed(0)} bookings/s, raw SQL ${peakSql.toFixed(0)} bookings/s, ratio ${(peakGateway / peakSql).toFixed(2)} (goal ≥ 0.50)`,
      `half load (open loop at ${(peakGateway / 2).toFixed(0)}/s for ${OPEN_LOOP_SECONDS} s): p50 ${half.p50.toFixed(1)} ms, p95 ${half.p95.toFixed(1)} ms, p99 ${half.p99.toFixed(1)} ms (goal p99 < 50 ms), errors ${half.errors}`,
      '',
      `where the time goes at the gateway's peak (concurrency ${peak.gateway.concurrency}), CPU ms per booking on this ${cpus().length}-core machine:`,
      `  gateway path: ${cpuLine(peak.gateway)}`,
      `  service path: ${cpuLine(peak.service)}`,
      `  raw SQL:      ${cpuLine(peak.sql)}`,
      `  at half load: ${cpuLine(half)}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    mkdirSync(join(root, '.local', 'bench'), { recursive: true });
    writeFileSync(
      join(root, '.local', 'bench', 'booking.json'),
      JSON.stringify({ at: new Date().toISOString(), levels: results, peakGateway, peakSql, halfLoad: half }, null, 2),
    );
    say('results written to .local/bench/booking.json');
  } finally {
    await cleanUp();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
