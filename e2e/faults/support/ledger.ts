// After a fault: the whole pipeline compared with what the clinic was told, as set equalities over every booking (the
// way Kafka's own system tests check a run). Scheduling's database is the truth of which seats exist and when their
// sessions start; against it, billing's invoices, the mail and SMS sinks' messages, the notification reminders and
// their BullMQ jobs are counted per seat and channel.
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { eventually, MailInbox, SmsInbox, sql, testEnv } from '@agdar/testing';
import { formatWhen } from '@agdar/notification';
import { FaultPlatform } from './fault-platform';
import { Workload } from './workload';

export interface FaultRow {
  fault: string;
  accepted: number;
  refused: number;
  invoices: number;
  confirmations: number;
  reminders: number;
  /** Messages handed to a provider by a sender that then died or lost the line: never resent, perhaps received. */
  uncertain: number;
  duplicates: number;
  lost: number;
  wrongTime: number;
  overbooked: number;
  serverErrors: number;
  seconds: number;
  /** After a SIGKILL: how soon the restarted service was ready, and consuming again. */
  backIn: string | null;
  problems: string[];
}

const ACTIVE = ['BOOKED', 'CONFIRMED'];
const TIME_SUBJECT = /^(Appointment confirmed|Appointment moved|Reminder):/;
const TIME_SMS = /(is booked for|has moved to|^.*Reminder:)/;

/** Waits until all owed for the workload has happened, or a generous time has passed (what is missing counts). */
export async function settle(platform: FaultPlatform, work: Workload): Promise<void> {
  const tenant = work.clinic.tenant;
  const wait = (probe: () => Promise<boolean>, what: string) =>
    eventually(async () => (await probe()) || undefined, what, 120_000).catch(() => undefined);
  await wait(async () => {
    const [{ n }] = await sql<{ n: number }>(
      platform.databaseOf('billing'),
      `select count(*)::int as n from invoices where tenant = $1 and number is not null`,
      [tenant],
    );
    return n >= work.seats.length;
  }, 'every invoice');
  await wait(async () => {
    const [row] = await sql<{ seats: number; pending: number; unsynced: number }>(
      platform.databaseOf('notification'),
      `select (select count(distinct participant_id)::int from deliveries
                where tenant = $1 and kind = 'BOOKING_CONFIRMATION') as seats,
              (select count(*)::int from deliveries where tenant = $1 and status in ('QUEUED', 'SENDING')) as pending,
              (select count(*)::int from reminders where tenant = $1 and queue_state in ('TO_ADD', 'TO_REMOVE'))
                as unsynced`,
      [tenant],
    );
    return row.seats >= work.seats.length && row.pending === 0 && row.unsynced === 0;
  }, 'every message sent and every reminder queued');
  await wait(async () => {
    const [{ n }] = await sql<{ n: number }>(
      platform.databaseOf('scheduling'),
      `select count(*)::int as n from participants where id = any($1) and finance_cleared`,
      [[...work.paid]],
    );
    return n >= work.paid.size;
  }, 'every payment to clear its seat');
  await new Promise((r) => setTimeout(r, 2000)); // a message sent twice would have arrived by now
}

