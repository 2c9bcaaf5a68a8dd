// Every endpoint of the API, every role: who may call what is one table here, checked against the OpenAPI document
// so that a new endpoint cannot ship without its row. A caller outside an endpoint's roles gets 403, one without a
// token 401, and neither changes anything; callers inside it get past the guards (400 or 404 for these probes).
import { randomUUID } from 'node:crypto';
import { Role } from '@agdar/service-kit';
import { ApiClient, daysFromToday } from '@agdar/testing';
import { Platform, registerTenant, startPlatform, uniqueTenant } from './support/platform';
import { createSoonSession, registerPatients, setUpClinic } from './support/clinic';

const ROLES: Role[] = ['platform-admin', 'admin', 'reception', 'provider', 'billing'];
const STAFF: Role[] = ['admin', 'reception', 'provider', 'billing'];

const ACCESS: Record<string, Role[]> = {
  'POST /tenants': ['platform-admin'],
  'GET /me': ROLES,
  'POST /patients': ['admin', 'reception'],
  'GET /patients': ['admin', 'reception'],
  'GET /patients/{id}': ['admin', 'reception'],
  'PATCH /patients/{id}': ['admin', 'reception'],
  'POST /patients/{id}/consents': ['admin', 'reception'],
  'POST /clinics': ['admin'],
  'GET /clinics': STAFF,
  'GET /clinics/{id}': STAFF,
  'PATCH /clinics/{id}': ['admin'],
  'POST /rooms': ['admin'],
  'GET /rooms': STAFF,
  'GET /rooms/{id}': STAFF,
  'PATCH /rooms/{id}': ['admin'],
  'POST /providers': ['admin'],
  'GET /providers': STAFF,
  'GET /providers/{id}': STAFF,
  'PATCH /providers/{id}': ['admin'],
  'POST /service-types': ['admin'],
  'GET /service-types': STAFF,
  'GET /service-types/{id}': STAFF,
  'PATCH /service-types/{id}': ['admin'],
  'POST /sessions': ['admin', 'reception'],
  'GET /sessions': STAFF,
  'GET /sessions/available': STAFF,
  'GET /sessions/{id}': STAFF,
  'PATCH /sessions/{id}': ['admin', 'reception', 'provider'],
  'POST /sessions/{id}/add-patient': ['admin', 'reception'],
  'PATCH /sessions/{id}/participants/{pid}': ['admin', 'reception', 'provider'],
  'DELETE /sessions/{id}/participants/{pid}': ['admin', 'reception'],
  'GET /sessions/{id}/history': ['admin'],
  'POST /imports/appointments': ['admin'],
  'PUT /billing/prices/{serviceTypeId}': ['billing', 'admin'],
  'GET /billing/prices': ['billing', 'admin'],
  'GET /billing/policy': ['billing', 'admin', 'reception'],
  'PUT /billing/policy': ['billing', 'admin'],
  'GET /invoices': ['billing', 'admin', 'reception'],
  'GET /invoices/export': ['billing', 'admin', 'reception'],
  'GET /invoices/{id}': ['billing', 'admin', 'reception'],
  'GET /invoices/{id}/document': ['billing', 'admin', 'reception'],
  'POST /invoices/{id}/payments': ['billing', 'admin'],
  'POST /invoices/{id}/waive': ['admin'],
  'POST /credit-notes/{id}/refunds': ['billing', 'admin'],
  'GET /credit-notes/{id}/document': ['billing', 'admin', 'reception'],
  'GET /notifications': ['admin', 'reception'],
  'GET /notifications/settings': ['admin'],
  'PUT /notifications/settings': ['admin'],
};

/** Which service owns a path, for calling it directly. */
const ownerOf = (platform: Platform, path: string) =>
  path.startsWith('/patients')
    ? platform.participant
    : /^\/(billing|invoices|credit-notes)\b/.test(path)
      ? platform.billing
      : path.startsWith('/notifications')
        ? platform.notification
        : platform.scheduling;

