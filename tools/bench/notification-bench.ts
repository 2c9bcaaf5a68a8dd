// Notification benchmark, against the platform as deployed (every service its own process, MailDev as the SMTP sink):
// (a) how long after a booking its confirmation is accepted by the SMTP sink, at fixed booking rates through the
//     gateway (open loop); from the moment the booking was sent to the delivery's sent time in notification's
//     database, recorded when the SMTP server answered 250 (same machine, same clock);
// (b) how late reminders go out when many are due within the same minute: that many reminders are put in
//     notification's database as its consumers would have (seats of sessions starting at the same time, reminders due
//     spread over `--spread` seconds), the service queues them in BullMQ, and each one's lateness is from its due time
//     to its job firing and to the SMTP server accepting it. CPU milliseconds per message per process from /proc.
//   npm run bench:notifications [-- --rates 50,100 --seconds 10 --reminders 10000 --spread 60]
import { randomUUID } from 'node:crypto';
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
const REMINDERS = Number(option('reminders', '10000'));
const SPREAD_SECONDS = Number(option('spread', '60'));
const GOAL_CONFIRMATION_P99_MS = 1000;
const GOAL_REMINDER_P99_MS = 2000;

async function main() {
  const platform = await startBenchPlatform();
  const db = new Pool({ connectionString: platform.databases.notification, max: 4 });
  try {
    const total = RATES.reduce((sum, rate) => sum + rate * SECONDS, 0) + 60;
    say(`(a) bookings at ${RATES.join(', ')}/s for ${SECONDS} s each; arranging ${total} seats`);
    const { serviceTypeId, sessionIds } = await arrangeSessions(platform, Math.ceil(total / 20));
    const patientIds = await insertPatients(platform, sessionIds.length * 20, { notification: true });
    await eventually(
      async () =>
        (
          await db.query(
            `select 1 from known_tenants t join service_types s on s.tenant = t.code where t.code = $1 and s.id = $2`,
            [platform.tenant, serviceTypeId],
          )
        ).rowCount === 1,
      'notification to learn of the tenant and its service type',
      60000,
    );
    const slots = patientIds
      .map((patientId, i) => ({ sessionId: sessionIds[Math.floor(i / 20)], patientId, seat: i % 20 }))
      .sort((a, b) => a.seat - b.seat || a.sessionId.localeCompare(b.sessionId));
    let cursor = 0;
    const take = (n: number) => slots.slice(cursor, (cursor += n));
    const post = leanPoster(platform.gateway, platform.token(['reception']));
    const book = async (slot: { sessionId: string; patientId: string }) => {
      const sentAt = Date.now();
      const answer = await post(`/sessions/${slot.sessionId}/add-patient`, { patientId: slot.patientId });
      return answer.status === 201 ? { participantId: answer.body.id as string, sentAt } : null;
    };
    const untilAccepted = async (participantIds: string[]) => {
      let accepted = new Map<string, number>();
      await eventually(
        async () => {
          const { rows } = await db.query<{ participant_id: string; sent_at: Date }>(
            `select participant_id, sent_at from deliveries
             where kind = 'BOOKING_CONFIRMATION' and status = 'SENT' and participant_id = any($1)`,
            [participantIds],
          );
          accepted = new Map(rows.map((r) => [r.participant_id, r.sent_at.getTime()]));
          return accepted.size === participantIds.length;
        },
        `${participantIds.length} confirmations to be accepted by the SMTP sink`,
        300000,
      );
      return accepted;
    };

    say('warming up');
    const warm = (await Promise.all(take(60).map(book))).filter((b) => b !== null);
    await untilAccepted(warm.map((b) => b.participantId));

    const confirmations = [];
    for (const rate of RATES) {
      const phase = take(rate * SECONDS);
      const cpuBefore = cpuByGroup(platform.classify);
      const booked = await atRate(phase, rate, book);
      const accepted = await untilAccepted(booked.map((b) => b.participantId));
      const result = {
        label: `${rate}/s`,
        bookings: phase.length,
        confirmations: accepted.size,
        ...latencyOf(booked.map((b) => accepted.get(b.participantId)! - b.sentAt)),
        cpuPerConfirmation: cpuPerItem(platform, cpuBefore, accepted.size),
      };
      confirmations.push(result);
      say(
        `${result.label.padStart(6)}: booking → confirmation accepted p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, max ${result.max} ms (${result.confirmations})`,
      );
    }

    // (b) Seats of sessions that all start at the same time, each owed one reminder, due spread over the window.
    say(`(b) ${REMINDERS} reminders due within ${SPREAD_SECONDS} s: putting them in notification's database`);
    const firstDue = Date.now() + 45_000 + REMINDERS * 2; // time for the service to queue them all in BullMQ
    const startsAt = new Date(firstDue + 2 * 3600_000);
    const sessions = Array.from({ length: Math.ceil(REMINDERS / 20) }, () => randomUUID());
    const participants = Array.from({ length: REMINDERS }, () => randomUUID());
    const patients = Array.from({ length: REMINDERS }, () => randomUUID());
    const reminders = Array.from({ length: REMINDERS }, () => randomUUID());
    const fireAt = participants.map((_, i) => new Date(firstDue + Math.floor((i * SPREAD_SECONDS * 1000) / REMINDERS)));
    for (let i = 0; i < REMINDERS; i += 2000) {
      const part = (a: unknown[]) => a.slice(i, i + 2000);
      await db.query(
        `insert into contacts (patient_id, tenant, name_en, email, language, channels)
         select id, $2, 'Bench patient', 'bench-' || id || '@example.com', 'en', '{email}' from unnest($1::uuid[]) as id`,
        [part(patients), platform.tenant],
      );
      await db.query(
        `insert into participants (id, tenant, session_id, patient_id, appointment_number, status)
         select p, $2, s, pt, 'APT-BENCH-' || n, 'BOOKED'
         from unnest($1::uuid[], $3::uuid[], $4::uuid[], $5::int[]) as x(p, s, pt, n)`,
        [
          part(participants),
          platform.tenant,
          part(participants.map((_, j) => sessions[Math.floor(j / 20)])),
          part(patients),
          part(participants.map((_, j) => j + 1)),
        ],
      );
    }
    await db.query(
      `insert into sessions (id, tenant, session_number, status, service_type_id, timezone, starts_at, ends_at)
       select s, $2, 'SES-BENCH-' || n, 'SCHEDULED', $3, 'Asia/Riyadh', $4, $5
       from unnest($1::uuid[]) with ordinality as x(s, n)`,
      [sessions, platform.tenant, serviceTypeId, startsAt, new Date(startsAt.getTime() + 3600_000)],
    );
    for (let i = 0; i < REMINDERS; i += 2000) {
      const part = (a: unknown[]) => a.slice(i, i + 2000);
      await db.query(
        `insert into reminders (id, tenant, participant_id, offset_seconds, starts_at, fire_at, status, queue_state)
         select r, $2, p, extract(epoch from ($3::timestamptz - f))::int, $3, f, 'SCHEDULED', 'TO_ADD'
         from unnest($1::uuid[], $4::uuid[], $5::timestamptz[]) as x(r, p, f)`,
        [part(reminders), platform.tenant, startsAt, part(participants), part(fireAt)],
      );
    }
    await eventually(
      async () =>
        Number((await db.query(`select count(*) as n from reminders where queue_state = 'TO_ADD'`)).rows[0].n) === 0,
      'the reminders to be queued in BullMQ',
      120000,
    );
    const queuedIn = (firstDue - Date.now()) / 1000;
    if (queuedIn < 0) throw new Error('the reminders were queued after they fell due: give it more time (--reminders)');
    say(`queued in BullMQ with ${queuedIn.toFixed(1)} s to spare; waiting for them to fall due`);
    await new Promise((r) => setTimeout(r, Math.max(0, firstDue - Date.now() - 1000)));
    const cpuBefore = cpuByGroup(platform.classify);
    const progress = setInterval(async () => {
      const { rows } = await db.query<{ n: string }>(
        `select count(*) as n from deliveries where kind = 'REMINDER' and status = 'SENT'`,
      );
      say(`  ${rows[0].n} of ${REMINDERS} reminders accepted by the SMTP sink`);
    }, 5000);
    type Row = { fire_at: Date; fired_at: Date; sent_at: Date };
    let rows: Row[] = [];
    try {
      await eventually(
        async () => {
          rows = (
            await db.query<Row>(
              `select r.fire_at, r.fired_at, d.sent_at from reminders r
               join deliveries d on d.kind = 'REMINDER' and (d.facts->>'cause')::uuid = r.id and d.status = 'SENT'
               where r.id = any($1)`,
              [reminders],
            )
          ).rows;
          return rows.length === REMINDERS;
        },
        `${REMINDERS} reminders to be sent`,
        600000,
      );
    } finally {
      clearInterval(progress);
    }
    const firstSent = Math.min(...rows.map((r) => r.sent_at.getTime()));
    const lastSent = Math.max(...rows.map((r) => r.sent_at.getTime()));
    const reminderResult = {
      reminders: REMINDERS,
      spreadSeconds: SPREAD_SECONDS,
      fired: latencyOf(rows.map((r) => r.fired_at.getTime() - r.fire_at.getTime())),
      accepted: latencyOf(rows.map((r) => r.sent_at.getTime() - r.fire_at.getTime())),
      sendsPerSecond: REMINDERS / Math.max(0.001, (lastSent - firstSent) / 1000),
      cpuPerReminder: cpuPerItem(platform, cpuBefore, REMINDERS),
    };

    const at100 = confirmations.find((r) => r.label === '100/s');
    const verdict = (value: number, goal: number) => (value < goal ? 'met' : 'NOT met');
    process.stdout.write(
      [
        '',
        '(a) rate  bookings  confirmations   p50 ms   p95 ms   p99 ms   max ms',
        ...confirmations.map(
          (r) =>
            `${r.label.padEnd(9)} ${String(r.bookings).padStart(8)} ${String(r.confirmations).padStart(14)} ${String(r.p50).padStart(8)} ${String(r.p95).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.max).padStart(8)}`,
        ),
        at100
          ? `p99 booking → confirmation accepted at 100 bookings/s: ${at100.p99} ms (goal < ${GOAL_CONFIRMATION_P99_MS} ms: ${verdict(at100.p99, GOAL_CONFIRMATION_P99_MS)})`
          : '',
        '',
        `(b) ${REMINDERS} reminders due within ${SPREAD_SECONDS} s:`,
        `  lateness, due → job fired:             p50 ${reminderResult.fired.p50} ms, p95 ${reminderResult.fired.p95} ms, p99 ${reminderResult.fired.p99} ms, max ${reminderResult.fired.max} ms`,
        `  lateness, due → accepted by SMTP sink: p50 ${reminderResult.accepted.p50} ms, p95 ${reminderResult.accepted.p95} ms, p99 ${reminderResult.accepted.p99} ms, max ${reminderResult.accepted.max} ms (goal p99 < ${GOAL_REMINDER_P99_MS} ms: ${verdict(reminderResult.accepted.p99, GOAL_REMINDER_P99_MS)})`,
        `  sends per second, first to last accepted: ${reminderResult.sendsPerSecond.toFixed(0)}`,
        '',
        `CPU ms per message per process on this ${cpus().length}-core machine (booking included in (a)):`,
        ...confirmations.map((r) => `  ${r.label.padEnd(9)} ${cpuLine(r.cpuPerConfirmation)}`),
        `  reminders ${cpuLine(reminderResult.cpuPerReminder)}`,
        '',
      ].join('\n'),
    );
    mkdirSync(join(root, '.local', 'bench'), { recursive: true });
    writeFileSync(
      join(root, '.local', 'bench', 'notifications.json'),
      JSON.stringify({ at: new Date().toISOString(), confirmations, reminders: reminderResult }, null, 2),
    );
    say('results written to .local/bench/notifications.json');
  } finally {
    await db.end();
    await platform.cleanUp();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
});
