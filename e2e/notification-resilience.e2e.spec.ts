// Notification as deployed, a process of its own, through crashes: SIGKILLed mid-burst, its Redis killed and started
// again empty mid-burst, and every topic it reads replayed. Each time, every booking's patient gets one confirmation
// in the real mail sink, never two (a send in flight when the process died is UNCERTAIN and not repeated), and
// reminders owed are back in the queue.
import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import Redis from 'ioredis';
import { Topics } from '@agdar/contracts';
import {
  dataServiceEnv,
  eventually,
  InboxEmail,
  notificationEnv,
  RedisServer,
  sql,
  TcpProxy,
  testEnv,
} from '@agdar/testing';
import { ChildService } from './support/child-service';
import { ClinicFixture, createSession, setUpClinic, untilSchedulingKnows } from './support/clinic';
import { Platform, startPlatform } from './support/platform';
import { mailInbox } from './support/notifications';

const BURST = 200;
const TOPICS = [Topics.tenants, Topics.directory, Topics.patients, Topics.sessions, Topics.participants].map(
  (t) => t.name,
);

describe('notifications through a killed service, a restarted Redis and a replay', () => {
  let redis: RedisServer;
  let smtp: TcpProxy; // between the service and the mail sink: lets a test hold what the service sends
  let notification: ChildService;
  let platform: Platform;
  let clinic: ClinicFixture;
  let db: string;
  let prefix: string;
  /** Where the notification group stood before this database first read: what "from the start" is for it. */
  let firstOffsets: Record<string, { partition: number; offset: string }[]>;
  const mail = mailInbox();
  const kafka = new Kafka({ clientId: 'test-notification-replay', brokers: testEnv().kafkaBrokers, logLevel: 0 });

  beforeAll(async () => {
    redis = await RedisServer.start();
    const sink = new URL(testEnv().smtpUrl);
    smtp = await TcpProxy.start({ host: sink.hostname, port: Number(sink.port) });
    prefix = `test-resilience-${randomBytes(3).toString('hex')}`;
    const env = dataServiceEnv(
      'notification',
      notificationEnv({
        REDIS_URL: redis.url,
        REMINDER_QUEUE_PREFIX: prefix,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      }),
    );
    db = env.DATABASE_URL!;
    firstOffsets = await committedOffsets();
    notification = await ChildService.start('notification', env);
    platform = await startPlatform({}, {}, { notification: { url: notification.url, databaseUrl: db } });
    clinic = await setUpClinic(platform);
  }, 180000);
  afterAll(async () => {
    await platform?.stop();
    await notification?.dispose();
    await smtp?.stop();
    await redis?.kill();
  });

  async function committedOffsets() {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const groups = await admin.fetchOffsets({ groupId: 'notification', topics: TOPICS });
      return Object.fromEntries(groups.map((g) => [g.topic, g.partitions]));
    } finally {
      await admin.disconnect();
    }
  }

  /** `count` patients with addresses of their own, and sessions of 20 seats for them, a week or more ahead. */
  async function arrange(label: string, count: number) {
    const addresses = Array.from(
      { length: count },
      (_, i) => `${label}${i}.${clinic.tenant.toLowerCase()}@example.com`,
    );
    const patients: string[] = [];
    for (let i = 0; i < count; i += 20) {
      const batch = await Promise.all(
        addresses.slice(i, i + 20).map((email, j) =>
          clinic.reception.post('/patients', {
            firstNameEn: `${label}${i + j}`,
            lastNameEn: 'Burst',
            dateOfBirth: '2015-05-05',
            email,
          }),
        ),
      );
      patients.push(...batch.map((r) => r.body.id as string));
    }
    await untilSchedulingKnows(platform, patients);
    const sessions: string[] = [];
    for (let i = 0; i < count / 20; i++) sessions.push((await createSession(clinic)).id);
    return {
      addresses,
      bookings: patients.map((patientId, i) => ({ sessionId: sessions[Math.floor(i / 20)], patientId })),
    };
  }

  /** Books all, 16 at a time, while `crash` runs once `after` confirmations have been sent; every booking must land. */
  async function burst(
    bookings: { sessionId: string; patientId: string }[],
    after: number,
    crash: () => Promise<void>,
  ) {
    const sentBefore = await sentConfirmations();
    let over = false;
    let crashedAt = -1;
    const crasher = (async () => {
      while (!over && (await sentConfirmations()) - sentBefore < after) await new Promise((r) => setTimeout(r, 20));
      crashedAt = (await sentConfirmations()) - sentBefore;
      await crash();
    })();
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < bookings.length) {
          const { sessionId, patientId } = bookings[next++];
          statuses.push((await clinic.reception.post(`/sessions/${sessionId}/add-patient`, { patientId })).status);
        }
      }),
    );
    over = true;
    await crasher;
    expect(statuses.filter((s) => s === 201)).toHaveLength(bookings.length);
    return crashedAt;
  }

  const sentConfirmations = async () =>
    Number(
      (
        await sql<{ n: string }>(
          db,
          `select count(*) as n from deliveries where kind = 'BOOKING_CONFIRMATION' and status = 'SENT'`,
        )
      )[0].n,
    );

  /** The confirmations in the sink to these addresses, once every one has arrived and a duplicate would have too. */
  async function confirmationsTo(addresses: string[]): Promise<InboxEmail[]> {
    const wanted = new Set(addresses);
    const received = async () =>
      (await mail.all()).filter(
        (m) => m.subject.startsWith('Appointment confirmed') && m.to.some((t) => wanted.has(t.address)),
      );
    await eventually(
      async () =>
        Number(
          (
            await sql<{ n: string }>(
              db,
              `select count(*) as n from deliveries where status in ('QUEUED', 'SENDING') and channel is not null
                 and kind = 'BOOKING_CONFIRMATION'`,
            )
          )[0].n,
        ) === 0,
      'no confirmation left to send',
      60000,
    );
    await new Promise((r) => setTimeout(r, 2000));
    return received();
  }

  /** One confirmation to every address but those whose send was UNCERTAIN (at most one to those), none twice. */
  function expectOneEach(emails: InboxEmail[], addresses: string[], uncertain = 0) {
    const perAddress = new Map<string, number>();
    for (const m of emails) for (const t of m.to) perAddress.set(t.address, (perAddress.get(t.address) ?? 0) + 1);
    const duplicated = [...perAddress].filter(([, n]) => n > 1);
    expect(duplicated).toEqual([]);
    expect(emails.length).toBeLessThanOrEqual(addresses.length);
    expect(emails.length).toBeGreaterThanOrEqual(addresses.length - uncertain);
    expect(new Set(emails.map((m) => m.messageId)).size).toBe(emails.length);
  }

  const countOf = async (where: string) =>
    Number((await sql<{ n: string }>(db, `select count(*) as n from deliveries where ${where}`))[0].n);

  it(`sends ${BURST} confirmations at most once each with the service SIGKILLed and restarted mid-burst`, async () => {
    const { addresses, bookings } = await arrange('kill', BURST);
    const crashedAt = await burst(bookings, 40, async () => {
      // The crash lands while the service is in the middle of SMTP conversations: what it had sent stops reaching
      // the server, answers to what the server already took still come back and are recorded, then it dies.
      smtp.holdUpstream();
      await new Promise((r) => setTimeout(r, 1000));
      await notification.kill('SIGKILL');
      smtp.releaseUpstream();
      await notification.restart();
    });
    expect(crashedAt).toBeGreaterThanOrEqual(40);
    expect(crashedAt).toBeLessThan(BURST); // it died with confirmations still to send

    // Those handed to the mail server when it died are UNCERTAIN (the server may have them: never sent again); those
    // claimed but not yet handed over were taken again once their lease ran out, and sent once.
    const received = await confirmationsTo(addresses);
    const uncertain = await countOf(`kind = 'BOOKING_CONFIRMATION' and status = 'UNCERTAIN'`);
    expect(uncertain).toBeLessThanOrEqual(32); // SENDER_CONCURRENCY: at most the sends in flight
    expectOneEach(received, addresses, uncertain);
    expect(await countOf(`kind = 'BOOKING_CONFIRMATION' and (attempts > 1 or status = 'UNCERTAIN')`)).toBeGreaterThan(
      0,
    );
    // Scheduling heard of every one that was sent.
    const confirmed = await sql(
      platform.scheduling.databaseUrl!,
      `select id from participants where tenant = $1 and patient_id = any($2) and confirmation_sent_at is not null`,
      [clinic.tenant, bookings.map((b) => b.patientId)],
    );
    expect(confirmed).toHaveLength(BURST - uncertain);
  }, 300000);

  it(`sends exactly ${BURST} confirmations with Redis killed and started again empty mid-burst, and requeues every reminder`, async () => {
    const { addresses, bookings } = await arrange('redis', BURST);
    await burst(bookings, 40, async () => {
      await redis.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 1000));
      await redis.restart();
    });
    expectOneEach(await confirmationsTo(addresses), addresses);

    // Every reminder still owed (two per booking, 24 h and 2 h before) is a delayed job again in the new Redis.
    const client = new Redis(redis.url);
    try {
      const owed = async () =>
        (await sql<{ id: string }>(db, `select id from reminders where status = 'SCHEDULED' order by id`)).map(
          (r) => r.id,
        );
      await eventually(
        async () => (await client.zcard(`${prefix}:reminders:delayed`)) === (await owed()).length,
        'the reminders to be requeued',
        30000,
      );
      const delayed = (await client.zrange(`${prefix}:reminders:delayed`, 0, -1)).sort();
      expect(delayed).toEqual(await owed());
      expect(delayed.length).toBeGreaterThanOrEqual(4 * BURST); // both bursts' reminders
    } finally {
      client.disconnect();
    }
  }, 300000);

  it('sends nothing new when every topic it reads is replayed from the start', async () => {
    const snapshot = () =>
      sql(
        db,
        `select (select count(*) from deliveries) as deliveries,
                (select count(*) from deliveries where status = 'SENT') as sent,
                (select count(*) from reminders) as reminders,
                (select count(*) from outbox_messages) as announced`,
      );
    const before = await snapshot();
    const inbox = (await mail.all()).length;
    const sms = ((await (await fetch(`${testEnv().smsUrl}/messages`)).json()) as unknown[]).length;

    // The service leaves its group cleanly, so the group's offsets can be moved back to where this database began.
    await notification.kill('SIGTERM');
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const topic of TOPICS) {
        const start = firstOffsets[topic].map((p) => ({
          partition: p.partition,
          offset: p.offset === '-1' ? '0' : p.offset,
        }));
        await admin.setOffsets({ groupId: 'notification', topic, partitions: start });
      }
      await notification.restart();
      await eventually(
        async () => {
          for (const topic of TOPICS) {
            const end = await admin.fetchTopicOffsets(topic);
            const [committed] = await admin.fetchOffsets({ groupId: 'notification', topics: [topic] });
            const done = end.every(
              (p) => committed.partitions.find((c) => c.partition === p.partition)?.offset === p.high,
            );
            if (!done) return false;
          }
          return true;
        },
        'notification to read every topic again',
        120000,
      );
    } finally {
      await admin.disconnect();
    }
    await new Promise((r) => setTimeout(r, 2000)); // long enough for a send it wrongly queued to arrive
    expect(await snapshot()).toEqual(before);
    expect((await mail.all()).length).toBe(inbox);
    expect(((await (await fetch(`${testEnv().smsUrl}/messages`)).json()) as unknown[]).length).toBe(sms);
  }, 240000);
});