/**
 * Bodies that pass validation: a caller outside the roles sends these, so that a missing guard would write something
 * ("wrote nothing" below would then fail); callers inside the roles send {} and stop at validation.
 */
const probeTenant = uniqueTenant();
/** The endpoints open to a tenant that is not registered: creating tenants, and telling a caller who they are. */
const TENANT_FREE = ['POST /tenants', 'GET /me'];

/** Queries that pass validation, for endpoints that require one. */
const VALID_QUERIES: Record<string, string> = {
  'GET /sessions/available': `?clinicId=${randomUUID()}&from=${daysFromToday(0)}&to=${daysFromToday(7)}`,
  'DELETE /sessions/{id}/participants/{pid}': '?reason=Probe&cancelledBy=CLINIC',
  'GET /invoices/export': `?from=${daysFromToday(0)}&to=${daysFromToday(7)}`,
};

const VALID_BODIES: Record<string, unknown> = {
  'POST /tenants': { code: probeTenant, name: 'Probe', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 },
  'POST /patients': {
    firstNameEn: 'Probe',
    lastNameEn: 'Patient',
    dateOfBirth: '2016-05-05',
    email: 'probe@example.com',
  },
  'PATCH /patients/{id}': { firstNameEn: 'Changed' },
  'POST /patients/{id}/consents': { kind: 'TREATMENT', grantedBy: 'Probe' },
  'POST /clinics': { name: 'Probe clinic', timezone: 'Asia/Riyadh' },
  'POST /rooms': { clinicId: randomUUID(), name: 'Probe room' },
  'POST /providers': { name: 'Probe provider' },
  'POST /service-types': { name: 'Probe type', code: 'PROBE' },
  'PATCH /clinics/{id}': { active: false },
  'PATCH /rooms/{id}': { active: false },
  'PATCH /providers/{id}': { active: false },
  'PATCH /service-types/{id}': { active: false },
  'POST /sessions': {
    sessionType: 'GROUP',
    maxCapacity: 4,
    providerId: randomUUID(),
    clinicId: randomUUID(),
    roomId: randomUUID(),
    serviceTypeId: randomUUID(),
    scheduledDate: daysFromToday(40),
    scheduledTime: '10:00',
    durationMinutes: 60,
  },
  'PATCH /sessions/{id}': { groupNotes: 'Probe' },
  'POST /imports/appointments': {
    source: 'probe.csv',
    dryRun: false,
    notify: false,
    rows: [
      {
        row: 1,
        sourceId: 'probe-1',
        appointmentNumber: 'LEG-PROBE-1',
        patientId: randomUUID(),
        clinicId: randomUUID(),
        roomId: randomUUID(),
        providerId: randomUUID(),
        serviceTypeId: randomUUID(),
        scheduledDate: daysFromToday(-30),
        scheduledTime: '10:00',
        durationMinutes: 45,
        status: 'ATTENDED',
        financeCleared: true,
        consentVerified: true,
        legacyBilled: true,
        notes: null,
      },
    ],
  },
  'POST /sessions/{id}/add-patient': { patientId: randomUUID() },
  'PATCH /sessions/{id}/participants/{pid}': { individualNotes: 'Probe' },
  'PUT /billing/prices/{serviceTypeId}': { amount: '100.00', currency: 'SAR' },
  'PUT /billing/policy': {
    lateCancellationWindowHours: 1,
    lateCancellationFeePercent: 1,
    noShowFeePercent: 1,
    citizenHealthcareExemption: true,
  },
  'POST /invoices/{id}/payments': { amount: '1.00', method: 'CASH' },
  'POST /invoices/{id}/waive': { reason: 'Probe' },
  'POST /credit-notes/{id}/refunds': { amount: '1.00', method: 'CASH' },
  'PUT /notifications/settings': {
    reminderOffsetsMinutes: [30],
    quietHoursStart: '22:00',
    quietHoursEnd: '07:00',
    staffEmail: 'probe@example.com',
  },
};

