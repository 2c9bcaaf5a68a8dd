// Production sign-in: with JWKS_URL set, the gateway and every service behind it verify tokens against the identity
// provider's published keys, and a development token signed with JWT_SECRET no longer opens anything.
import { createServer, Server } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ApiClient, eventually, tokenFor } from '@agdar/testing';
import { Platform, startPlatform, uniqueTenant } from './support/platform';

describe('tokens from an identity provider', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const issuer = 'https://id.agdar.example';
  const providerToken = (tenant: string, roles: string[]) =>
    jwt.sign({ sub: `idp-${roles[0]}`, tenant, roles }, privateKey, {
      algorithm: 'RS256',
      keyid: 'idp-1',
      issuer,
      audience: 'agdar-api',
      expiresIn: 300,
    });
  let jwks: Server;
  let platform: Platform;

  beforeAll(async () => {
    jwks = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'idp-1', use: 'sig', alg: 'RS256' }],
        }),
      ),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const settings = {
      JWKS_URL: `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`,
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: 'agdar-api',
    };
    platform = await startPlatform(settings, settings);
  });
  afterAll(async () => {
    await platform?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('lets a signed-in admin work through the gateway and the services behind it', async () => {
    const tenant = uniqueTenant();
    const tenantCreated = await platform.api
      .as(providerToken('PLATFORM', ['platform-admin']))
      .post('/tenants', { code: tenant, name: 'IdP clinic', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 });
    expect(tenantCreated.status).toBe(201);
    const participant = new ApiClient(platform.participant.url).as(providerToken(tenant, ['reception']));
    await eventually(
      async () => (await participant.get('/patients')).status === 200,
      'the participant service to know the tenant',
    );
    const admin = platform.api.as(providerToken(tenant, ['admin']));
    expect((await admin.post('/clinics', { name: 'Olaya', timezone: 'Asia/Riyadh' })).status).toBe(201);
    expect(
      (
        await admin.post('/patients', {
          firstNameEn: 'Adam',
          lastNameEn: 'Saleh',
          dateOfBirth: '2016-05-05',
          email: 'adam@example.com',
        })
      ).status,
    ).toBe(201);
    expect((await admin.get('/clinics')).body.total).toBe(1);
  });

  it('refuses a development token signed with JWT_SECRET, at the gateway and at each service', async () => {
    const devToken = tokenFor('AGDAR', ['admin']);
    const calls = [
      [`${platform.gateway.url}/api`, '/clinics'],
      [platform.scheduling.url, '/clinics'],
      [platform.participant.url, '/patients'],
    ];
    for (const [base, path] of calls) {
      const response = await new ApiClient(base).as(devToken).get(path);
      expect({ base, status: response.status, code: response.body.code }).toEqual({
        base,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it("refuses a provider's token meant for another audience", async () => {
    const other = jwt.sign({ sub: 'x', tenant: 'AGDAR', roles: ['admin'] }, privateKey, {
      algorithm: 'RS256',
      keyid: 'idp-1',
      issuer,
      audience: 'billing-portal',
      expiresIn: 300,
    });
    expect((await platform.api.as(other).get('/clinics')).status).toBe(401);
  });
});
