// Capacity, enrolment and overlaps hold however many requests race: the session row lock serialises bookings,
// and the database's exclusion constraints refuse overlaps that slip past the checks.
import { sql } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, registerPatients, sessionBody, setUpClinic } from './support/clinic';

describe('booking under concurrency', () => {
  let platform: Platform;
  let clinic: ClinicFixture;
  let patients: string[];

  beforeAll(async () => {
    platform = await startPlatform({ RATE_LIMIT_PER_MINUTE: '100000' });
    clinic = await setUpClinic(platform);
    patients = await registerPatients(platform, clinic, 200);
  }, 180000);
  afterAll(async () => platform?.stop());

  const statusCounts = (responses: { status: number; body: any }[]) =>
    responses.reduce<Record<string, number>>((acc, r) => {
      const key = r.status === 201 || r.status === 200 ? String(r.status) : `${r.status} ${r.body.code}`;
      acc[key] = (acc[key] ?? 0) + 1;
      return acc;
    }, {});

  it('books exactly 20 of 200 concurrent requests into a capacity-20 session, each with its own number', async () => {
    const session = await createSession(clinic, { maxCapacity: 20 });
    const responses = await Promise.all(
      patients.map((patientId) => clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId })),
    );

    expect(statusCounts(responses)).toEqual({ '201': 20, '409 SESSION_FULL': 180 });
    const numbers = responses.filter((r) => r.status === 201).map((r) => r.body.appointmentNumber);
    expect(new Set(numbers).size).toBe(20);
    const detail = await clinic.reception.get(`/sessions/${session.id}`);
    expect(detail.body).toMatchObject({
      currentCapacity: 20,
      availableSpots: 0,
      isFull: true,
      capacityPercentage: 100,
    });
    expect(detail.body.participants).toHaveLength(20);
  }, 120000);

  it('never holds more active participants than capacity while bookings race capacity changes and cancellations', async () => {
    const session = await createSession(clinic, { maxCapacity: 20 });
    const booked = [];
    for (const patientId of patients.slice(0, 12))
      booked.push((await clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId })).body);

    let racing = true;
    const samples: { max_capacity: number; active: string }[] = [];
    const sampler = (async () => {
      while (racing) {
        samples.push(
          ...(await sql<{ max_capacity: number; active: string }>(
            platform.scheduling.databaseUrl!,
            `select s.max_capacity, (select count(*) from participants p where p.session_id = s.id and p.status <> 'CANCELLED') as active
             from sessions s where s.id = $1`,
            [session.id],
          )),
        );
      }
    })();

    const bookings = patients
      .slice(12, 112)
      .map((patientId) => clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId }));
    const cancellations = booked
      .slice(0, 6)
      .map((p) =>
        clinic.reception.delete(
          `/sessions/${session.id}/participants/${p.id}?reason=family%20request&cancelledBy=PATIENT`,
        ),
      );
    const capacityChanges = [14, 18, 12, 20, 16, 19].map((maxCapacity) =>
      clinic.admin.patch(`/sessions/${session.id}`, { maxCapacity }),
    );
    const responses = await Promise.all([...bookings, ...cancellations, ...capacityChanges]);
    racing = false;
    await sampler;

    const counts = statusCounts(responses);
    expect(
      Object.keys(counts).every((k) => ['200', '201', '409 SESSION_FULL', '409 CAPACITY_BELOW_ACTIVE'].includes(k)),
    ).toBe(true);
    expect(counts['200']).toBeGreaterThanOrEqual(6);
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) expect(Number(sample.active)).toBeLessThanOrEqual(sample.max_capacity);

    const detail = await clinic.reception.get(`/sessions/${session.id}`);
    expect(detail.body.currentCapacity).toBeLessThanOrEqual(detail.body.maxCapacity);
    const booked201 = responses.filter((r) => r.status === 201).length;
    expect(detail.body.currentCapacity).toBe(12 - 6 + booked201);
  }, 120000);

  it('enrols the same patient once when two requests race', async () => {
    const session = await createSession(clinic, { maxCapacity: 10 });
    const responses = await Promise.all(
      [0, 1].map(() => clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId: patients[150] })),
    );
    expect(statusCounts(responses)).toEqual({ '201': 1, '409 ALREADY_ENROLLED': 1 });
  });

  describe('overlaps', () => {
    it('refuses a second session of the same provider or the same room at an overlapping time', async () => {
      const first = sessionBody(clinic, { scheduledTime: '10:00', durationMinutes: 60 });
      expect((await clinic.reception.post('/sessions', first)).status).toBe(201);

      const sameProvider = await clinic.reception.post('/sessions', {
        ...first,
        roomId: clinic.roomIds[1],
        scheduledTime: '10:30',
      });
      expect(sameProvider.status).toBe(409);
      expect(sameProvider.body.code).toBe('PROVIDER_CONFLICT');

      const sameRoom = await clinic.reception.post('/sessions', {
        ...first,
        providerId: clinic.providerIds[1],
        scheduledTime: '09:15',
      });
      expect(sameRoom.status).toBe(409);
      expect(sameRoom.body.code).toBe('ROOM_CONFLICT');

      const backToBack = await clinic.reception.post('/sessions', { ...first, scheduledTime: '11:00' });
      expect(backToBack.status).toBe(201);
    });

    it('lets exactly one of two racing sessions have the room, and frees it when that session is cancelled', async () => {
      const body = sessionBody(clinic, { roomId: clinic.roomIds[2] });
      const responses = await Promise.all([
        clinic.reception.post('/sessions', { ...body, providerId: clinic.providerIds[1] }),
        clinic.reception.post('/sessions', { ...body, providerId: clinic.providerIds[2] }),
      ]);
      expect(statusCounts(responses)).toEqual({ '201': 1, '409 ROOM_CONFLICT': 1 });
      const winner = responses.find((r) => r.status === 201)!.body;
      expect(
        (await clinic.reception.patch(`/sessions/${winner.id}`, { status: 'CANCELLED', reason: 'provider ill' }))
          .status,
      ).toBe(200);
      expect((await clinic.reception.post('/sessions', { ...body, providerId: clinic.providerIds[2] })).status).toBe(
        201,
      );
    });

    it('refuses one patient in two overlapping sessions, also when the two bookings race', async () => {
      const a = await createSession(clinic, { roomId: clinic.roomIds[0], providerId: clinic.providerIds[0] });
      const b = await createSession(clinic, {
        scheduledDate: a.scheduledDate,
        scheduledTime: '10:30',
        roomId: clinic.roomIds[1],
        providerId: clinic.providerIds[1],
      });
      expect((await clinic.reception.post(`/sessions/${a.id}/add-patient`, { patientId: patients[160] })).status).toBe(
        201,
      );
      const sequential = await clinic.reception.post(`/sessions/${b.id}/add-patient`, { patientId: patients[160] });
      expect(sequential.status).toBe(409);
      expect(sequential.body.code).toBe('PATIENT_CONFLICT');

      for (let round = 0; round < 5; round++) {
        const c = await createSession(clinic, { roomId: clinic.roomIds[0], providerId: clinic.providerIds[0] });
        const d = await createSession(clinic, {
          scheduledDate: c.scheduledDate,
          scheduledTime: '10:15',
          roomId: clinic.roomIds[1],
          providerId: clinic.providerIds[1],
        });
        const patientId = patients[170 + round];
        const raced = await Promise.all(
          [c, d].map((s) => clinic.reception.post(`/sessions/${s.id}/add-patient`, { patientId })),
        );
        expect(statusCounts(raced)).toEqual({ '201': 1, '409 PATIENT_CONFLICT': 1 });
      }
    });

    it('refuses a reschedule onto a busy room with ROOM_CONFLICT and leaves the session as it was', async () => {
      const busy = await createSession(clinic, { roomId: clinic.roomIds[2], providerId: clinic.providerIds[2] });
      const moving = await createSession(clinic, {
        scheduledDate: busy.scheduledDate,
        scheduledTime: '14:00',
        roomId: clinic.roomIds[1],
        providerId: clinic.providerIds[1],
      });
      const response = await clinic.reception.patch(`/sessions/${moving.id}`, {
        roomId: clinic.roomIds[2],
        scheduledTime: '10:30',
      });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('ROOM_CONFLICT');
      const after = await clinic.reception.get(`/sessions/${moving.id}`);
      expect(after.body).toMatchObject({
        roomId: clinic.roomIds[1],
        scheduledTime: '14:00',
        startsAt: moving.startsAt,
      });
    });
  });
});
