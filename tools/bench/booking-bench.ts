// Booking benchmark: POST /api/sessions/{id}/add-patient through the gateway (every service in its own process,
// as deployed) at increasing concurrency across many sessions, against the same booking transaction as raw SQL
// on the same PostgreSQL in the same run, and against the scheduling service called directly (no gateway hop). Prints
// bookings/s and p50/p95/p99 for both and their ratio, then an
// open-loop run at half the gateway's peak rate for the latency a clinic would see at half load.
//   npm run bench:booking [-- --levels 1,4,16,32 --per-level 400]
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ApiClient } from '@agdar/testing';
import { createSequenceSql, sequenceName } from '../../apps/scheduling/src/sessions/numbers';
import { cpuByGroup, cpuSpent } from './cpu';
import {
  arrangeSessions,
  BenchPlatform,
  CPU_GROUPS,
  insertPatients,
  option,
  percentile,
  root,
  say,
  startBenchPlatform,
} from './bench-platform';

const LEVELS = option('levels', '1,4,16,32,64').split(',').map(Number);
const PER_LEVEL = Number(option('per-level', '400'));
const OPEN_LOOP_SECONDS = Number(option('open-loop-seconds', '8'));
/** Set once the platform is up: which process is which, for CPU accounting. */
let platform: BenchPlatform;
const classify = (pid: number, comm: string, cmdline: string) => platform.classify(pid, comm, cmdline);
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

/** The booking transaction of ParticipantsService.addPatient, statement for statement, on a plain pg pool. */
function rawSqlBooking(pool: Pool, tenant: string, year: number) {
  const sequence = sequenceName(tenant, 'APT', year);
  return async ({ sessionId, patientId }: Slot): Promise<boolean> => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const patient = await client.query(
        'select consent_verified from patients where id = $1 and tenant = $2 for share',
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
         values ($1, $2, $3, $4, $5, 'BOOKED', false, $6, $7, $8, now(), now())`,
        [
          id,
          tenant,
          sessionId,
          patientId,
          `APT-${tenant}-${year}-${number.rows[0].value}`,
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
  platform = await startBenchPlatform();
  const { tenant, token, api, ports, databases } = platform;
  try {
    say('services ready; arranging sessions and patients');
    const paths = 3;
    const perPath = LEVELS.length * PER_LEVEL;
    const sessionsNeeded = Math.ceil((paths * perPath + Math.ceil(PER_LEVEL * 4)) / 20) + 20;
    const { sessionIds } = await arrangeSessions(platform, sessionsNeeded);
    const patientIds = await insertPatients(platform, sessionIds.length * 20);
    const pool = new Pool({ connectionString: databases.scheduling, max: 20 });
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
    await platform.cleanUp();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
