// Each participant's own messages: confirmations in their language on their channel, reminders at the tenant's
// offsets that follow the session, cancellations, the delivery log, and what is skipped or failed and why. Against
// the real services, Kafka, Redis, the MailDev sink and the local SMS sink the run started.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ParticipantBooked,
  ParticipantCancelled,
  ParticipantStatusChanged,
  PatientRegistered,
  SessionSnapshot,
  sessionSnapshotSchema,
} from '@agdar/contracts';
import { clinicDateTime, eventually, sql, tokenFor } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, setUpClinic, untilSchedulingKnows } from './support/clinic';
import { eventOf, publishEvents } from './support/kafka-producer';
import {
  addressOf,
  calendarOf,
  deliveriesOf,
  DeliveryView,
  mailInbox,
  phoneOf,
  smsInbox,
} from './support/notifications';

describe('notifications', () => {
  let platform: Platform;
  let clinic: ClinicFixture;
  const mail = mailInbox();
  const sms = smsInbox();

  beforeAll(async () => {
    platform = await startPlatform();
    clinic = await setUpClinic(platform);
  }, 120000);
  afterAll(async () => platform?.stop());

  const register = async (body: Record<string, unknown>): Promise<string> => {
    const response = await clinic.reception.post('/patients', {
      lastNameEn: 'Test',
      dateOfBirth: '2012-03-04',
      ...body,
    });
    if (response.status !== 201) throw new Error(`registering failed: ${JSON.stringify(response.body)}`);
    return response.body.id;
  };
  const book = async (sessionId: string, patientId: string) => {
    const response = await clinic.reception.post(`/sessions/${sessionId}/add-patient`, { patientId });
    expect(response.status).toBe(201);
    return response.body as { id: string; appointmentNumber: string; patientId: string };
  };
  const logOf = (participantId: string) =>
    deliveriesOf(clinic).then((all) => all.filter((d) => d.participantId === participantId));
  /** Every message of these is sent, failed or skipped (and there is at least one). */
  const settled = (rows: DeliveryView[]) =>
    rows.length > 0 && rows.every((d) => ['SENT', 'FAILED', 'SKIPPED'].includes(d.status));

  it('confirms each booking once, in the patient’s language, on their channel, to the guardian of a child', async () => {
    const arabic = await register({
      firstNameEn: 'Layla',
      firstNameAr: 'ليلى',
      lastNameAr: 'الحربي',
      email: addressOf(clinic, 'layla'),
      preferredLanguage: 'ar',
    });
    const child = await register({
      firstNameEn: 'Omar',
      email: addressOf(clinic, 'omar'),
      guardian: { name: 'Huda Test', relationship: 'mother', email: addressOf(clinic, 'huda') },
    });
    const smsOnly = await register({ firstNameEn: 'Sami', phone: phoneOf(clinic, 1), channels: ['sms'] });
    await untilSchedulingKnows(platform, [arabic, child, smsOnly]);
    const session = await createSession(clinic);
    const seats = [await book(session.id, arabic), await book(session.id, child), await book(session.id, smsOnly)];

    const [toLayla] = await eventually(async () => nonEmpty(await mail.to(addressOf(clinic, 'layla'))), 'Layla');
    const [toHuda] = await eventually(async () => nonEmpty(await mail.to(addressOf(clinic, 'huda'))), 'the guardian');
    const [toSami] = await eventually(async () => nonEmpty(await sms.to(phoneOf(clinic, 1))), 'Sami’s SMS');

    expect(toLayla.subject).toMatch(/^تأكيد الموعد/);
    expect(toLayla.html).toContain('dir="rtl"');
    expect(toLayla.text).toContain(seats[0].appointmentNumber);
    expect(toLayla.text).toContain('ليلى الحربي');
    expect(toLayla.text).toContain(`العيادة: عيادة ${clinic.tenant}`); // the clinic's Arabic name, in Arabic
    expect(toHuda.text).toContain(`Clinic: Clinic ${clinic.tenant}`);
    expect(toSami.body).toMatch(new RegExp(`^Clinic ${clinic.tenant}: `));
    expect(toHuda.subject).toMatch(/^Appointment confirmed/);
    expect(toHuda.text).toContain('Dear Huda Test');
    expect(toHuda.text).toContain(seats[1].appointmentNumber);
    expect(toSami.body).toContain(seats[2].appointmentNumber);
    expect(toSami.sender).toBe('AgdarClinic');
    expect(toLayla.headers['list-unsubscribe']).toBeUndefined(); // a confirmation is transactional

    // Each invitation names its own recipient, and no other member of the group.
    for (const [email, address] of [
      [toLayla, addressOf(clinic, 'layla')],
      [toHuda, addressOf(clinic, 'huda')],
    ] as const) {
      const ics = calendarOf((await mail.calendar(email))!);
      expect(ics).toMatchObject({ method: 'REQUEST', attendees: [address], sequence: 0 });
    }

    // Scheduling learns that each confirmation went out.
    await eventually(async () => {
      const participants = (await clinic.reception.get(`/sessions/${session.id}`)).body.participants;
      return participants.every((p: { confirmationSentAt: string | null }) => p.confirmationSentAt !== null);
    }, 'confirmationSentAt on every participant');

    // Nothing more arrives: the child's own address gets nothing, each recipient exactly one message.
    await eventually(async () => settled(await deliveriesOf(clinic, { sessionId: session.id })), 'the log to settle');
    expect(await mail.to(addressOf(clinic, 'omar'))).toEqual([]);
    expect(await mail.to(addressOf(clinic, 'layla'))).toHaveLength(1);
    expect(await mail.to(addressOf(clinic, 'huda'))).toHaveLength(1);
    expect(await sms.to(phoneOf(clinic, 1))).toHaveLength(1);
    const log = await deliveriesOf(clinic, { sessionId: session.id });
    expect(log.map((d) => [d.kind, d.channel, d.language, d.status]).sort()).toEqual([
      ['BOOKING_CONFIRMATION', 'email', 'ar', 'SENT'],
      ['BOOKING_CONFIRMATION', 'email', 'en', 'SENT'],
      ['BOOKING_CONFIRMATION', 'sms', 'en', 'SENT'],
    ]);
    expect(log.find((d) => d.channel === 'sms')!.recipient).toMatch(/^\+9665\d\*{5}\d\d$/);
    expect(log.find((d) => d.language === 'ar')!.recipient).toMatch(/^l\*\*\*@example\.com$/);
  });

  it('skips a patient with no address on their channel and an opted-out patient, and fails an unusable message, while later messages flow', async () => {
    // Records the API would refuse, as a legacy import could publish them: told straight to Kafka.
    const noEmail = await patientByEvent({ firstNameEn: 'Nour', email: null, channels: ['email'] });
    const optedOut = await patientByEvent({ firstNameEn: 'Faisal', email: addressOf(clinic, 'faisal'), channels: [] });
    await untilSchedulingKnows(platform, [noEmail, optedOut]);
    const session = await createSession(clinic);
    const first = await book(session.id, noEmail);
    const second = await book(session.id, optedOut);
    // A session snapshot with a time zone no one knows: the template cannot render it.
    const unusable = await register({ firstNameEn: 'Badr', email: addressOf(clinic, 'badr') });
    // Of a session of its own: a snapshot is the newest fact of its session, and this one must not break the others'.
    const broken = { ...(await snapshotOf(session.id, 'Mars/Olympus_Mons')), sessionId: randomUUID() };
    await publishEvents(meta('broken-template'), [
      eventOf(PatientRegistered, patientFacts(unusable, { firstNameEn: 'Badr', email: addressOf(clinic, 'badr') })),
    ]);
    const brokenSeat = '6d3c8a4e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
    await publishEvents(meta('broken-template'), [
      eventOf(ParticipantBooked, {
        session: broken,
        participantId: brokenSeat,
        appointmentNumber: 'APT-BROKEN-1',
        patientId: unusable,
        financeCleared: false,
        consentVerified: false,
      }),
    ]);
    const later = await register({ firstNameEn: 'Later', email: addressOf(clinic, 'later') });
    await untilSchedulingKnows(platform, [later]);
    await book(session.id, later);

    await eventually(async () => (await mail.to(addressOf(clinic, 'later'))).length === 1, 'the later message');
    await eventually(async () => settled(await logOf(brokenSeat)), 'the unusable message to be recorded');
    expect(await logOf(first.id)).toEqual([
      expect.objectContaining({ status: 'SKIPPED', channel: 'email', reason: 'no email address' }),
    ]);
    expect(await logOf(second.id)).toEqual([
      expect.objectContaining({ status: 'SKIPPED', channel: null, reason: expect.stringMatching(/^opted out/) }),
    ]);
    expect(await logOf(brokenSeat)).toEqual([
      expect.objectContaining({
        status: 'FAILED',
        attempts: 1,
        reason: 'template variable timezone is not an IANA time zone',
      }),
    ]);
    expect(await mail.to(addressOf(clinic, 'faisal'))).toEqual([]);
    expect(await mail.to(addressOf(clinic, 'badr'))).toEqual([]);
  });

  it('retries an SMS the provider could not take, and fails one it refused with its answer', async () => {
    const flaky = await register({ firstNameEn: 'Retry', phone: phoneOf(clinic, 2), channels: ['sms'] });
    const refused = await register({ firstNameEn: 'Refused', phone: phoneOf(clinic, 3), channels: ['sms'] });
    await untilSchedulingKnows(platform, [flaky, refused]);
    const session = await createSession(clinic);
    await sms.failNext(1, 503, { statusCode: 503, message: 'Service temporarily unavailable' });
    const retried = await book(session.id, flaky);
    await eventually(async () => (await sms.to(phoneOf(clinic, 2))).length === 1, 'the retried SMS', 30000);
    expect(await logOf(retried.id)).toEqual([expect.objectContaining({ status: 'SENT', attempts: 2 })]);

    await sms.failNext(1, 400, { statusCode: 400, message: 'Sender name is not active' });
    const failed = await book(session.id, refused);
    await eventually(async () => settled(await logOf(failed.id)), 'the refused SMS to be recorded');
    expect(await logOf(failed.id)).toEqual([
      expect.objectContaining({
        status: 'FAILED',
        attempts: 1,
        providerAnswer: expect.stringContaining('Sender name is not active'),
      }),
    ]);
    expect(await sms.to(phoneOf(clinic, 3))).toEqual([]);
  });

  it('serves the delivery log to admin and reception only, filtered, and only the caller’s tenant', async () => {
    const other = await setUpClinic(platform);
    expect((await clinic.provider.get('/notifications')).status).toBe(403);
    expect((await clinic.billing.get('/notifications')).status).toBe(403);
    expect((await clinic.reception.get('/notifications?status=SENT')).status).toBe(200);
    expect((await clinic.reception.get('/notifications?status=LOST')).status).toBe(400);
    expect((await other.admin.get('/notifications')).body.total).toBe(0);
    const mine = await deliveriesOf(clinic, { channel: 'sms' });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((d) => d.channel === 'sms')).toBe(true);
  });

  it("ignores another tenant's events that name this tenant's seat: its reminders, calendar and messages stay", async () => {
    const patient = await register({ firstNameEn: 'Kept', email: addressOf(clinic, 'kept') });
    await untilSchedulingKnows(platform, [patient]);
    const session = await createSession(clinic);
    const seat = await book(session.id, patient);
    await eventually(async () => (await mail.to(addressOf(clinic, 'kept'))).length === 1, 'the confirmation');
    const db = platform.notification.databaseUrl!;
    const reminders = () =>
      sql<{ status: string }>(db, 'select status from reminders where participant_id = $1 order by id', [seat.id]);
    expect((await reminders()).map((r) => r.status)).toEqual(['SCHEDULED', 'SCHEDULED']);

    const intruder = await setUpClinic(platform);
    const facts = {
      session: await snapshotOf(session.id, 'Asia/Riyadh'),
      participantId: seat.id,
      appointmentNumber: seat.appointmentNumber,
      patientId: patient,
    };
    const sent = await publishEvents({ tenant: intruder.tenant, actor: 'intruder', correlationId: 'isolation' }, [
      eventOf(ParticipantStatusChanged, { ...facts, from: 'BOOKED', to: 'CONFIRMED', reason: null }),
      eventOf(ParticipantCancelled, { ...facts, from: 'BOOKED', reason: 'Forged' }),
    ]);
    await eventually(
      async () =>
        (await sql(db, 'select 1 from processed_messages where message_id = any($1)', [sent])).length === sent.length,
      'notification to handle both events',
    );
    expect((await reminders()).map((r) => r.status)).toEqual(['SCHEDULED', 'SCHEDULED']);
    expect(await sql(db, 'select status, calendar_sequence from participants where id = $1', [seat.id])).toEqual([
      { status: 'BOOKED', calendar_sequence: 0 },
    ]);
    await new Promise((r) => setTimeout(r, 1000)); // long enough for a cancellation it wrongly queued to arrive
    expect((await mail.to(addressOf(clinic, 'kept'))).map((m) => m.subject.split(':')[0])).toEqual([
      'Appointment confirmed',
    ]);
  });

  it('shows the reminder queue on Bull Board to platform admins only', async () => {
    const board = `${platform.notification.url}/queues`;
    expect((await fetch(board)).status).toBe(401);
    const form = await fetch(board, { headers: { accept: 'text/html' } });
    expect(await form.text()).toContain('action="/queues/sign-in"');
    // The token is posted, never put in the address (where proxies and histories keep it).
    const signIn = (token: string) =>
      fetch(`${board}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
        redirect: 'manual',
      });
    expect((await fetch(`${board}?token=${tokenFor('PLATFORM', ['platform-admin'])}`)).status).toBe(401);
    expect((await signIn('not-a-token')).status).toBe(401);
    expect((await signIn(tokenFor(clinic.tenant, ['admin']))).status).toBe(403); // it shows every tenant's jobs
    const opened = await signIn(tokenFor('PLATFORM', ['platform-admin']));
    expect(opened.status).toBe(303);
    const cookie = opened.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Expires=/i);
    const queues = await fetch(`${board}/api/queues`, { headers: { cookie: cookie.split(';')[0] } });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name)).toEqual(['reminders']);
    expect(body.queues[0].counts.delayed).toBeGreaterThan(0); // the bookings above are owed reminders
  });

  it('holds a confirmation by SMS during quiet hours until they end, and sends email at once', async () => {
    const now = new Date();
    const start = clinicDateTime(new Date(now.getTime() - 3600_000)).scheduledTime;
    const end = clinicDateTime(new Date(now.getTime() + 3600_000)).scheduledTime;
    const quiet = { reminderOffsetsMinutes: [1440, 120], quietHoursStart: start, quietHoursEnd: end, staffEmail: null };
    expect((await clinic.admin.put('/notifications/settings', quiet)).status).toBe(200);
    try {
      const texted = await register({ firstNameEn: 'Night', phone: phoneOf(clinic, 4), channels: ['sms'] });
      const mailed = await register({ firstNameEn: 'Owl', email: addressOf(clinic, 'owl') });
      await untilSchedulingKnows(platform, [texted, mailed]);
      const session = await createSession(clinic);
      const held = await book(session.id, texted);
      await book(session.id, mailed);
      await eventually(async () => (await mail.to(addressOf(clinic, 'owl'))).length === 1, 'the email');
      const [row] = await logOf(held.id);
      expect(row).toMatchObject({ status: 'QUEUED', channel: 'sms', attempts: 0 });
      const windowEnd = new Date(Math.floor((now.getTime() + 3600_000) / 60_000) * 60_000);
      expect(row.notBefore).toBe(windowEnd.toISOString());
      expect(await sms.to(phoneOf(clinic, 4))).toEqual([]);
    } finally {
      await clinic.admin.put('/notifications/settings', { ...quiet, quietHoursStart: null, quietHoursEnd: null });
    }
  });

  async function patientByEvent(fields: { firstNameEn: string; email: string | null; channels: string[] }) {
    const id = randomUUID();
    await publishEvents(meta('legacy'), [eventOf(PatientRegistered, patientFacts(id, fields))]);
    return id;
  }

  function patientFacts(id: string, fields: { firstNameEn: string; email: string | null; channels?: string[] }) {
    return {
      patientId: id,
      firstNameEn: fields.firstNameEn,
      lastNameEn: 'Test',
      firstNameAr: null,
      lastNameAr: null,
      dateOfBirth: '2012-03-04',
      email: fields.email,
      phone: null,
      preferredLanguage: 'en' as const,
      channels: (fields.channels ?? ['email']) as ('email' | 'sms')[],
      guardian: null,
    };
  }

  function meta(correlationId: string) {
    return { tenant: clinic.tenant, actor: 'test', correlationId };
  }

  /**
   * The session's snapshot, as its events carry it, from what the API shows of it (which has no time zone or version):
   * a version far ahead of the session's own, so a consumer takes it as the newest fact.
   */
  async function snapshotOf(sessionId: string, timezone: string): Promise<SessionSnapshot> {
    const session = (await clinic.reception.get(`/sessions/${sessionId}`)).body;
    return z.object(sessionSnapshotSchema.shape).parse({ ...session, sessionId: session.id, timezone, version: 1000 });
  }
});

/** The array when it has something in it (what `eventually` waits for). */
function nonEmpty<T>(items: T[]): T[] | null {
  return items.length > 0 ? items : null;
}
