// Billing benchmark: how long after a booking its invoice is issued, and how many invoices billing issues per second.
// Bookings go through the gateway at a fixed rate (open loop: 50/s, then 100/s by default); each booking's latency is
// from the moment it was sent to its invoice's issue time in billing's database (same machine, same clock). Then, at
// saturation, billing is stopped while a batch of bookings is made and started again: the rate at which it works off
// the backlog is its capacity. CPU milliseconds per invoice per process come from /proc, as in the booking bench.
//   npm run bench:billing [-- --rates 50,100 --seconds 10 --batch 2000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { eventually } from '@agdar/testing';
import { cpuByGroup } from './cpu';
import {
  arrangeSessions,
  atRate,
  cpuLine,
  cpuPerItem,
  insertPatients,
  latencyOf,
  leanPoster,
  option,
  root,
  say,
  startBenchPlatform,
} from './bench-platform';

const RATES = option('rates', '50,100').split(',').map(Number);
const SECONDS = Number(option('seconds', '10'));
const BATCH = Number(option('batch', '2000'));
const GOAL_P99_MS = 500;

interface Slot {
  sessionId: string;
  patientId: string;
}

interface PhaseResult {
  label: string;
  bookings: number;
  refused: number;
  invoices: number;
  seconds: number;
  invoicesPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpuPerInvoice: Record<string, number>;
}

async function main() {
  const platform = await startBenchPlatform();
  const billingDb = new Pool({ connectionString: platform.databases.billing, max: 4 });
  try {
    const total = RATES.reduce((sum, rate) => sum + rate * SECONDS, 0) + BATCH + 100;
    say(`rates ${RATES.join(', ')}/s for ${SECONDS} s each, then a batch of ${BATCH}; arranging ${total} seats`);
    const { serviceTypeId, sessionIds } = await arrangeSessions(platform, Math.ceil(total / 20));
    const patientIds = await insertPatients(platform, sessionIds.length * 20, { billing: true });
    const billing = platform.api.as(platform.token(['billing']));
    await eventually(
      async () =>
        (await billing.put(`/billing/prices/${serviceTypeId}`, { amount: '250.00', currency: 'SAR' })).status === 200,
      'billing to learn of the service type and take its price',
      60000,
    );
    // Seat by seat across sessions (seat 1 of every session, then seat 2, ...), as bookings spread in a clinic.
    const slots: Slot[] = patientIds
      .map((patientId, i) => ({ sessionId: sessionIds[Math.floor(i / 20)], patientId, seat: i % 20 }))
      .sort((a, b) => a.seat - b.seat || a.sessionId.localeCompare(b.sessionId));
    let cursor = 0;
    const take = (n: number) => slots.slice(cursor, (cursor += n));
    const post = leanPoster(platform.gateway, platform.token(['reception']));
    const book = async (slot: Slot) => {
      const sentAt = Date.now();
      const answer = await post(`/sessions/${slot.sessionId}/add-patient`, { patientId: slot.patientId });
      return answer.status === 201 ? { participantId: answer.body.id as string, sentAt } : null;
    };
    const issuedAt = async (participantIds: string[]) => {
      const { rows } = await billingDb.query<{ participant_id: string; issued_at: Date }>(
        `select participant_id, issued_at from invoices where participant_id = any($1) and issued_at is not null`,
        [participantIds],
      );
      return new Map(rows.map((r) => [r.participant_id, r.issued_at.getTime()]));
    };
    const untilIssued = async (participantIds: string[]) => {
      let issued = new Map<string, number>();
      await eventually(
        async () => (issued = await issuedAt(participantIds)).size === participantIds.length,
        `${participantIds.length} invoices to be issued`,
        300000,
      );
      return issued;
    };
    say('warming up');
    const warm = (await Promise.all(take(60).map(book))).filter((b) => b !== null);
    await untilIssued(warm.map((b) => b.participantId));

    const results: PhaseResult[] = [];
    for (const rate of RATES) {
      const phase = take(rate * SECONDS);
      const cpuBefore = cpuByGroup(platform.classify);
      const started = Date.now();
      const booked = await atRate(phase, rate, book);
      const issued = await untilIssued(booked.map((b) => b.participantId));
      const latency = latencyOf(booked.map((b) => issued.get(b.participantId)! - b.sentAt));
      const seconds = (Math.max(...issued.values()) - started) / 1000;
      const result: PhaseResult = {
        label: `${rate}/s`,
        bookings: phase.length,
        refused: phase.length - booked.length,
        invoices: issued.size,
        seconds,
        invoicesPerSecond: issued.size / seconds,
        ...latency,
        cpuPerInvoice: cpuPerItem(platform, cpuBefore, issued.size),
      };
      results.push(result);
      say(
        `${result.label.padStart(6)}: booking → invoice issued p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, max ${result.max} ms (${result.invoices} invoices)`,
      );
    }

    say(`saturation: billing stopped while ${BATCH} bookings are made, then started to work off the backlog`);
    await platform.stop('billing');
    const batch = take(BATCH);
    const booked: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < batch.length) {
          const done = await book(batch[next++]).catch(() => null);
          if (done) booked.push(done.participantId);
        }
      }),
    );
    platform.start('billing');
    await platform.ready('billing');
    const cpuBefore = cpuByGroup(platform.classify);
    const issued = await untilIssued(booked);
    const times = [...issued.values()].sort((a, b) => a - b);
    const drainSeconds = (times[times.length - 1] - times[0]) / 1000;
    const saturation = {
      invoices: issued.size,
      seconds: drainSeconds,
      invoicesPerSecond: issued.size / drainSeconds,
      cpuPerInvoice: cpuPerItem(platform, cpuBefore, issued.size),
    };

    const at100 = results.find((r) => r.label === '100/s');
    process.stdout.write(
      [
        '',
        'rate      bookings  invoices   p50 ms   p95 ms   p99 ms   max ms',
        ...results.map(
          (r) =>
            `${r.label.padEnd(8)} ${String(r.bookings).padStart(9)} ${String(r.invoices).padStart(9)} ${String(r.p50).padStart(8)} ${String(r.p95).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.max).padStart(8)}`,
        ),
        '',
        at100
          ? `p99 booking → invoice issued at 100 bookings/s: ${at100.p99} ms (goal < ${GOAL_P99_MS} ms: ${at100.p99 < GOAL_P99_MS ? 'met' : 'NOT met'})`
          : '',
        `saturation: ${saturation.invoices} invoices issued in ${saturation.seconds.toFixed(1)} s = ${saturation.invoicesPerSecond.toFixed(0)} invoices/s`,
        '',
        `CPU ms per invoice per process on this ${cpus().length}-core machine (booking included at the fixed rates):`,
        ...results.map((r) => `  ${r.label.padEnd(6)} ${cpuLine(r.cpuPerInvoice)}`),
        `  backlog ${cpuLine(saturation.cpuPerInvoice)}`,
        '',
      ].join('\n'),
    );
    mkdirSync(join(root, '.local', 'bench'), { recursive: true });
    writeFileSync(
      join(root, '.local', 'bench', 'billing.json'),
      JSON.stringify({ at: new Date().toISOString(), rates: results, saturation }, null, 2),
    );
    say('results written to .local/bench/billing.json');
  } finally {
    await billingDb.end();
    await platform.cleanUp();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
});
