// What every endpoint owes a caller at the edge: authentication, roles, tenant isolation, and 4xx problems for bad
// input that name the field and write nothing.
import jwt from 'jsonwebtoken';
import { signToken } from '@agdar/service-kit';
import { testEnv } from '@agdar/testing';
import { Platform, registerTenant, startPlatform, uniqueTenant } from './support/platform';

describe('the gateway edge', () => {
  let platform: Platform;
  beforeAll(async () => (platform = await startPlatform({ BODY_LIMIT: '2kb' })));
  afterAll(async () => platform?.stop());

  const patient = { firstNameEn: 'Adam', lastNameEn: 'Saleh', dateOfBirth: '2016-05-05', email: 'adam@example.com' };
  const count = async (tenant: string) => (await platform.api.asRole(tenant, 'admin').get('/patients')).body.total;

  describe('authentication', () => {
    it.each([
      ['no token', undefined],
      ['a malformed token', 'not-a-jwt'],
      [
        'a token signed with another secret',
        signToken('another-secret-of-enough-length', { sub: 'u', tenant: 'AGDAR', roles: ['admin'] }),
      ],
      ['an expired token', signToken(testEnv().jwtSecret, { sub: 'u', tenant: 'AGDAR', roles: ['admin'] }, -3600)],
      ['a token without roles', signToken(testEnv().jwtSecret, { sub: 'u', tenant: 'AGDAR', roles: [] as never[] })],
    ])('answers 401 problem for %s', async (_label, token) => {
      const response = await platform.api.as(token).post('/patients', patient);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', title: 'Unauthorized' });
    });
  });

  describe('token claims, each refusal naming the claim at fault', () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: object) =>
      jwt.sign(JSON.parse(JSON.stringify(claims)), testEnv().jwtSecret, { algorithm: 'HS256' }); // without undefined claims
    const good = { sub: 'u', tenant: 'AGDAR', roles: ['admin'], iat: now, exp: now + 300 };
    it.each([
      ['a token without exp', { ...good, exp: undefined }, 401, 'exp claim'],
      ['a token issued a day in the future', { ...good, iat: now + 86400 }, 401, 'iat claim'],
      ['a token not valid for another hour', { ...good, nbf: now + 3600 }, 401, 'nbf claim'],
      ['an expired token', { ...good, exp: now - 3600 }, 401, 'exp claim'],
      ['a lower-case tenant', { ...good, tenant: 'agdar' }, 401, 'tenant claim'],
      ['roles as a string', { ...good, roles: 'admin' }, 401, 'roles claim'],
      ['no sub', { ...good, sub: undefined }, 401, 'sub claim'],
      ['only roles the platform does not know', { ...good, roles: ['superuser'] }, 403, 'no role this platform knows'],
    ])('refuses %s', async (_label, claims, status, names) => {
      const response = await platform.api.as(sign(claims)).get('/clinics');
      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status,
        detail: expect.stringContaining(names),
      });
    });

    it('accepts a clock a little ahead of ours, and ignores roles it does not know beside ones it does', async () => {
      const tenant = await registerTenant(platform);
      const ahead = sign({ ...good, tenant, iat: now + 30, nbf: now + 30, roles: ['superuser', 'admin'] });
      expect((await platform.api.as(ahead).get('/clinics')).status).toBe(200);
    });
  });

  describe('roles', () => {
    it.each([
      ['a provider registers a patient', 'provider', 'post', '/patients'],
      ['billing searches patients', 'billing', 'get', '/patients'],
      ['an admin creates a tenant', 'admin', 'post', '/tenants'],
    ] as const)('answers 403 when %s', async (_label, role, method, path) => {
      const tenant = await registerTenant(platform);
      const response = await platform.api.asRole(tenant, role)[method](path, method === 'post' ? patient : undefined);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
      if (method === 'post' && path === '/patients') expect(await count(tenant)).toBe(0);
    });
  });

  it("answers 404 for another tenant's patient and does not list it", async () => {
    const mine = await registerTenant(platform);
    const theirs = await registerTenant(platform);
    const created = await platform.api.asRole(theirs, 'reception').post('/patients', patient);
    expect(created.status).toBe(201);
    const response = await platform.api.asRole(mine, 'reception').get(`/patients/${created.body.id}`);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
    expect(await count(mine)).toBe(0);
  });

  describe('bad input', () => {
    const cases: [string, unknown, number, string, string][] = [
      ['malformed JSON', '{"firstNameEn": "Adam",', 400, 'MALFORMED_JSON', '(body)'],
      ['an unknown field', { ...patient, shoeSize: 42 }, 400, 'VALIDATION_FAILED', 'shoeSize'],
      ['a wrong type', { ...patient, firstNameEn: 7 }, 400, 'VALIDATION_FAILED', 'firstNameEn'],
      ['a missing field', { ...patient, lastNameEn: undefined }, 400, 'VALIDATION_FAILED', 'lastNameEn'],
      [
        'a date that does not exist',
        { ...patient, dateOfBirth: '2019-02-29' },
        400,
        'VALIDATION_FAILED',
        'dateOfBirth',
      ],
      [
        'a nested unknown field',
        { ...patient, guardian: { name: 'X', relationship: 'father', pin: 1 } },
        400,
        'VALIDATION_FAILED',
        'guardian.pin',
      ],
      ['an over-long value', { ...patient, firstNameEn: 'A'.repeat(101) }, 400, 'VALIDATION_FAILED', 'firstNameEn'],
      ['an array for a body', [patient], 400, 'VALIDATION_FAILED', '(body)'],
    ];

    it.each(cases)(
      'answers %s with a problem naming the field, and writes nothing',
      async (_label, body, status, code, field) => {
        const tenant = await registerTenant(platform);
        const response = await platform.api.asRole(tenant, 'reception').post('/patients', body);
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body.code).toBe(code);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        expect(await count(tenant)).toBe(0);
      },
    );

    it.each([
      ['a NUL byte in a clinic name', '/clinics', { name: 'Ola\u0000ya', timezone: 'Asia/Riyadh' }, 'name'],
      ['a NUL byte in a service type name', '/service-types', { name: 'OT\u0000', code: 'OT_X' }, 'name'],
      ['a NUL byte in a provider specialty', '/providers', { name: 'Huda', specialty: 'O\u0000T' }, 'specialty'],
      ['a control character in a patient name', '/patients', { ...patient, firstNameEn: 'Ad\u0007am' }, 'firstNameEn'],
      ['a line break in a surname', '/patients', { ...patient, lastNameEn: 'Sal\neh' }, 'lastNameEn'],
      [
        'a right-to-left override in an Arabic name',
        '/patients',
        { ...patient, firstNameAr: 'آدم\u202e' },
        'firstNameAr',
      ],
      [
        'an isolate in a guardian name',
        '/patients',
        { ...patient, guardian: { name: 'Huda\u2067', relationship: 'mother' } },
        'guardian.name',
      ],
    ])('refuses %s with 400 naming the field, and writes nothing', async (_label, path, body, field) => {
      const tenant = await registerTenant(platform);
      const response = await platform.api.asRole(tenant, 'admin').post(path, body);
      expect({ status: response.status, fields: response.body.errors?.map((e: { field: string }) => e.field) }).toEqual(
        {
          status: 400,
          fields: [field],
        },
      );
      expect(await count(tenant)).toBe(0);
    });

    it('refuses a NUL byte in a search with 400 naming q, not 503', async () => {
      const response = await platform.api.asRole(await registerTenant(platform), 'reception').get('/patients?q=%00');
      expect({ status: response.status, field: response.body.errors?.[0].field }).toEqual({ status: 400, field: 'q' });
    });

    it('stores names normalised to NFC and trimmed, so one name typed two ways is one name', async () => {
      const decomposed = 'Rene\u0301e';
      const created = await platform.api
        .asRole(await registerTenant(platform), 'reception')
        .post('/patients', { ...patient, firstNameEn: `  ${decomposed} ` });
      expect(created.status).toBe(201);
      expect(created.body.firstNameEn).toBe('Ren\u00e9e');
    });

    it('answers an oversized body with a 400 problem naming the body, and writes nothing', async () => {
      const tenant = await registerTenant(platform);
      const response = await platform.api
        .asRole(tenant, 'reception')
        .post('/patients', { ...patient, lastNameEn: 'x'.repeat(5000) });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        errors: [{ field: '(body)', message: 'is larger than 2kb' }],
      });
      expect(await count(tenant)).toBe(0);
    });

    it('answers a body that is not JSON with 415', async () => {
      const response = await platform.api
        .asRole(await registerTenant(platform), 'reception')
        .post('/patients', 'firstNameEn=Adam', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.status).toBe(415);
    });

    it('answers a malformed id and a bad query with 400 naming them', async () => {
      const reception = platform.api.asRole(await registerTenant(platform), 'reception');
      const badId = await reception.get('/patients/not-a-uuid');
      expect(badId.status).toBe(400);
      expect(badId.body.errors[0].field).toBe('id');
      const badQuery = await reception.get('/patients?pageSize=1000&sort=name');
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['pageSize', 'sort']);
    });

    it('answers an unknown route with a 404 problem', async () => {
      const response = await platform.api.asRole(await registerTenant(platform), 'admin').get('/nothing-here');
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });
  });

  describe('tenants', () => {
    it('lets a platform admin create a tenant once', async () => {
      const admin = platform.api.asRole('PLATFORM', 'platform-admin');
      const code = uniqueTenant();
      const body = { code, name: 'Agdar Riyadh', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 };
      const created = await admin.post('/tenants', body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject(body);
      const again = await admin.post('/tenants', body);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('TENANT_EXISTS');
    });

    it('refuses an unknown time zone naming the field', async () => {
      const response = await platform.api
        .asRole('PLATFORM', 'platform-admin')
        .post('/tenants', { code: 'ZZ', name: 'Z', timezone: 'Mars/Base', currency: 'SAR', vatRate: 0.15 });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('timezone');
    });
  });

  it('serves the OpenAPI document with every endpoint and its bodies', async () => {
    const response = await platform.api.get('/docs-json');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/patients', '/api/patients/{id}', '/api/tenants']),
    );
    const register = response.body.paths['/api/patients'].post;
    expect(register.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/RegisterPatient',
    });
    expect(response.body.components.schemas.RegisterPatient.properties).toHaveProperty('firstNameAr');
    expect(register.responses['400'].content['application/problem+json']).toBeDefined();
    expect((await platform.api.get('/docs')).status).toBe(200);
  });
});
