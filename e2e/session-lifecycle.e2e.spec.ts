// Status rules, check-in prerequisites, completion and cancellation side effects, audit trail, and the events each
// change publishes: through the gateway, with every service running.
import { ConfirmationSent, Topics } from '@agdar/contracts';
import { eventually, KafkaReader, letSessionBegin, sql } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, createSoonSession, registerPatients, setUpClinic } from './support/clinic';
import { invoiceOf, priceServiceType } from './support/billing';
import { eventOf, publishEvents } from './support/kafka-producer';

describe('session lifecycle', () => {
  let platform: Platform;
  let clinic: ClinicFixture;
  let patients: string[];
  let next = 0;
  const patient = () => patients[next++];

  beforeAll(async () => {
    platform = await startPlatform();
    clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
    patients = await registerPatients(platform, clinic, 40);
  }, 120000);
  afterAll(async () => platform?.stop());

  const add = async (sessionId: string, patientId = patient()) => {
    const response = await clinic.reception.post(`/sessions/${sessionId}/add-patient`, { patientId });
    expect(response.status).toBe(201);
    return response.body;
  };
  const move = (sessionId: string, participantId: string, body: object) =>
    clinic.reception.patch(`/sessions/${sessionId}/participants/${participantId}`, body);
  /** The billing team takes the payment: billing publishes FinanceCleared and scheduling learns of it. */
  const clearFinance = async (participant: { appointmentNumber: string }) => {
    const invoice = await invoiceOf(clinic, participant.appointmentNumber, 'ISSUED');
    const paid = await clinic.billing.post(`/invoices/${invoice.id}/payments`, {
      amount: invoice.total,
      method: 'CASH',
    });
    expect(paid.status).toBe(201);
  };
  const participantOf = async (sessionId: string, participantId: string) =>
    (await clinic.reception.get(`/sessions/${sessionId}`)).body.participants.find(
      (p: { id: string }) => p.id === participantId,
    );

  it('blocks check-in naming what is missing, and allows it once consent and finance are cleared', async () => {
    const later = await createSession(clinic); // a month ahead: nobody checks in for it today
    const ahead = await move(later.id, (await add(later.id)).id, { status: 'ARRIVED' });
    expect({ status: ahead.status, code: ahead.body.code }).toEqual({ status: 409, code: 'TOO_EARLY' });
    const session = await createSoonSession(clinic);
    const booked = await add(session.id);
    expect((await move(session.id, booked.id, { status: 'CONFIRMED' })).body.status).toBe('CONFIRMED');

    const blocked = await move(session.id, booked.id, { status: 'ARRIVED' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('CHECK_IN_BLOCKED');
    expect(blocked.body.errors.map((e: { field: string }) => e.field)).toEqual(['financeCleared', 'consentVerified']);

    const consent = await clinic.reception.post(`/patients/${booked.patientId}/consents`, {
      kind: 'TREATMENT',
      grantedBy: 'Mona Test',
      relationship: 'mother',
    });
    expect(consent.status).toBe(201);
    await eventually(
      async () => (await participantOf(session.id, booked.id)).consentVerified,
      'consent to reach the participant',
    );
    const stillBlocked = await move(session.id, booked.id, { status: 'ARRIVED' });
    expect(stillBlocked.body.errors.map((e: { field: string }) => e.field)).toEqual(['financeCleared']);

    await clearFinance(booked);
    await eventually(
      async () => (await participantOf(session.id, booked.id)).canCheckIn,
      'finance clearance to reach the participant',
    );
    const arrived = await move(session.id, booked.id, { status: 'ARRIVED' });
    expect(arrived.status).toBe(200);
    expect(arrived.body.arrivalAt).not.toBeNull();

    const attended = await move(session.id, booked.id, { status: 'ATTENDED' });
    expect(attended.body).toMatchObject({ status: 'ATTENDED', attendedAt: expect.any(String) });
    const final = await clinic.reception.delete(
      `/sessions/${session.id}/participants/${booked.id}?reason=late&cancelledBy=PATIENT`,
    );
    expect(final.status).toBe(409);
    expect(final.body.code).toBe('INVALID_TRANSITION');
  });

  it("records when the participant's confirmation went out, the first time, in its history", async () => {
    const session = await createSession(clinic);
    const booked = await add(session.id);
    // The notification service announces it once the mail server accepted the confirmation.
    const first = await eventually(
      async () => (await participantOf(session.id, booked.id)).confirmationSentAt as string | null,
      'the confirmation to reach the participant',
    );
    // A second announcement (another channel, a resend) keeps the first time, and is not audited again.
    const meta = { tenant: clinic.tenant, actor: 'notification', correlationId: 'confirmation-test' };
    const [later] = await publishEvents(meta, [
      eventOf(ConfirmationSent, {
        participantId: booked.id,
        sessionId: session.id,
        patientId: booked.patientId,
        appointmentNumber: booked.appointmentNumber,
        channel: 'sms',
        sentAt: new Date(Date.parse(first) + 3600_000).toISOString(),
      }),
    ]);
    await eventually(
      async () =>
        (await sql(platform.scheduling.databaseUrl!, 'select 1 from processed_messages where message_id = $1', [later]))
          .length > 0,
      'scheduling to handle the second confirmation',
    );
    expect((await participantOf(session.id, booked.id)).confirmationSentAt).toBe(first);
    const history = (await clinic.admin.get(`/sessions/${session.id}/history`)).body.items;
    expect(history.filter((e: { action: string }) => e.action === 'CONFIRMATION_SENT')).toEqual([
      expect.objectContaining({ participantId: booked.id, actor: 'notification' }),
    ]);
  });

  it.each([
    ['BOOKED', 'ATTENDED'],
    ['NO_SHOW', 'CONFIRMED'],
    ['CANCELLED', 'CONFIRMED'],
  ])('refuses %s → %s with INVALID_TRANSITION and changes nothing', async (from, to) => {
    const session = await createSoonSession(clinic);
    const p = await add(session.id);
    // A no-show is recorded once the session has begun.
    if (from === 'NO_SHOW') {
      await clinic.provider.patch(`/sessions/${session.id}`, { status: 'IN_PROGRESS' });
      await letSessionBegin(platform.scheduling.databaseUrl!, session.id);
    }
    const seat = `/sessions/${session.id}/participants/${p.id}`;
    if (from === 'CANCELLED') await clinic.reception.delete(`${seat}?reason=x&cancelledBy=PATIENT`);
    else if (from !== 'BOOKED') expect((await move(session.id, p.id, { status: from })).status).toBe(200);
    const response = await move(session.id, p.id, { status: to });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('INVALID_TRANSITION');
    expect((await participantOf(session.id, p.id)).status).toBe(from);
  });

  it('records a no-show with its reason and notes, and refuses no-show fields for anyone else', async () => {
    const session = await createSoonSession(clinic);
    const p = await add(session.id);
    const refused = await move(session.id, p.id, { noShowReason: 'SICK' });
    expect(refused.status).toBe(400);
    const early = await move(session.id, p.id, { status: 'NO_SHOW' });
    expect({ status: early.status, code: early.body.code }).toEqual({ status: 409, code: 'TOO_EARLY' });
    // Started early, the session's patients are not late yet: an early start makes nobody a no-show.
    await clinic.provider.patch(`/sessions/${session.id}`, { status: 'IN_PROGRESS' });
    const startedEarly = await move(session.id, p.id, { status: 'NO_SHOW' });
    expect({ status: startedEarly.status, code: startedEarly.body.code }).toEqual({ status: 409, code: 'TOO_EARLY' });
    const hurried = await clinic.provider.patch(`/sessions/${session.id}`, { status: 'COMPLETED' });
    expect({ status: hurried.status, code: hurried.body.code }).toEqual({ status: 409, code: 'TOO_EARLY' });
    expect((await participantOf(session.id, p.id)).status).toBe('BOOKED');
    await letSessionBegin(platform.scheduling.databaseUrl!, session.id);
    const noShow = await move(session.id, p.id, {
      status: 'NO_SHOW',
      noShowReason: 'SICK',
      noShowNotes: 'Mother called at 9',
    });
    expect(noShow.body).toMatchObject({ status: 'NO_SHOW', noShowReason: 'SICK', noShowNotes: 'Mother called at 9' });
  });

  it('completing a session turns arrived into attended and the rest into no-shows; nobody can join after it started', async () => {
    const session = await createSoonSession(clinic);
    const arrived = await add(session.id);
    const booked = await add(session.id);
    const confirmed = await add(session.id);
    const removed = await add(session.id);
    await clinic.reception.post(`/patients/${arrived.patientId}/consents`, { kind: 'TREATMENT', grantedBy: 'Parent' });
    await clearFinance(arrived);
    await eventually(
      async () => (await participantOf(session.id, arrived.id)).canCheckIn,
      'the participant to be cleared',
    );
    await move(session.id, confirmed.id, { status: 'CONFIRMED' });
    await clinic.reception.delete(
      `/sessions/${session.id}/participants/${removed.id}?reason=moved%20away&cancelledBy=PATIENT`,
    );

    expect((await clinic.provider.patch(`/sessions/${session.id}`, { status: 'IN_PROGRESS' })).body.status).toBe(
      'IN_PROGRESS',
    );
    expect((await move(session.id, arrived.id, { status: 'ARRIVED' })).status).toBe(200);
    const late = await clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId: patient() });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('SESSION_NOT_OPEN');

    await letSessionBegin(platform.scheduling.databaseUrl!, session.id);
    const completed = await clinic.provider.patch(`/sessions/${session.id}`, { status: 'COMPLETED' });
    expect(completed.status).toBe(200);
    const byId = Object.fromEntries(completed.body.participants.map((p: { id: string }) => [p.id, p]));
    expect(byId[arrived.id]).toMatchObject({ status: 'ATTENDED', attendedAt: expect.any(String) });
    expect(byId[booked.id]).toMatchObject({ status: 'NO_SHOW', noShowReason: 'NOT_CHECKED_IN' });
    expect(byId[confirmed.id]).toMatchObject({ status: 'NO_SHOW', noShowReason: 'NOT_CHECKED_IN' });
    expect(byId[removed.id]).toMatchObject({ status: 'CANCELLED', cancellationReason: 'moved away' });

    const reopen = await clinic.provider.patch(`/sessions/${session.id}`, { status: 'CANCELLED', reason: 'too late' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.code).toBe('INVALID_TRANSITION');
  });

  it('cancelling a session cancels every active participant with the reason and frees all spots', async () => {
    const session = await createSession(clinic, { maxCapacity: 3 });
    await add(session.id);
    await add(session.id);
    const missingReason = await clinic.reception.patch(`/sessions/${session.id}`, { status: 'CANCELLED' });
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.errors[0].field).toBe('reason');

    const cancelled = await clinic.reception.patch(`/sessions/${session.id}`, {
      status: 'CANCELLED',
      reason: 'Therapist ill',
    });
    expect(cancelled.body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'Therapist ill',
      currentCapacity: 0,
      availableSpots: 3,
    });
    expect(cancelled.body.participants.map((p: { status: string; cancellationReason: string }) => p)).toEqual([
      expect.objectContaining({ status: 'CANCELLED', cancellationReason: 'Session cancelled: Therapist ill' }),
      expect.objectContaining({ status: 'CANCELLED', cancellationReason: 'Session cancelled: Therapist ill' }),
    ]);
  });

  it('changes capacity but never below the active participants, and only keeps INDIVIDUAL sessions at 1', async () => {
    const session = await createSession(clinic, { maxCapacity: 5 });
    await add(session.id);
    await add(session.id);
    await add(session.id);
    const below = await clinic.admin.patch(`/sessions/${session.id}`, { maxCapacity: 2 });
    expect(below.status).toBe(409);
    expect(below.body.code).toBe('CAPACITY_BELOW_ACTIVE');
    expect((await clinic.admin.patch(`/sessions/${session.id}`, { maxCapacity: 3 })).body).toMatchObject({
      maxCapacity: 3,
      isFull: true,
    });

    const individual = await createSession(clinic, { sessionType: 'INDIVIDUAL', maxCapacity: 1 });
    const grown = await clinic.admin.patch(`/sessions/${individual.id}`, { maxCapacity: 2 });
    expect(grown.status).toBe(409);
    expect(grown.body.code).toBe('INVALID_CAPACITY');
  });

  it('reschedules a session and its participants, keeping the clinic-local time and the UTC instants in step', async () => {
    const session = await createSession(clinic);
    await add(session.id);
    const moved = await clinic.reception.patch(`/sessions/${session.id}`, {
      scheduledTime: '16:15',
      durationMinutes: 90,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      scheduledTime: '16:15',
      durationMinutes: 90,
      startsAt: `${session.scheduledDate}T13:15:00.000Z`,
      endsAt: `${session.scheduledDate}T14:45:00.000Z`,
    });
  });

  it('lists group sessions with free spots for a clinic and period, and not the full or cancelled ones', async () => {
    const open = await createSession(clinic, { maxCapacity: 2 });
    const full = await createSession(clinic, { maxCapacity: 1 });
    await add(full.id);
    const from = open.scheduledDate < full.scheduledDate ? open.scheduledDate : full.scheduledDate;
    const to = open.scheduledDate > full.scheduledDate ? open.scheduledDate : full.scheduledDate;
    const response = await clinic.provider.get(`/sessions/available?clinicId=${clinic.clinicId}&from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const ids = response.body.items.map((s: { id: string }) => s.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(full.id);

    const listed = await clinic.provider.get(
      `/sessions?clinicId=${clinic.clinicId}&from=${from}&to=${to}&status=SCHEDULED`,
    );
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([open.id, full.id]));
  });

  it('keeps an audit trail of every change with actor and before/after', async () => {
    const session = await createSession(clinic);
    const p = await add(session.id);
    await clinic.provider.patch(`/sessions/${session.id}`, { groupNotes: 'Bring scissors' });
    await move(session.id, p.id, { individualNotes: 'Prefers left hand' });
    await clinic.provider.patch(`/sessions/${session.id}`, { groupNotes: 'Bring scissors' }); // no change: nothing recorded
    const history = await clinic.admin.get(`/sessions/${session.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ total: 4, page: 1, pageSize: 50 });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
      'SESSION_SCHEDULED',
      'PARTICIPANT_BOOKED',
      'SESSION_UPDATED',
      'PARTICIPANT_UPDATED',
    ]);
    expect(history.body.items[2]).toMatchObject({
      actor: 'user-provider',
      changes: { groupNotes: { before: null, after: 'Bring scissors' } },
    });
    expect(history.body.items[3]).toMatchObject({
      participantId: p.id,
      changes: { individualNotes: { before: null, after: 'Prefers left hand' } },
    });
    const second = await clinic.admin.get(`/sessions/${session.id}/history?page=2&pageSize=3`);
    expect(second.body.items.map((e: { action: string }) => e.action)).toEqual(['PARTICIPANT_UPDATED']);
    expect((await clinic.reception.get(`/sessions/${session.id}/history`)).status).toBe(403);
  });

  it('publishes exactly one event of the right type on the right topic for each change', async () => {
    const reader = await KafkaReader.start([Topics.sessions.name, Topics.participants.name]);
    const session = await createSoonSession(clinic, { maxCapacity: 2 });
    const first = await add(session.id);
    await add(session.id); // fills it
    await clinic.reception.delete(
      `/sessions/${session.id}/participants/${first.id}?reason=changed%20plans&cancelledBy=PATIENT`,
    ); // frees a spot
    await clinic.reception.patch(`/sessions/${session.id}`, { groupNotes: 'Snack break at 10:30' });
    await clinic.reception.patch(`/sessions/${session.id}`, { durationMinutes: 45 });
    await clinic.provider.patch(`/sessions/${session.id}`, { status: 'IN_PROGRESS' });
    await letSessionBegin(platform.scheduling.databaseUrl!, session.id);
    await clinic.provider.patch(`/sessions/${session.id}`, { status: 'COMPLETED' });

    const expected = [
      ['scheduling.sessions.v1', 'SessionScheduled'],
      ['scheduling.participants.v1', 'ParticipantBooked'],
      ['scheduling.participants.v1', 'ParticipantBooked'],
      ['scheduling.sessions.v1', 'SessionFull'],
      ['scheduling.participants.v1', 'ParticipantCancelled'],
      ['scheduling.sessions.v1', 'SpotOpened'],
      ['scheduling.sessions.v1', 'SessionUpdated'],
      ['scheduling.sessions.v1', 'SessionRescheduled'],
      ['scheduling.sessions.v1', 'SessionStarted'],
      ['scheduling.participants.v1', 'ParticipantStatusChanged'],
      ['scheduling.sessions.v1', 'SessionCompleted'],
    ];
    const ofSession = (m: { value: { data?: { session?: { sessionId: string } } } }) =>
      m.value.data?.session?.sessionId === session.id;
    await reader.waitFor(ofSession, expected.length);
    await new Promise((r) => setTimeout(r, 1000)); // anything extra would arrive now
    await reader.stop();
    const seen = reader.messages.filter(ofSession);
    expect(seen.map((m) => [m.topic, m.value.type]).sort()).toEqual(expected.sort());
    for (const m of seen) {
      expect(m.key).toBe(session.id);
      expect(m.value).toMatchObject({
        tenant: clinic.tenant,
        version: 1,
        data: { session: { sessionNumber: session.sessionNumber, serviceTypeId: clinic.serviceTypeId } },
      });
    }
    const booked = seen.find((m) => m.value.type === 'ParticipantBooked')!;
    expect(booked.value.data).toMatchObject({
      appointmentNumber: expect.stringMatching(/^APT-/),
      patientId: expect.any(String),
    });
  });
});
