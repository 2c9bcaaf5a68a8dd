// What each kind of change writes besides itself, against the real scheduling service and its database: the audit
// rows and the outbox rows, all in the change's one transaction (outbox rows share the transaction's now(), and every
// row carries the request's correlation id). Refused and no-op changes write neither.
import { randomUUID } from 'node:crypto';
import {
  ApiClient,
  clinicDateTime,
  daysFromToday,
  dataServiceEnv,
  letSessionBegin,
  sql,
  StartedService,
  startService,
} from '@agdar/testing';
import { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRecorded } from '@agdar/contracts';
import { buildEnvelope } from '@agdar/messaging';
import { EventContext } from '@agdar/service-kit';
import { recordConsent } from '../src/patients/patients.projection';
import { startSchedulingService } from '../src/scheduling-service';

interface Written {
  audit: string[];
  outbox: string[];
}

describe('the audit and outbox rows of each change', () => {
  let service: StartedService;
  let admin: ApiClient;
  let reception: ApiClient;
  let provider: ApiClient;
  const tenant = `S${randomUUID().slice(0, 6).toUpperCase()}`;
  const refs = { clinicId: '', roomIds: [] as string[], providerId: '', serviceTypeId: '' };
  const patients = Array.from({ length: 4 }, () => randomUUID());
  let day = 0;
  let soonSlot = 0;
  /** The clinic-local date and time of a start within the next day, an hour and more apart for each session. */
  const soonTime = () => clinicDateTime(new Date(Date.now() + (120 + soonSlot++ * 65) * 60000));

  const db = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    sql<T>(service.databaseUrl!, text, params);

  beforeAll(async () => {
    service = await startService(startSchedulingService, dataServiceEnv('scheduling'));
    const api = new ApiClient(service.url);
    const created = await api.asRole('PLATFORM', 'platform-admin').post('/tenants', {
      code: tenant,
      name: 'Audit',
      timezone: 'Asia/Riyadh',
      currency: 'SAR',
      vatRate: 0.15,
      earlyStartMinutes: 1440, // so a test may start a session scheduled later today
    });
    expect(created.status).toBe(201);
    admin = api.asRole(tenant, 'admin');
    reception = api.asRole(tenant, 'reception');
    provider = api.asRole(tenant, 'provider');
    refs.clinicId = (await admin.post('/clinics', { name: 'Olaya', timezone: 'Asia/Riyadh' })).body.id;
    for (const name of ['Room 1', 'Room 2']) {
      refs.roomIds.push((await admin.post('/rooms', { clinicId: refs.clinicId, name })).body.id);
    }
    refs.providerId = (await admin.post('/providers', { name: 'Therapist' })).body.id;
    refs.serviceTypeId = (await admin.post('/service-types', { name: 'Group OT', code: 'OT_GROUP' })).body.id;
    // The patients as scheduling knows them (its projection), with verified consent.
    for (const id of patients) {
      await db(
        `insert into patients (id, tenant, display_name, consent_verified, updated_at)
         values ($1, $2, 'Patient', true, now())`,
        [id, tenant],
      );
    }
  });
  afterAll(async () => service?.dispose());

  /** Runs one request with its own correlation id and returns what it answered and the rows it wrote. */
  async function change(request: (headers: Record<string, string>) => Promise<{ status: number; body: any }>) {
    const correlationId = `change-${randomUUID()}`;
    const response = await request({ 'x-correlation-id': correlationId });
    const audit = await db<{ action: string; correlation_id: string }>(
      'select action, correlation_id from audit_entries where correlation_id = $1 order by id',
      [correlationId],
    );
    const outbox = await db<{ type: string; created_at: Date }>(
      `select envelope->>'type' as type, created_at from outbox_messages
       where envelope->>'correlationId' = $1 order by position`,
      [correlationId],
    );
    // One transaction: every outbox row has that transaction's now().
    expect(new Set(outbox.map((r) => r.created_at.toISOString())).size).toBeLessThanOrEqual(1);
    const written: Written = { audit: audit.map((r) => r.action), outbox: outbox.map((r) => r.type) };
    return { response, written };
  }

  /** A session 20+ days ahead, or (soon) one starting within the day, which the tenant lets start early. */
  const newSession = async (maxCapacity: number, soon = false) => {
    const body = {
      sessionType: 'GROUP',
      maxCapacity,
      providerId: refs.providerId,
      clinicId: refs.clinicId,
      roomId: refs.roomIds[0],
      serviceTypeId: refs.serviceTypeId,
      ...(soon ? soonTime() : { scheduledDate: daysFromToday(20 + day++), scheduledTime: '10:00' }),
      durationMinutes: 60,
    };
    return change((h) => reception.post('/sessions', body, h));
  };
  /** Books the patient, then clears the seat's payment as billing's FinanceCleared would, ready for check-in. */
  const book = async (sessionId: string, patientId: string) => {
    const booked = await change((h) => reception.post(`/sessions/${sessionId}/add-patient`, { patientId }, h));
    if (booked.response.status === 201)
      await db('update participants set finance_cleared = true where id = $1', [booked.response.body.id]);
    return booked;
  };

  it('creating, booking, filling, noting, raising capacity and rescheduling', async () => {
    const created = await newSession(2);
    expect(created.written).toEqual({ audit: ['SESSION_SCHEDULED'], outbox: ['SessionScheduled'] });
    const id = created.response.body.id;

    expect((await book(id, patients[0])).written).toEqual({
      audit: ['PARTICIPANT_BOOKED'],
      outbox: ['ParticipantBooked'],
    });
    const filling = await book(id, patients[1]);
    expect(filling.written).toEqual({ audit: ['PARTICIPANT_BOOKED'], outbox: ['ParticipantBooked', 'SessionFull'] });

    const refused = await book(id, patients[2]);
    expect(refused.response.body.code).toBe('SESSION_FULL');
    expect(refused.written).toEqual({ audit: [], outbox: [] });

    const notes = await change((h) => provider.patch(`/sessions/${id}`, { groupNotes: 'Bring scissors' }, h));
    expect(notes.written).toEqual({ audit: ['SESSION_UPDATED'], outbox: ['SessionUpdated'] });
    const same = await change((h) => provider.patch(`/sessions/${id}`, { groupNotes: 'Bring scissors' }, h));
    expect(same.written).toEqual({ audit: [], outbox: [] });

    const raised = await change((h) => reception.patch(`/sessions/${id}`, { maxCapacity: 3 }, h));
    expect(raised.written).toEqual({ audit: ['SESSION_UPDATED'], outbox: ['SessionUpdated', 'SpotOpened'] });

    const moved = await change((h) => reception.patch(`/sessions/${id}`, { scheduledTime: '11:00' }, h));
    expect(moved.written).toEqual({ audit: ['SESSION_RESCHEDULED'], outbox: ['SessionRescheduled'] });
  });

  it("a participant's notes, confirmation, check-in and removal from a full session", async () => {
    const id = (await newSession(2, true)).response.body.id;
    const first = (await book(id, patients[0])).response.body.id;
    const second = (await book(id, patients[1])).response.body.id;
    const path = (pid: string) => `/sessions/${id}/participants/${pid}`;

    const noted = await change((h) => provider.patch(path(first), { individualNotes: 'Left-handed' }, h));
    expect(noted.written).toEqual({ audit: ['PARTICIPANT_UPDATED'], outbox: ['ParticipantUpdated'] });
    const confirmed = await change((h) => reception.patch(path(first), { status: 'CONFIRMED' }, h));
    expect(confirmed.written).toEqual({ audit: ['PARTICIPANT_CONFIRMED'], outbox: ['ParticipantStatusChanged'] });
    const arrived = await change((h) => reception.patch(path(first), { status: 'ARRIVED' }, h));
    expect(arrived.written).toEqual({ audit: ['PARTICIPANT_ARRIVED'], outbox: ['ParticipantStatusChanged'] });
    const invalid = await change((h) => reception.patch(path(first), { status: 'BOOKED' as never }, h));
    expect(invalid.response.status).toBe(400);
    expect(invalid.written).toEqual({ audit: [], outbox: [] });

    const removed = await change((h) => reception.delete(`${path(second)}?reason=Moved%20away&cancelledBy=PATIENT`, h));
    expect(removed.written).toEqual({
      audit: ['PARTICIPANT_CANCELLED'],
      outbox: ['ParticipantCancelled', 'SpotOpened'],
    });
  });

  it('starting and completing a session settles every participant in the same transaction', async () => {
    const id = (await newSession(3, true)).response.body.id;
    const arrivedId = (await book(id, patients[0])).response.body.id;
    await book(id, patients[1]);
    await reception.patch(`/sessions/${id}/participants/${arrivedId}`, { status: 'ARRIVED' });

    const started = await change((h) => provider.patch(`/sessions/${id}`, { status: 'IN_PROGRESS' }, h));
    expect(started.written).toEqual({ audit: ['SESSION_STARTED'], outbox: ['SessionStarted'] });
    // Started early, it cannot be completed yet: the patient not checked in would become a no-show before the grace.
    const hurried = await change((h) => provider.patch(`/sessions/${id}`, { status: 'COMPLETED' }, h));
    expect({ status: hurried.response.status, code: hurried.response.body.code }).toEqual({
      status: 409,
      code: 'TOO_EARLY',
    });
    expect(hurried.written).toEqual({ audit: [], outbox: [] });
    await letSessionBegin(service.databaseUrl!, id);
    const completed = await change((h) => provider.patch(`/sessions/${id}`, { status: 'COMPLETED' }, h));
    expect(completed.written.audit.sort()).toEqual([
      'PARTICIPANT_ATTENDED',
      'PARTICIPANT_NO_SHOW',
      'SESSION_COMPLETED',
    ]);
    expect(completed.written.outbox).toEqual([
      'ParticipantStatusChanged',
      'ParticipantStatusChanged',
      'SessionCompleted',
    ]);
  });

  it('cancelling a session cancels its active participants, each audited and published', async () => {
    const id = (await newSession(3)).response.body.id;
    await book(id, patients[2]);
    await book(id, patients[3]);
    const cancelled = await change((h) =>
      reception.patch(`/sessions/${id}`, { status: 'CANCELLED', reason: 'Ill' }, h),
    );
    expect(cancelled.written).toEqual({
      audit: ['PARTICIPANT_CANCELLED', 'PARTICIPANT_CANCELLED', 'SESSION_CANCELLED'],
      outbox: ['ParticipantCancelled', 'ParticipantCancelled', 'SessionCancelled'],
    });
  });

  it('refuses check-in weeks ahead and a no-show before the grace after the start, writing nothing', async () => {
    const later = (await newSession(1)).response.body.id;
    const seat = (await book(later, patients[0])).response.body.id;
    const checkIn = await change((h) =>
      reception.patch(`/sessions/${later}/participants/${seat}`, { status: 'ARRIVED' }, h),
    );
    expect([checkIn.response.status, checkIn.response.body.code, checkIn.written]).toEqual([
      409,
      'TOO_EARLY',
      { audit: [], outbox: [] },
    ]);
    const today = (await newSession(1, true)).response.body.id;
    const other = (await book(today, patients[1])).response.body.id;
    await provider.patch(`/sessions/${today}`, { status: 'IN_PROGRESS' });
    await letSessionBegin(service.databaseUrl!, today, 5); // 5 minutes into it; the grace is 15
    const noShow = await change((h) =>
      provider.patch(`/sessions/${today}/participants/${other}`, { status: 'NO_SHOW' }, h),
    );
    expect([noShow.response.status, noShow.response.body.code, noShow.written]).toEqual([
      409,
      'TOO_EARLY',
      { audit: [], outbox: [] },
    ]);
    expect(noShow.response.body.detail).toMatch(/can be marked NO_SHOW from .* \(Asia\/Riyadh\); try again then\./);
  });

  it('cancelling a session in progress reaches only the seats still open; outcomes stay final', async () => {
    const id = (await newSession(4, true)).response.body.id;
    const seats = [];
    for (const patient of patients.slice(0, 4)) seats.push((await book(id, patient)).response.body.id);
    const [attended, noShow, arrived] = seats;
    const move = (pid: string, status: string) => reception.patch(`/sessions/${id}/participants/${pid}`, { status });
    await move(attended, 'ARRIVED');
    await move(attended, 'ATTENDED');
    await move(arrived, 'ARRIVED');
    await provider.patch(`/sessions/${id}`, { status: 'IN_PROGRESS' });
    await letSessionBegin(service.databaseUrl!, id);
    expect((await move(noShow, 'NO_SHOW')).status).toBe(200);

    const cancelled = await change((h) =>
      reception.patch(`/sessions/${id}`, { status: 'CANCELLED', reason: 'Fire' }, h),
    );
    expect(cancelled.written).toEqual({
      audit: ['PARTICIPANT_CANCELLED', 'PARTICIPANT_CANCELLED', 'SESSION_CANCELLED'],
      outbox: ['ParticipantCancelled', 'ParticipantCancelled', 'SessionCancelled'],
    });
    const byId = Object.fromEntries(
      cancelled.response.body.participants.map((p: { id: string; status: string; cancelledBy: string | null }) => [
        p.id,
        `${p.status} ${p.cancelledBy}`,
      ]),
    );
    expect(seats.map((pid) => byId[pid])).toEqual([
      'ATTENDED null',
      'NO_SHOW null',
      'CANCELLED CLINIC',
      'CANCELLED CLINIC',
    ]);
    const told = await db<{ cancelled_by: string }>(
      `select envelope->'data'->>'cancelledBy' as cancelled_by from outbox_messages
       where envelope->>'type' = 'ParticipantCancelled' and envelope->'data'->'session'->>'sessionId' = $1`,
      [id],
    );
    expect(told.map((t) => t.cancelled_by)).toEqual(['CLINIC', 'CLINIC']);
  });

  describe('seat accounting by status: every status but CANCELLED holds its seat', () => {
    const movesTo: Record<string, string[]> = {
      BOOKED: [],
      CONFIRMED: ['CONFIRMED'],
      ARRIVED: ['ARRIVED'],
      ATTENDED: ['ARRIVED', 'ATTENDED'],
      NO_SHOW: ['NO_SHOW'],
      CANCELLED: ['CANCELLED'],
    };
    it.each(Object.keys(movesTo).map((status) => [status, status !== 'CANCELLED'] as const))(
      'a %s participant holds the only seat: %s',
      async (status, holds) => {
        // Check-in opens when the session may start, so every seat is tried on a session of today; a no-show is
        // recorded once its time (and the grace) has come.
        const session = (await newSession(1, true)).response.body;
        const pid = (await book(session.id, patients[0])).response.body.id;
        if (status === 'NO_SHOW') {
          await provider.patch(`/sessions/${session.id}`, { status: 'IN_PROGRESS' });
          await letSessionBegin(service.databaseUrl!, session.id);
          session.scheduledDate = (await reception.get(`/sessions/${session.id}`)).body.scheduledDate;
        }
        const seat = `/sessions/${session.id}/participants/${pid}`;
        for (const to of movesTo[status]) {
          const moved =
            to === 'CANCELLED'
              ? await reception.delete(`${seat}?reason=Changed%20plans&cancelledBy=PATIENT`)
              : await reception.patch(seat, { status: to });
          expect({ to, status: moved.status }).toEqual({ to, status: 200 });
        }
        const detail = (await reception.get(`/sessions/${session.id}`)).body;
        expect(detail.participants.map((p: { status: string }) => p.status)).toEqual([status]);
        expect({ current: detail.currentCapacity, spots: detail.availableSpots, full: detail.isFull }).toEqual(
          holds ? { current: 1, spots: 0, full: true } : { current: 0, spots: 1, full: false },
        );
        const available = await reception.get(
          `/sessions/available?clinicId=${refs.clinicId}&from=${detail.scheduledDate}&to=${detail.scheduledDate}`,
        );
        // Other tests' sessions may share the day (near midnight in Riyadh, "soon" is tomorrow): only this one counts.
        const listed = available.body.items.some((s: { id: string }) => s.id === session.id);
        expect(listed).toBe(!holds);
        const another = await reception.post(`/sessions/${session.id}/add-patient`, { patientId: patients[1] });
        const refusal = status === 'NO_SHOW' ? 'SESSION_NOT_OPEN' : 'SESSION_FULL'; // a started session takes nobody
        expect(another.status === 201 ? 'booked' : another.body.code).toBe(holds ? refusal : 'booked');
      },
    );
  });
  it("numbers every fact of a session and its seats with the session's next version, in the order written", async () => {
    const id = (await newSession(3)).response.body.id;
    await book(id, patients[0]);
    await book(id, patients[1]);
    await change((h) => reception.patch(`/sessions/${id}`, { scheduledTime: '11:00', groupNotes: 'Moved' }, h));
    await change((h) => reception.patch(`/sessions/${id}`, { status: 'CANCELLED', reason: 'Therapist ill' }, h));
    const facts = await db<{ type: string; version: number }>(
      `select envelope->>'type' as type, (envelope->'data'->'session'->>'version')::int as version
       from outbox_messages where envelope->'data'->'session'->>'sessionId' = $1 order by position`,
      [id],
    );
    expect(facts.map((f) => f.version)).toEqual(facts.map((_, i) => i + 1));
    expect(facts.map((f) => f.type)).toEqual([
      'SessionScheduled',
      'ParticipantBooked',
      'ParticipantBooked',
      'SessionUpdated',
      'SessionRescheduled',
      'ParticipantCancelled',
      'ParticipantCancelled',
      'SessionCancelled',
    ]);
    expect((await db<{ version: number }>('select version from sessions where id = $1', [id]))[0].version).toBe(8);
  });

  it('keeps a consent recorded while a booking of the patient is in flight: the new seat is consent-verified', async () => {
    const patient = randomUUID();
    await db(
      `insert into patients (id, tenant, display_name, consent_verified, updated_at)
       values ($1, $2, 'Racing', false, now())`,
      [patient, tenant],
    );
    const id = (await newSession(3)).response.body.id;
    // Widens the window: the booking's seat is written 300 ms after the booking read the patient's flags.
    await db(`create or replace function slow_seat() returns trigger language plpgsql as
      $$ begin perform pg_sleep(0.3); return new; end $$`);
    await db(`create trigger slow_seat before insert on participants for each row execute function slow_seat()`);
    try {
      const booking = book(id, patient);
      await new Promise((r) => setTimeout(r, 100));
      const consent = buildEnvelope(
        ConsentRecorded,
        { patientId: patient, consentId: randomUUID(), kind: 'TREATMENT', grantedBy: 'Guardian', verified: true },
        { tenant, actor: 'participant', correlationId: 'consent-race' },
      );
      await (service.runtime.orm!.em.fork() as EntityManager).transactional((em) =>
        recordConsent(new EventContext([em, consent]), consent.data),
      );
      expect((await booking).response.status).toBe(201);
    } finally {
      await db(`drop trigger slow_seat on participants`);
    }
    const seats = await db<{ consent_verified: boolean }>(
      'select consent_verified from participants where session_id = $1 and patient_id = $2',
      [id, patient],
    );
    expect(seats).toEqual([{ consent_verified: true }]);
  });
});