describe('access to every endpoint', () => {
  let platform: Platform;
  let endpoints: { method: string; path: string; key: string }[];
  const tenant = uniqueTenant();

  beforeAll(async () => {
    platform = await startPlatform();
    // A registered tenant, so that nothing but the guard could stop a forbidden write.
    await registerTenant(platform, tenant);
    const document = (await (await fetch(`${platform.gateway.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    endpoints = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => {
        const key = `${method.toUpperCase()} ${path.replace(/^\/api/, '')}`;
        return {
          method: method.toUpperCase(),
          path: path.replace(/^\/api/, '').replace(/\{[^}]+\}/g, () => randomUUID()),
          key,
        };
      }),
    );
  });
  afterAll(async () => platform?.stop());

  const probe = (role: Role | null, endpoint: { method: string; path: string; key: string }, api = platform.api) => {
    const client = role ? api.asRole(tenant, role) : api.as(undefined);
    const allowed = role !== null && ACCESS[endpoint.key]?.includes(role);
    const body = ['POST', 'PATCH', 'PUT'].includes(endpoint.method)
      ? allowed
        ? {}
        : VALID_BODIES[endpoint.key]
      : undefined;
    return client.request(endpoint.method, endpoint.path, body);
  };

  it('has a valid probe body for every endpoint that takes one', () => {
    const withBodies = endpoints.filter((e) => ['POST', 'PATCH', 'PUT'].includes(e.method)).map((e) => e.key);
    expect(withBodies.sort()).toEqual(Object.keys(VALID_BODIES).sort());
  });

  it('has a row for every endpoint the OpenAPI document describes, and no row for one it does not', () => {
    expect(endpoints.map((e) => e.key).sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it('answers 401 to a caller without a token on every endpoint', async () => {
    for (const endpoint of endpoints) {
      const response = await probe(null, endpoint);
      expect({ endpoint: endpoint.key, status: response.status, code: response.body?.code }).toEqual({
        endpoint: endpoint.key,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it.each(['the gateway', 'the services behind it, called directly'])(
    'answers 403 to every role outside an endpoint, and lets every role inside it past the guards: %s',
    async (via) => {
      // A service checks the token and roles again: the internal network is not a reason to trust a caller.
      const direct = (path: string) => new ApiClient(ownerOf(platform, path).url);
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const endpoint of endpoints) {
        for (const role of ROLES) {
          const response = await probe(role, endpoint, via === 'the gateway' ? platform.api : direct(endpoint.path));
          const allowed = ACCESS[endpoint.key].includes(role);
          outcomes.push(
            `${endpoint.key} as ${role}: ${response.status === 403 ? 'forbidden' : response.status === 401 || response.status >= 500 ? `error ${response.status}` : 'allowed'}`,
          );
          expected.push(`${endpoint.key} as ${role}: ${allowed ? 'allowed' : 'forbidden'}`);
        }
      }
      expect(outcomes).toEqual(expected);
    },
  );

  it.each(['the gateway', 'the services behind it, called directly'])(
    'answers 403 TENANT_NOT_REGISTERED to a tenant never created, on every endpoint but the tenant-free ones: %s',
    async (via) => {
      const stranger = uniqueTenant();
      const direct = (path: string) => new ApiClient(ownerOf(platform, path).url);
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const endpoint of endpoints) {
        const role = ACCESS[endpoint.key][0];
        const client = (via === 'the gateway' ? platform.api : direct(endpoint.path)).asRole(stranger, role);
        const valid = VALID_BODIES[endpoint.key] as Record<string, unknown> | undefined;
        // A tenant of its own to create: the probe tenant must stay uncreated for "wrote nothing" below.
        const body = endpoint.key === 'POST /tenants' ? { ...valid, code: uniqueTenant() } : valid;
        const query = VALID_QUERIES[endpoint.key] ?? '';
        const response = await client.request(endpoint.method, `${endpoint.path}${query}`, body);
        outcomes.push(`${endpoint.key}: ${response.status} ${response.body?.code ?? ''}`.trim());
        const open = TENANT_FREE.includes(endpoint.key);
        expected.push(
          open
            ? `${endpoint.key}: ${response.status} ${response.body?.code ?? ''}`.trim()
            : `${endpoint.key}: 403 TENANT_NOT_REGISTERED`,
        );
        if (open)
          expect({ key: endpoint.key, status: response.status }).not.toEqual({ key: endpoint.key, status: 403 });
      }
      expect(outcomes).toEqual(expected);
    },
  );

  it('wrote nothing for any of those probes', async () => {
    const admin = platform.api.asRole(tenant, 'admin');
    for (const list of ['/patients', '/clinics', '/rooms', '/providers', '/service-types', '/sessions']) {
      const response = await admin.get(list);
      expect({
        list,
        status: response.status,
        total: response.body.total ?? response.body.items?.length ?? response.body.length,
      }).toEqual({ list, status: 200, total: 0 });
    }
    const policy = await platform.api.asRole(tenant, 'billing').get('/billing/policy');
    expect(policy.body).toMatchObject({ updatedAt: null, lateCancellationWindowHours: 24 });
    expect((await platform.api.asRole(tenant, 'billing').get('/billing/prices')).body.total).toBe(0);
    expect((await admin.get('/notifications/settings')).body).toMatchObject({ updatedAt: null, staffEmail: null });
    const tenantProbe = await platform.api
      .asRole('PLATFORM', 'platform-admin')
      .post('/tenants', VALID_BODIES['POST /tenants']);
    expect(tenantProbe.status).toBe(201); // not 409 TENANT_EXISTS: no forbidden caller created it
  });

  // Who may call an endpoint is one question; which fields each caller's answer carries is another (clinical notes).
  it.each(['the gateway', 'the scheduling service, called directly'])(
    'gives clinical notes to admin, reception and provider, and leaves them out for billing: %s',
    async (via) => {
      const clinic = await setUpClinic(platform);
      const [patientId] = await registerPatients(platform, clinic, 1);
      const session = await createSoonSession(clinic, { groupNotes: 'Bring scissors' });
      const seat = await clinic.reception.post(`/sessions/${session.id}/add-patient`, {
        patientId,
        individualNotes: 'Anxious with loud noises',
      });
      expect(seat.status).toBe(201);
      const api = via === 'the gateway' ? platform.api : new ApiClient(platform.scheduling.url);
      const carried = async (role: Role) => {
        const answers = [
          (await api.asRole(clinic.tenant, role).get(`/sessions/${session.id}`)).body,
          (await api.asRole(clinic.tenant, role).get(`/sessions?from=${session.scheduledDate}`)).body.items[0],
        ];
        return answers.map((s) => [
          'groupNotes' in s ? 'groupNotes' : '-',
          'individualNotes' in s.participants[0] ? 'individualNotes' : '-',
          'noShowNotes' in s.participants[0] ? 'noShowNotes' : '-',
        ]);
      };
      const all = ['groupNotes', 'individualNotes', 'noShowNotes'];
      for (const role of ['admin', 'reception', 'provider'] as Role[])
        expect({ role, fields: await carried(role) }).toEqual({ role, fields: [all, all] });
      expect(await carried('billing')).toEqual([
        ['-', '-', '-'],
        ['-', '-', '-'],
      ]);
      const billingView = (await api.asRole(clinic.tenant, 'billing').get(`/sessions/${session.id}`)).body;
      expect(billingView.participants[0]).toMatchObject({ appointmentNumber: seat.body.appointmentNumber });
      expect(JSON.stringify(billingView)).not.toMatch(/scissors|loud noises/);
    },
  );
});