export async function measure(platform: FaultPlatform, work: Workload, fault: string, startedAt: number) {
  const tenant = work.clinic.tenant;
  const problems: string[] = [];
  const row: FaultRow = {
    fault,
    accepted: work.seats.length,
    refused: work.refused,
    invoices: 0,
    confirmations: 0,
    reminders: 0,
    uncertain: 0,
    duplicates: 0,
    lost: 0,
    wrongTime: 0,
    overbooked: 0,
    serverErrors: work.serverErrors,
    seconds: 0,
    backIn: null,
    problems,
  };
  const flag = (column: 'duplicates' | 'lost' | 'wrongTime' | 'overbooked', what: string) => {
    row[column]++;
    if (problems.length < 12) problems.push(what);
  };

  // The truth: scheduling's seats and their sessions' starts.
  const seats = await sql<{
    id: string;
    status: string;
    session_id: string;
    starts_at: Date;
    finance_cleared: boolean;
  }>(
    platform.databaseOf('scheduling'),
    `select p.id, p.status, p.session_id, s.starts_at, p.finance_cleared
     from participants p join sessions s on s.id = p.session_id where p.tenant = $1`,
    [tenant],
  );
  const truth = new Map(seats.map((s) => [s.id, s]));
  if (seats.length !== work.seats.length)
    flag('lost', `scheduling has ${seats.length} seats, ${work.seats.length} accepted`);
  const overfull = await sql<{ id: string }>(
    platform.databaseOf('scheduling'),
    `select s.id from sessions s where s.tenant = $1 and s.max_capacity <
       (select count(*) from participants p where p.session_id = s.id and p.status <> 'CANCELLED')`,
    [tenant],
  );
  for (const s of overfull) flag('overbooked', `session ${s.id} holds more than its capacity`);

  // Billing: one issued invoice per seat, numbered 1..n, one chain.
  const invoices = await sql<{ participant_id: string; issued: number }>(
    platform.databaseOf('billing'),
    `select participant_id, count(*) filter (where number is not null)::int as issued from invoices
     where tenant = $1 group by participant_id`,
    [tenant],
  );
  const issued = new Map(invoices.map((i) => [i.participant_id, i.issued]));
  for (const seat of work.seats) {
    const n = issued.get(seat.participantId) ?? 0;
    if (n === 0) flag('lost', `no invoice for ${seat.appointmentNumber}`);
    if (n > 1) flag('duplicates', `${n} invoices for ${seat.appointmentNumber}`);
    row.invoices += Math.min(n, 1);
  }
  for (const participantId of issued.keys())
    if (!truth.has(participantId)) flag('lost', `an invoice for a seat scheduling does not have`);
  const [chain] = await sql<{ numbers: number[]; links: number; documents: number }>(
    platform.databaseOf('billing'),
    `select array_agg(split_part(number, '-', 4)::int order by split_part(number, '-', 4)::int) as numbers,
       count(distinct previous_hash)::int as links, count(*)::int as documents
     from invoices where tenant = $1 and number is not null`,
    [tenant],
  );
  if ((chain.numbers ?? []).some((n, i) => n !== i + 1)) flag('lost', 'invoice numbers are not 1..n');

  // Notification: deliveries that ended UNCERTAIN, per seat and channel.
  const uncertain = await sql<{ participant_id: string; channel: string; kind: string }>(
    platform.databaseOf('notification'),
    `select participant_id, channel, kind from deliveries where tenant = $1 and status = 'UNCERTAIN'`,
    [tenant],
  );
  row.uncertain = uncertain.length;
  const uncertainOf = (participantId: string, channel: string) =>
    uncertain.some(
      (u) => u.participant_id === participantId && u.channel === channel && u.kind === 'BOOKING_CONFIRMATION',
    );

  // Messages as the sinks received them: one confirmation per seat and channel; the last time told is the start now.
  const mail = new MailInbox(testEnv().mailWebUrl);
  const sms = new SmsInbox(testEnv().smsUrl);
  for (const seat of work.seats) {
    const now = truth.get(seat.participantId);
    if (!now) continue;
    const when = formatWhen(new Date(now.starts_at).toISOString(), 'Asia/Riyadh', 'en');
    const active = ACTIVE.includes(now.status);
    const emails = await mail.to(seat.email);
    const texts = await sms.to(seat.phone);
    const confirmations = {
      email: emails.filter((m) => m.subject.startsWith('Appointment confirmed')).length,
      sms: texts.filter((t) => t.body.includes('is booked for')).length,
    };
    for (const channel of ['email', 'sms'] as const) {
      const n = confirmations[channel];
      row.confirmations += Math.min(n, 1);
      if (n > 1) flag('duplicates', `${n} ${channel} confirmations for ${seat.appointmentNumber}`);
      if (n === 0 && active && !uncertainOf(seat.participantId, channel))
        flag('lost', `no ${channel} confirmation for ${seat.appointmentNumber}`);
    }
    if (!active) continue;
    const lastEmail = [...emails]
      .filter((m) => TIME_SUBJECT.test(m.subject))
      .sort(byDate)
      .pop();
    if (lastEmail && !lastEmail.subject.includes(when))
      flag('wrongTime', `${seat.appointmentNumber} was last told "${lastEmail.subject}", the session is on ${when}`);
    const lastText = texts.filter((t) => TIME_SMS.test(t.body)).pop();
    if (lastText && !lastText.body.includes(when))
      flag('wrongTime', `${seat.appointmentNumber} was last texted "${lastText.body}", the session is on ${when}`);
    if (work.paid.has(seat.participantId) && !now.finance_cleared)
      flag('lost', `${seat.appointmentNumber} was paid but its seat is not finance-cleared`);
  }

  // A refused booking has nothing: no message to its patient (an invoice would have shown above as a stray seat).
  for (const patient of work.refusedPatients) {
    const received = (await mail.to(patient.email)).length + (await sms.to(patient.phone)).length;
    if (received > 0) flag('duplicates', `${received} messages to a patient whose booking was refused`);
  }

  // Reminders: two owed per active seat (24 h and 2 h before), at the session's start now, each a BullMQ job.
  const reminders = await sql<{ id: string; participant_id: string; starts_at: Date; queue_attempt: number }>(
    platform.databaseOf('notification'),
    `select id, participant_id, starts_at, queue_attempt from reminders where tenant = $1 and status = 'SCHEDULED'`,
    [tenant],
  );
  const connection = new Redis(platform.redis.url, { maxRetriesPerRequest: 1 });
  const queue = new Queue('reminders', { connection, prefix: platform.queuePrefix });
  try {
    for (const seat of work.seats) {
      const now = truth.get(seat.participantId);
      if (!now || !ACTIVE.includes(now.status)) continue;
      const owed = reminders.filter((r) => r.participant_id === seat.participantId);
      const atNow = owed.filter((r) => new Date(r.starts_at).getTime() === new Date(now.starts_at).getTime());
      if (owed.length > atNow.length) flag('wrongTime', `${seat.appointmentNumber} has a reminder for an old start`);
      if (atNow.length < 2) flag('lost', `${seat.appointmentNumber} is owed ${atNow.length} of its 2 reminders`);
      if (atNow.length > 2) flag('duplicates', `${seat.appointmentNumber} has ${atNow.length} reminders`);
      for (const r of atNow) {
        const job = await queue.getJob(r.queue_attempt === 0 ? r.id : `${r.id}-r${r.queue_attempt}`);
        const state = job ? await job.getState() : 'missing';
        if (state === 'delayed' || state === 'waiting') row.reminders++;
        else flag('lost', `${seat.appointmentNumber}'s reminder job is ${state}`);
      }
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  if (work.serverErrors > 0) problems.push(`${work.serverErrors} answers of 500 or above`);
  row.seconds = Math.round((Date.now() - startedAt) / 1000);
  return row;
}

const byDate = (a: { date: string }, b: { date: string }) => Date.parse(a.date) - Date.parse(b.date);

export function tableOf(rows: FaultRow[]): string {
  const columns: [keyof FaultRow, string][] = [
    ['fault', 'fault'],
    ['accepted', 'accepted'],
    ['refused', 'refused'],
    ['invoices', 'invoices'],
    ['confirmations', 'confirmations'],
    ['reminders', 'reminders'],
    ['uncertain', 'uncertain'],
    ['duplicates', 'duplicates'],
    ['lost', 'lost'],
    ['wrongTime', 'wrong time'],
    ['overbooked', 'overbooked'],
    ['serverErrors', '5xx'],
    ['seconds', 's'],
    ['backIn', 'back in'],
  ];
  const cells = rows.map((r) => columns.map(([key]) => String(r[key] ?? '')));
  const widths = columns.map(([, title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) =>
    values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ');
  return [line(columns.map(([, t]) => t)), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
