// Reminders through a database that is away at their fire time, long enough for their BullMQ jobs to spend every
// attempt: the sweep queues a job that gave up again under a new attempt id, and the reminder goes out once; a
// reminder whose session starts before the database is back is EXPIRED, with why, in the delivery log. Before the
// sweep, such a job stayed failed in Redis, its row SCHEDULED, and nothing showed it anywhere.
import { randomUUID } from 'node:crypto';
import {
  dataServiceEnv,
  eventually,
  MailInbox,
  notificationEnv,
  sql,
  StartedService,
  startService,
  TcpProxy,
  testEnv,
} from '@agdar/testing';
import { startNotificationService } from '../src/notification-service';

describe('reminders whose jobs gave up while the database was away', () => {
  let proxy: TcpProxy;
  let service: StartedService;
  let direct: string;
  const tenant = `R${randomUUID().slice(0, 6).toUpperCase()}`;
  const serviceTypeId = randomUUID();
  const mail = new MailInbox(testEnv().mailWebUrl);
  const db = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => sql<T>(direct, text, params);

  beforeAll(async () => {
    const server = new URL(testEnv().postgresUrl);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const env = dataServiceEnv(
      'notification',
      notificationEnv({ REMINDER_JOB_ATTEMPTS: '2', REMINDER_SWEEP_SECONDS: '2' }),
    );
    direct = env.DATABASE_URL!;
    const proxied = new URL(direct);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    service = await startService(startNotificationService, { ...env, DATABASE_URL: proxied.toString() });
    await db(`insert into known_tenants (code, name, timezone) values ($1, 'Recovery clinic', 'Asia/Riyadh')`, [
      tenant,
    ]);
    await db(`insert into service_types (id, tenant, name) values ($1, $2, 'Group OT')`, [serviceTypeId, tenant]);
  }, 120000);
  afterAll(async () => {
    proxy?.restore();
    await service?.dispose();
    await proxy?.stop();
  });

  /** A seat booked in a session starting at `startsAt`, owed one reminder at `fireAt` (queued as the booking would). */
  async function seatWithReminder(name: string, startsAt: Date, fireAt: Date) {
    const [sessionId, participantId, patientId, reminderId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const email = `${name}.${tenant.toLowerCase()}@example.com`;
    await db(
      `insert into contacts (patient_id, tenant, name_en, email, language, channels) values ($1, $2, $3, $4, 'en', '{email}')`,
      [patientId, tenant, name, email],
    );
    await db(
      `insert into sessions (id, tenant, session_number, status, service_type_id, timezone, starts_at, ends_at, version)
       values ($1, $2, $3, 'SCHEDULED', $4, 'Asia/Riyadh', $5, $5::timestamptz + interval '1 hour', 2)`,
      [sessionId, tenant, `SES-${tenant}-${name}`, serviceTypeId, startsAt],
    );
    await db(
      `insert into participants (id, tenant, session_id, patient_id, appointment_number, status, version)
       values ($1, $2, $3, $4, $5, 'BOOKED', 2)`,
      [participantId, tenant, sessionId, patientId, `APT-${tenant}-${name}`],
    );
    await db(
      `insert into reminders (id, tenant, participant_id, offset_seconds, starts_at, fire_at, status, queue_state)
       values ($1, $2, $3, 60, $4, $5, 'SCHEDULED', 'TO_ADD')`,
      [reminderId, tenant, participantId, startsAt, fireAt],
    );
    return { reminderId, participantId, email };
  }

  it('sends a reminder once after its job gave up, and expires one whose session started meanwhile', async () => {
    const now = Date.now();
    const fireAt = new Date(now + 6000);
    const late = await seatWithReminder('late', new Date(now + 600_000), fireAt);
    const missed = await seatWithReminder('missed', new Date(now + 12_000), fireAt);
    await eventually(
      async () =>
        (
          await db<{ n: number }>(
            `select count(*)::int as n from reminders where tenant = $1 and queue_state = 'ADDED'`,
            [tenant],
          )
        )[0].n === 2,
      'both jobs to be queued',
    );
    // The database goes away just before the fire time, and comes back after the second session has started.
    await new Promise((r) => setTimeout(r, fireAt.getTime() - Date.now() - 500));
    proxy.cut();
    await new Promise((r) => setTimeout(r, now + 14_000 - Date.now()));
    proxy.restore();

    await eventually(async () => (await mail.to(late.email)).length === 1, 'the late reminder', 60000);
    const [lateRow] = await db<{ status: string; queue_attempt: number }>(
      'select status, queue_attempt from reminders where id = $1',
      [late.reminderId],
    );
    expect(lateRow.status).toBe('FIRED');
    expect(lateRow.queue_attempt).toBeGreaterThanOrEqual(1);

    const expired = await eventually(
      async () =>
        (
          await db<{ status: string; reason: string }>(
            `select status, reason from deliveries where participant_id = $1 and kind = 'REMINDER'`,
            [missed.participantId],
          )
        )[0],
      'the missed reminder in the delivery log',
      30000,
    );
    expect(expired).toEqual({
      status: 'EXPIRED',
      reason: expect.stringContaining('could not be sent before the session started'),
    });
    expect(
      (await db<{ status: string }>('select status from reminders where id = $1', [missed.reminderId]))[0],
    ).toEqual({
      status: 'EXPIRED',
    });
    await new Promise((r) => setTimeout(r, 3000)); // a second send would have arrived
    expect(await mail.to(late.email)).toHaveLength(1);
    expect(await mail.to(missed.email)).toHaveLength(0);
  }, 120000);
});
