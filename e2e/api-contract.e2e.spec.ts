// The API as an outside client finds it: what the document says is what the server does, browsers may call it from
// the allowed origins, answers carry security headers, and reference data can be read back, changed and deactivated.
import { randomUUID } from 'node:crypto';
import { daysFromToday, eventually, sql } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import {
  ClinicFixture,
  createSession,
  createSoonSession,
  registerPatients,
  sessionBody,
  setUpClinic,
  untilSchedulingKnows,
} from './support/clinic';

const CONSOLE = 'http://localhost:5173';

describe('the API contract as a client finds it', () => {
  let platform: Platform;
  let clinic: ClinicFixture;
  let document: {
    paths: Record<string, Record<string, any>>;
    components: { schemas: Record<string, any>; parameters: Record<string, any> };
  };

  beforeAll(async () => {
    platform = await startPlatform({ CORS_ORIGINS: CONSOLE });
    clinic = await setUpClinic(platform);
    document = (await (await fetch(`${platform.gateway.url}/api/docs-json`)).json()) as typeof document;
  });
  afterAll(async () => platform?.stop());

  const parameter = (path: string, method: string, name: string) =>
    document.paths[`/api${path}`][method].parameters.find((p: { name?: string }) => p.name === name);

  describe('the document says what the server enforces', () => {
    it('documents the DELETE reason and who cancelled, and the available-sessions window as required, as the server requires them', async () => {
      for (const name of ['reason', 'cancelledBy'])
        expect(parameter('/sessions/{id}/participants/{pid}', 'delete', name).required).toBe(true);
      for (const name of ['clinicId', 'from', 'to'])
        expect(parameter('/sessions/available', 'get', name).required).toBe(true);
      expect(parameter('/sessions/available', 'get', 'serviceTypeId').required).toBe(false);
      const session = await createSession(clinic);
      const withoutReason = await clinic.reception.delete(`/sessions/${session.id}/participants/${randomUUID()}`);
      expect(withoutReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason', 'cancelledBy']);
      const withoutWindow = await clinic.reception.get('/sessions/available');
      expect(withoutWindow.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'clinicId',
        'from',
        'to',
      ]);
    });

    it('documents ids as UUIDs, and takes them in either letter case', async () => {
      expect(parameter('/sessions/{id}', 'get', 'id').schema.format).toBe('uuid');
      const session = await createSession(clinic);
      const upper = await clinic.reception.get(`/sessions/${session.id.toUpperCase()}`);
      expect({ status: upper.status, id: upper.body.id }).toEqual({ status: 200, id: session.id });
    });

    it('documents no clinicId on clinics and service types, and refuses one there', async () => {
      expect(parameter('/clinics', 'get', 'clinicId')).toBeUndefined();
      expect(parameter('/rooms', 'get', 'clinicId')).toBeDefined();
      const response = await clinic.admin.get(`/clinics?clinicId=${clinic.clinicId}`);
      expect({ status: response.status, field: response.body.errors?.[0].field }).toEqual({
        status: 400,
        field: 'clinicId',
      });
    });

    it('requires at least one field of every PATCH body, in the document and at the server', async () => {
      for (const [path, ops] of Object.entries(document.paths)) {
        if (!ops.patch) continue;
        const name = ops.patch.requestBody.content['application/json'].schema.$ref.split('/').pop();
        expect({ path, minProperties: document.components.schemas[name].minProperties }).toEqual({
          path,
          minProperties: 1,
        });
      }
      const empty = await clinic.admin.patch(`/clinics/${clinic.clinicId}`, {});
      expect({ status: empty.status, message: empty.body.errors?.[0].message }).toEqual({
        status: 400,
        message: 'must change at least one field',
      });
    });

    it('accepts the smallest patient body the schema allows', async () => {
      const schema = document.components.schemas.RegisterPatient;
      const smallest = { firstNameEn: 'Noor', lastNameEn: 'Saad', dateOfBirth: '2019-09-09' };
      expect(Object.keys(smallest).sort()).toEqual([...schema.required].sort());
      const created = await clinic.reception.post('/patients', smallest);
      expect({ status: created.status, channels: created.body.channels }).toEqual({ status: 201, channels: [] });
    });

    it('lists 415 on every operation with a body', () => {
      for (const [path, ops] of Object.entries(document.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          if (op.requestBody)
            expect({ path, method, has415: '415' in op.responses }).toEqual({ path, method, has415: true });
        }
      }
    });

    it('answers 405 with Allow for a known path and an unknown method, and 404 for an unknown path', async () => {
      const wrongMethod = await clinic.admin.put(`/sessions/${randomUUID()}`, { groupNotes: 'x' });
      expect({
        status: wrongMethod.status,
        code: wrongMethod.body.code,
        allow: wrongMethod.headers.get('allow'),
      }).toEqual({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        allow: 'GET, PATCH',
      });
      expect((await clinic.admin.request('DELETE', '/clinics')).headers.get('allow')).toBe('GET, POST');
      // A literal path is not a parameter of its neighbour: PATCH /sessions/available is not PATCH /sessions/{id}.
      const available = await clinic.admin.patch('/sessions/available', { groupNotes: 'x' });
      expect({ status: available.status, allow: available.headers.get('allow') }).toEqual({
        status: 405,
        allow: 'GET',
      });
      expect((await clinic.admin.get('/nothing-here')).status).toBe(404);
    });

    it('refuses a page so deep that OFFSET would scan the whole table', async () => {
      expect(parameter('/sessions', 'get', 'page').schema.maximum).toBe(500);
      const deep = await clinic.admin.get('/sessions?page=100000');
      expect({ status: deep.status, field: deep.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'page' });
    });

    it('documents what it does with a correlation id it cannot keep: replaces it, never refuses the request', async () => {
      expect(document.components.parameters.CorrelationId.schema.maxLength).toBe(100);
      const long = 'c'.repeat(101);
      const answer = await clinic.admin.get('/clinics', { 'x-correlation-id': long });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      const kept = await clinic.admin.get('/clinics', { 'x-correlation-id': 'desk-7:req.42' });
      expect(kept.headers.get('x-correlation-id')).toBe('desk-7:req.42');
    });

    it('answers every validation problem in one style: the field and "is required" or "must …"', async () => {
      const response = await clinic.reception.post('/sessions', { sessionType: 'TRIO', maxCapacity: 'x', extra: 1 });
      expect(response.status).toBe(400);
      for (const error of response.body.errors) expect(error.message).toMatch(/^(is |must )/);
    });
  });

  describe('browsers and headers', () => {
    it('answers a CORS preflight from the allowed origin, and not from another', async () => {
      const preflight = (origin: string) =>
        fetch(`${platform.gateway.url}/api/sessions`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,idempotency-key',
          },
        });
      const allowed = await preflight(CONSOLE);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE);
      expect(allowed.headers.get('access-control-allow-headers')).toContain('idempotency-key');
      const other = await preflight('https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sends security headers and no X-Powered-By, and lets no cache keep patient data', async () => {
      const response = await clinic.reception.get('/patients');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('puts the rate-limit headers on every answer, with a token or without', async () => {
      const withToken = await clinic.reception.get('/clinics');
      const without = await platform.api.as(undefined).get('/clinics');
      for (const response of [withToken, without]) {
        expect(response.headers.get('ratelimit-limit')).toMatch(/^\d+$/);
        expect(response.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
      }
    });

    it('says where a created resource can be read', async () => {
      const created = await clinic.admin.post('/clinics', { name: 'Malqa', timezone: 'Asia/Riyadh' });
      expect(created.headers.get('location')).toBe(`/api/clinics/${created.body.id}`);
      const read = await clinic.admin.get(created.headers.get('location')!.replace(/^\/api/, ''));
      expect(read.body).toEqual(created.body);
    });
  });

  describe('reference data can be read, changed and deactivated', () => {
    it('a deactivated room takes no new session, while its sessions keep it; reactivated, it takes them again', async () => {
      const room = (await clinic.admin.post('/rooms', { clinicId: clinic.clinicId, name: 'Sensory room' })).body;
      const before = await createSession(clinic, { roomId: room.id });
      const deactivated = await clinic.admin.patch(`/rooms/${room.id}`, { active: false, name: 'Sensory room (old)' });
      expect(deactivated.body).toMatchObject({ id: room.id, active: false, name: 'Sensory room (old)' });
      expect((await clinic.reception.get(`/rooms/${room.id}`)).body.active).toBe(false);

      const refused = await clinic.reception.post('/sessions', sessionBody(clinic, { roomId: room.id }));
      expect({ status: refused.status, code: refused.body.code, field: refused.body.errors?.[0].field }).toEqual({
        status: 409,
        code: 'REFERENCE_INACTIVE',
        field: 'roomId',
      });
      const kept = await clinic.reception.get(`/sessions/${before.id}`);
      expect({ status: kept.body.status, roomId: kept.body.roomId }).toEqual({ status: 'SCHEDULED', roomId: room.id });
      const [patient] = await registerPatients(platform, clinic, 1);
      expect((await clinic.reception.post(`/sessions/${before.id}/add-patient`, { patientId: patient })).status).toBe(
        201,
      );

      await clinic.admin.patch(`/rooms/${room.id}`, { active: true });
      const again = await clinic.reception.post('/sessions', sessionBody(clinic, { roomId: room.id }));
      expect(again.status).toBe(201);
    });

    it('refuses to move a session to a deactivated provider', async () => {
      const provider = (await clinic.admin.post('/providers', { name: 'On leave' })).body;
      await clinic.admin.patch(`/providers/${provider.id}`, { active: false });
      const session = await createSession(clinic);
      const moved = await clinic.reception.patch(`/sessions/${session.id}`, { providerId: provider.id });
      expect({ status: moved.status, code: moved.body.code }).toEqual({ status: 409, code: 'REFERENCE_INACTIVE' });
    });

    it("changes a service type's duration, clears a provider's specialty, and 404s another tenant's", async () => {
      const changed = await clinic.admin.patch(`/service-types/${clinic.serviceTypeId}`, {
        defaultDurationMinutes: 45,
      });
      expect(changed.body.defaultDurationMinutes).toBe(45);
      const cleared = await clinic.admin.patch(`/providers/${clinic.providerIds[1]}`, { specialty: null });
      expect(cleared.body.specialty).toBeNull();
      const other = await setUpClinic(platform, 1, 1);
      expect((await other.admin.get(`/clinics/${clinic.clinicId}`)).status).toBe(404);
      expect((await other.admin.patch(`/rooms/${clinic.roomIds[0]}`, { name: 'Mine now' })).status).toBe(404);
    });
  });

  describe('what a front end needs without extra calls', () => {
    it('says who I am and which tenant, registered or not', async () => {
      const me = await clinic.reception.get('/me');
      expect(me.body).toEqual({
        sub: 'user-reception',
        roles: ['reception'],
        tenant: {
          code: clinic.tenant,
          registered: true,
          name: `Clinic ${clinic.tenant}`,
          nameAr: `عيادة ${clinic.tenant}`,
          timezone: 'Asia/Riyadh',
          country: 'SA',
          earlyStartMinutes: 1440,
        },
      });
      const stranger = await platform.api.asRole('NOBODY', 'provider').get('/me');
      expect(stranger.body.tenant).toEqual({
        code: 'NOBODY',
        registered: false,
        name: null,
        nameAr: null,
        timezone: null,
        country: null,
        earlyStartMinutes: null,
      });
    });

    it("shows each participant's name in English and Arabic on the roster and in booking answers", async () => {
      const registered = await clinic.reception.post('/patients', {
        firstNameEn: 'Layan',
        lastNameEn: 'Harbi',
        firstNameAr: 'ليان',
        lastNameAr: 'الحربي',
        dateOfBirth: '2018-01-01',
        email: 'layan@example.com',
      });
      await untilSchedulingKnows(platform, [registered.body.id]);
      const session = await createSession(clinic);
      const booked = await clinic.reception.post(`/sessions/${session.id}/add-patient`, {
        patientId: registered.body.id,
      });
      expect(booked.body).toMatchObject({ patientNameEn: 'Layan Harbi', patientNameAr: 'ليان الحربي' });
      await clinic.reception.patch(`/patients/${registered.body.id}`, { lastNameEn: 'Al-Harbi' });
      await eventually(async () => {
        const roster = (await clinic.reception.get(`/sessions/${session.id}`)).body.participants;
        return roster[0].patientNameEn === 'Layan Al-Harbi' ? roster : undefined;
      }, 'the roster to follow the new name');
    });
  });

  describe('time', () => {
    it.each([
      ['in 2019', { scheduledDate: '2019-05-01' }, 'scheduledDate'],
      ['yesterday', { scheduledDate: daysFromToday(-1) }, 'scheduledDate'],
      ['in 9999', { scheduledDate: '9999-01-01' }, 'scheduledDate'],
      ['more than two years ahead', { scheduledDate: daysFromToday(800) }, 'scheduledDate'],
    ])('refuses a session %s, naming the field', async (_label, when, field) => {
      const response = await clinic.reception.post('/sessions', sessionBody(clinic, when));
      expect({ status: response.status, field: response.body.errors?.[0].field }).toEqual({ status: 400, field });
    });

    it('refuses to move a session into the past', async () => {
      const session = await createSession(clinic);
      const moved = await clinic.reception.patch(`/sessions/${session.id}`, { scheduledDate: daysFromToday(-2) });
      expect({ status: moved.status, field: moved.body.errors?.[0].field }).toEqual({
        status: 400,
        field: 'scheduledDate',
      });
    });

    it('starts a session no earlier than the tenant allows, and books nobody into one whose time has come', async () => {
      const later = await createSession(clinic); // weeks ahead; this tenant lets sessions start a day early
      const tooEarly = await clinic.provider.patch(`/sessions/${later.id}`, { status: 'IN_PROGRESS' });
      expect({ status: tooEarly.status, code: tooEarly.body.code }).toEqual({ status: 409, code: 'TOO_EARLY' });

      const due = await createSoonSession(clinic);
      // Its time comes: as if the clock had moved on (the database is the session's record of when it starts).
      await sql(
        platform.scheduling.databaseUrl!,
        `update sessions set starts_at = now() - interval '1 minute' where id = $1`,
        [due.id],
      );
      const [patient] = await registerPatients(platform, clinic, 1);
      const late = await clinic.reception.post(`/sessions/${due.id}/add-patient`, { patientId: patient });
      expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'SESSION_ALREADY_STARTED' });
    });
  });
});
