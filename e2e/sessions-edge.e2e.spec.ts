// Bad input, other tenants and wrong roles on the sessions API: 4xx problems, and nothing written.
import { sql } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, registerPatients, sessionBody, setUpClinic } from './support/clinic';

describe('sessions API edge', () => {
  let platform: Platform;
  let clinic: ClinicFixture;
  let other: ClinicFixture;
  let patients: string[];

  beforeAll(async () => {
    platform = await startPlatform();
    [clinic, other] = await Promise.all([setUpClinic(platform), setUpClinic(platform)]);
    patients = await registerPatients(platform, clinic, 3);
  }, 120000);
  afterAll(async () => platform?.stop());

  const sessionCount = async (tenant: string) =>
    Number(
      (
        await sql<{ n: string }>(
          platform.scheduling.databaseUrl!,
          'select count(*) as n from sessions where tenant = $1',
          [tenant],
        )
      )[0].n,
    );

  describe('creating a session with bad input', () => {
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['capacity 0', { maxCapacity: 0 }, 400, 'VALIDATION_FAILED', 'maxCapacity'],
      ['capacity 21', { maxCapacity: 21 }, 400, 'VALIDATION_FAILED', 'maxCapacity'],
      [
        'an INDIVIDUAL session for 2',
        { sessionType: 'INDIVIDUAL', maxCapacity: 2 },
        400,
        'VALIDATION_FAILED',
        'maxCapacity',
      ],
      ['a date that does not exist', { scheduledDate: '2031-02-30' }, 400, 'VALIDATION_FAILED', 'scheduledDate'],
      ['a time that does not exist', { scheduledTime: '25:00' }, 400, 'VALIDATION_FAILED', 'scheduledTime'],
      ['a negative duration', { durationMinutes: -30 }, 400, 'VALIDATION_FAILED', 'durationMinutes'],
      ['an unknown session type', { sessionType: 'FAMILY' }, 400, 'VALIDATION_FAILED', 'sessionType'],
      ['a malformed id', { roomId: 'room-1' }, 400, 'VALIDATION_FAILED', 'roomId'],
      ['an unknown field', { price: 100 }, 400, 'VALIDATION_FAILED', 'price'],
      ['an unknown clinic', { clinicId: '00000000-0000-4000-8000-000000000000' }, 404, 'NOT_FOUND', 'clinicId'],
      ['an unknown provider', { providerId: '00000000-0000-4000-8000-000000000000' }, 404, 'NOT_FOUND', 'providerId'],
    ];
    it.each(cases)('refuses %s', async (_label, overrides, status, code, field) => {
      const before = await sessionCount(clinic.tenant);
      const response = await clinic.reception.post('/sessions', sessionBody(clinic, overrides));
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await sessionCount(clinic.tenant)).toBe(before);
    });

    it("refuses another tenant's room, provider and service type as if they did not exist", async () => {
      const before = await sessionCount(clinic.tenant);
      for (const [field, id] of [
        ['roomId', other.roomIds[0]],
        ['providerId', other.providerIds[0]],
        ['serviceTypeId', other.serviceTypeId],
        ['clinicId', other.clinicId],
      ]) {
        const response = await clinic.reception.post('/sessions', sessionBody(clinic, { [field]: id }));
        expect(response.status).toBe(404);
        expect(response.body.errors[0].field).toBe(field);
      }
      expect(await sessionCount(clinic.tenant)).toBe(before);
    });

    it('refuses a room of another clinic of the same tenant', async () => {
      const second = await clinic.admin.post('/clinics', { name: 'Malqa', timezone: 'Asia/Riyadh' });
      const room = await clinic.admin.post('/rooms', { clinicId: second.body.id, name: 'Room M1' });
      const response = await clinic.reception.post('/sessions', sessionBody(clinic, { roomId: room.body.id }));
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('ROOM_NOT_IN_CLINIC');
    });
  });

  it('refuses bad changes to a session and a participant with 4xx problems', async () => {
    const session = await createSession(clinic, { maxCapacity: 3 });
    const p = (await clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId: patients[0] })).body;
    for (const [body, field] of [
      [{}, '(body)'],
      [{ maxCapacity: 21 }, 'maxCapacity'],
      [{ durationMinutes: 0 }, 'durationMinutes'],
      [{ status: 'SCHEDULED' }, 'status'],
      [{ scheduledDate: '2031-13-01' }, 'scheduledDate'],
    ] as const) {
      const response = await clinic.reception.patch(`/sessions/${session.id}`, body);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const badStatus = await clinic.reception.patch(`/sessions/${session.id}/participants/${p.id}`, {
      status: 'BOOKED',
    });
    expect(badStatus.status).toBe(400);
    const unknown = await clinic.reception.patch(
      `/sessions/${session.id}/participants/00000000-0000-4000-8000-000000000000`,
      { status: 'CONFIRMED' },
    );
    expect(unknown.status).toBe(404);
    const unknownPatient = await clinic.reception.post(`/sessions/${session.id}/add-patient`, {
      patientId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownPatient.status).toBe(404);
    expect(unknownPatient.body.errors[0].field).toBe('patientId');
    const noReason = await clinic.reception.delete(`/sessions/${session.id}/participants/${p.id}`);
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    const after = await clinic.reception.get(`/sessions/${session.id}`);
    expect(after.body).toMatchObject({ maxCapacity: 3, durationMinutes: session.durationMinutes, currentCapacity: 1 });
  });

  it("answers 404 to every operation on another tenant's session and changes nothing", async () => {
    const theirs = await createSession(other);
    const theirPatient = (await registerPatients(platform, other, 1))[0];
    expect((await other.reception.post(`/sessions/${theirs.id}/add-patient`, { patientId: theirPatient })).status).toBe(
      201,
    );
    const intruder = clinic.admin;
    const detail = await other.reception.get(`/sessions/${theirs.id}`);
    const pid = detail.body.participants[0].id;
    const attempts = [
      intruder.get(`/sessions/${theirs.id}`),
      intruder.patch(`/sessions/${theirs.id}`, { groupNotes: 'mine now' }),
      intruder.post(`/sessions/${theirs.id}/add-patient`, { patientId: patients[1] }),
      intruder.patch(`/sessions/${theirs.id}/participants/${pid}`, { status: 'CONFIRMED' }),
      intruder.delete(`/sessions/${theirs.id}/participants/${pid}?reason=x&cancelledBy=PATIENT`),
      intruder.get(`/sessions/${theirs.id}/history`),
      intruder.post(`/patients/${theirPatient}/consents`, { kind: 'TREATMENT', grantedBy: 'x' }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    }
    expect((await intruder.get('/sessions')).body.items.map((s: { id: string }) => s.id)).not.toContain(theirs.id);
    const unchanged = await other.reception.get(`/sessions/${theirs.id}`);
    expect(unchanged.body).toMatchObject({ groupNotes: null, currentCapacity: 1, updatedAt: detail.body.updatedAt });
  });

  it.each([
    ['a provider creates a session', 'provider', 'post', '/sessions'],
    ['billing creates a session', 'billing', 'post', '/sessions'],
    ['reception creates a clinic', 'reception', 'post', '/clinics'],
    ['a platform admin lists sessions', 'platform-admin', 'get', '/sessions'],
  ] as const)('answers 403 when %s', async (_label, role, method, path) => {
    const before = await sessionCount(clinic.tenant);
    const response = await platform.api
      .asRole(clinic.tenant, role)
      .request(method.toUpperCase(), path, method === 'post' ? sessionBody(clinic) : undefined);
    expect(response.status).toBe(403);
    expect(await sessionCount(clinic.tenant)).toBe(before);
  });

  it('answers 403 when billing changes a participant or a provider removes one', async () => {
    const session = await createSession(clinic);
    const p = (await clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId: patients[2] })).body;
    expect(
      (
        await platform.api
          .asRole(clinic.tenant, 'billing')
          .patch(`/sessions/${session.id}/participants/${p.id}`, { status: 'CONFIRMED' })
      ).status,
    ).toBe(403);
    expect(
      (await clinic.provider.delete(`/sessions/${session.id}/participants/${p.id}?reason=x&cancelledBy=PATIENT`))
        .status,
    ).toBe(403);
    expect((await clinic.reception.get(`/sessions/${session.id}`)).body.participants[0].status).toBe('BOOKED');
  });

  it('refuses reference data for a tenant that was never registered', async () => {
    const response = await platform.api
      .asRole('NOSUCHTENANT', 'admin')
      .post('/clinics', { name: 'Ghost', timezone: 'Asia/Riyadh' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('TENANT_NOT_REGISTERED');
  });

  it('returns the first answer to a retried add-patient with the same Idempotency-Key', async () => {
    const session = await createSession(clinic);
    const headers = { 'idempotency-key': `add-${session.id}` };
    const first = await clinic.reception.post(
      `/sessions/${session.id}/add-patient`,
      { patientId: patients[1] },
      headers,
    );
    const retry = await clinic.reception.post(
      `/sessions/${session.id}/add-patient`,
      { patientId: patients[1] },
      headers,
    );
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.appointmentNumber).toBe(first.body.appointmentNumber);
    const other = await clinic.reception.post(
      `/sessions/${session.id}/add-patient`,
      { patientId: patients[0] },
      headers,
    );
    expect(other.status).toBe(422);
    expect((await clinic.reception.get(`/sessions/${session.id}`)).body.currentCapacity).toBe(1);
  });

  it('describes every sessions and reference-data endpoint with its bodies in the OpenAPI document', async () => {
    const { body } = await platform.api.get('/docs-json');
    const operations = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/sessions',
        'GET /api/sessions',
        'GET /api/sessions/available',
        'GET /api/sessions/{id}',
        'PATCH /api/sessions/{id}',
        'GET /api/sessions/{id}/history',
        'POST /api/sessions/{id}/add-patient',
        'PATCH /api/sessions/{id}/participants/{pid}',
        'DELETE /api/sessions/{id}/participants/{pid}',
        'POST /api/clinics',
        'GET /api/clinics',
        'POST /api/rooms',
        'GET /api/rooms',
        'POST /api/providers',
        'GET /api/providers',
        'POST /api/service-types',
        'GET /api/service-types',
        'POST /api/patients/{id}/consents',
      ]),
    );
    const create = body.paths['/api/sessions'].post;
    const named = (schema: { $ref: string }) =>
      body.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
    expect(Object.keys(named(create.requestBody.content['application/json'].schema).properties)).toEqual(
      expect.arrayContaining([
        'sessionType',
        'maxCapacity',
        'providerId',
        'clinicId',
        'roomId',
        'serviceTypeId',
        'scheduledDate',
        'scheduledTime',
        'durationMinutes',
        'groupNotes',
      ]),
    );
    expect(Object.keys(named(create.responses['201'].content['application/json'].schema).properties)).toEqual(
      expect.arrayContaining(['currentCapacity', 'availableSpots', 'isFull', 'capacityPercentage', 'participants']),
    );
    expect(body.paths['/api/sessions/{id}/participants/{pid}'].patch.requestBody).toBeDefined();
  });
});
