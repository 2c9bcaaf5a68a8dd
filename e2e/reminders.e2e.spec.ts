// Reminders on BullMQ at the tenant's offsets, here set in seconds so they fire during the test: each once, moved
// with the session, dropped for a cancelled seat or session. Against the real services, Kafka, Redis and MailDev.
import { clinicDateTime, eventually } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, setUpClinic, untilSchedulingKnows } from './support/clinic';
import { addressOf, calendarOf, deliveriesOf, mailInbox } from './support/notifications';

describe('reminders', () => {
  let platform: Platform;
  let clinic: ClinicFixture;
  const mail = mailInbox();

  beforeAll(async () => {
    platform = await startPlatform();
    clinic = await setUpClinic(platform);
  }, 120000);
  afterAll(async () => platform?.stop());

  const register = async (who: string): Promise<string> => {
    const response = await clinic.reception.post('/patients', {
      firstNameEn: who,
      lastNameEn: 'Test',
      dateOfBirth: '2013-01-02',
      email: addressOf(clinic, who.toLowerCase()),
    });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const book = async (sessionId: string, patientId: string) => {
    const response = await clinic.reception.post(`/sessions/${sessionId}/add-patient`, { patientId });
    expect(response.status).toBe(201);
    return response.body as { id: string; appointmentNumber: string };
  };
  const kindsTo = async (who: string) =>
    (await mail.to(addressOf(clinic, who))).map((m) => m.subject.split(':')[0]).sort();

  it('validates the settings and keeps them to the admin', async () => {
    expect((await clinic.reception.get('/notifications/settings')).status).toBe(403);
    expect((await clinic.admin.get('/notifications/settings')).body).toMatchObject({
      reminderOffsetsMinutes: [1440, 120],
      quietHoursStart: null,
      timezone: 'Asia/Riyadh',
    });
    const bad = await clinic.admin.put('/notifications/settings', {
      reminderOffsetsMinutes: [0.001, 60, 60],
      quietHoursStart: '21:00',
      quietHoursEnd: null,
      staffEmail: 'not-an-address',
    });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'quietHoursEnd',
      'reminderOffsetsMinutes',
      'reminderOffsetsMinutes.0',
      'staffEmail',
    ]);
    // Offsets are kept as whole seconds: these two are one, which once passed and then failed every booking event of
    // the tenant (two reminders with one id), each holding its partition for seconds of retries.
    const colliding = await clinic.admin.put('/notifications/settings', {
      reminderOffsetsMinutes: [60, 60.000000001],
      quietHoursStart: null,
      quietHoursEnd: null,
      staffEmail: null,
    });
    expect(colliding.status).toBe(400);
    expect(colliding.body.errors).toEqual([
      expect.objectContaining({ field: 'reminderOffsetsMinutes', message: 'must not repeat an offset' }),
    ]);
  });

  it('sends each reminder once at its time, moves them with the session, and drops them for cancelled seats and sessions', async () => {
    const who = ['Alia', 'Basma', 'Cyrus', 'Dana', 'Eman', 'Farah'];
    const ids = await Promise.all(who.map(register));
    await untilSchedulingKnows(platform, ids);
    // Three sessions starting at the same minute, two to three minutes from now, in three rooms with three therapists.
    const startsAt = new Date(Math.ceil((Date.now() + 150_000) / 60_000) * 60_000);
    const at = clinicDateTime(startsAt);
    const room = (await clinic.admin.post('/rooms', { clinicId: clinic.clinicId, name: 'Room 4' })).body.id;
    const therapist = (await clinic.admin.post('/providers', { name: 'Fourth therapist' })).body.id;
    const rooms = [...clinic.roomIds.slice(0, 3), room];
    const therapists = [...clinic.providerIds.slice(0, 3), therapist];
    const [a, b, c, d] = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        createSession(clinic, { ...at, roomId: rooms[i], providerId: therapists[i], maxCapacity: 5 }),
      ),
    );
    // Reminders 20 and 30 seconds from now: offsets of whole seconds before the common start.
    const first = Math.floor((startsAt.getTime() - Date.now()) / 1000) - 20;
    const offsets = [first, first - 10].map((s) => s / 60);
    const set = await clinic.admin.put('/notifications/settings', {
      reminderOffsetsMinutes: offsets,
      quietHoursStart: null,
      quietHoursEnd: null,
      staffEmail: addressOf(clinic, 'staff'),
    });
    expect(set.status).toBe(200);
    const fireAt = offsets.map((m) => startsAt.getTime() - m * 60_000);

    await book(a.id, ids[0]); // Alia: keeps her seat
    const basma = await book(a.id, ids[1]); // Basma: cancels
    await book(b.id, ids[2]); // Cyrus: his session moves a minute later
    await book(c.id, ids[3]); // Dana and Eman: their session is cancelled
    await book(c.id, ids[4]);
    await book(d.id, ids[5]); // Farah: her session moves two minutes later, then back
    // Everyone's confirmation is out before anything changes: a move is told only to a family that was told a time
    // (one known before the confirmation goes is simply in it), and a seat cancelled before gets no stale confirmation.
    for (const name of who) {
      await eventually(async () => (await kindsTo(name.toLowerCase())).length === 1, `${name}’s confirmation`);
    }
    const cancel = await clinic.reception.delete(
      `/sessions/${a.id}/participants/${basma.id}?reason=Family%20travel&cancelledBy=PATIENT`,
    );
    expect(cancel.status).toBe(200);
    const moved = new Date(startsAt.getTime() + 60_000);
    expect((await clinic.reception.patch(`/sessions/${b.id}`, clinicDateTime(moved))).status).toBe(200);
    const away = new Date(startsAt.getTime() + 120_000);
    expect((await clinic.reception.patch(`/sessions/${d.id}`, clinicDateTime(away))).status).toBe(200);
    // Moved back once the first move was told (moved and back before that, nothing new would be told at all).
    await eventually(async () => (await kindsTo('farah')).length === 2, 'Farah’s first move to be told');
    expect((await clinic.reception.patch(`/sessions/${d.id}`, clinicDateTime(startsAt))).status).toBe(200);
    expect(
      (await clinic.reception.patch(`/sessions/${c.id}`, { status: 'CANCELLED', reason: 'Room flooded' })).status,
    ).toBe(200);

    const expected: Record<string, string[]> = {
      alia: ['Appointment confirmed', 'Reminder', 'Reminder'],
      basma: ['Appointment cancelled', 'Appointment confirmed'],
      cyrus: ['Appointment confirmed', 'Appointment moved', 'Reminder', 'Reminder'],
      dana: ['Appointment confirmed', 'Session cancelled by the clinic'],
      eman: ['Appointment confirmed', 'Session cancelled by the clinic'],
      farah: ['Appointment confirmed', 'Appointment moved', 'Appointment moved', 'Reminder', 'Reminder'],
    };
    await eventually(async () => (await kindsTo('cyrus')).length === 4, 'Cyrus’s reminders at the new time', 150_000);
    // Long enough after every reminder's time for one sent twice to have arrived.
    await new Promise((r) => setTimeout(r, 3000));
    for (const [name, kinds] of Object.entries(expected)) expect([name, await kindsTo(name)]).toEqual([name, kinds]);

    const log = await deliveriesOf(clinic, { kind: 'REMINDER' });
    const sentAt = (appointment: string) =>
      log.filter((d) => d.appointmentNumber === appointment).map((d) => Date.parse(d.sentAt!));
    const cyrus = (await clinic.reception.get(`/sessions/${b.id}`)).body.participants[0].appointmentNumber;
    const alia = (await clinic.reception.get(`/sessions/${a.id}`)).body.participants.find(
      (p: { status: string }) => p.status !== 'CANCELLED',
    ).appointmentNumber;
    const farah = (await clinic.reception.get(`/sessions/${d.id}`)).body.participants[0].appointmentNumber;
    // Alia's at the first times; Cyrus's only at the times of the new start; Farah's at the first times again.
    expect(sentAt(alia).every((t) => t >= Math.min(...fireAt))).toBe(true);
    expect(sentAt(farah)).toHaveLength(2);
    expect(sentAt(farah).every((t) => t >= Math.min(...fireAt) && t < Math.min(...fireAt) + 60_000)).toBe(true);
    expect(sentAt(cyrus).every((t) => t >= Math.min(...fireAt) + 60_000)).toBe(true);

    // A reminder is not transactional: it says how to stop them. The move superseded the invitation (SEQUENCE 1).
    const [reminder] = (await mail.to(addressOf(clinic, 'cyrus'))).filter((m) => m.subject.startsWith('Reminder'));
    expect(reminder.headers['list-unsubscribe']).toMatch(/^<mailto:/);
    const move = (await mail.to(addressOf(clinic, 'cyrus'))).find((m) => m.subject.startsWith('Appointment moved'))!;
    expect(calendarOf((await mail.calendar(move))!)).toMatchObject({ method: 'REQUEST', sequence: 1 });
    const cancelled = (await mail.to(addressOf(clinic, 'basma'))).find((m) => m.subject.startsWith('Appointment can'))!;
    expect(calendarOf((await mail.calendar(cancelled))!)).toMatchObject({ method: 'CANCEL', sequence: 1 });

    expect(await deliveriesOf(clinic, { status: 'FAILED' })).toEqual([]);
  }, 240_000);

  it('tells the staff address when a session fills and when a spot opens', async () => {
    const ids = await Promise.all(['Fahd', 'Ghada'].map(register));
    await untilSchedulingKnows(platform, ids);
    const session = await createSession(clinic, { maxCapacity: 2 });
    await book(session.id, ids[0]);
    const second = await book(session.id, ids[1]);
    await clinic.reception.delete(`/sessions/${session.id}/participants/${second.id}?reason=Ill&cancelledBy=PATIENT`);
    await eventually(
      async () =>
        (await mail.to(addressOf(clinic, 'staff'))).filter((m) => m.subject.includes(session.sessionNumber)).length ===
        2,
      'two notes to the staff',
    );
    const notes = (await mail.to(addressOf(clinic, 'staff'))).filter((m) => m.subject.includes(session.sessionNumber));
    expect(notes.map((m) => m.subject.split(':')[0]).sort()).toEqual(['Session full', 'Spot opened']);
    expect(notes[0].subject).toMatch(/\|/); // English | Arabic
    expect(notes[0].html).toContain('dir="rtl"');
  });
});
