// Every endpoint of the API, every role: who may call what is one table here, checked against the OpenAPI document
// so that a new endpoint cannot ship without its row. A caller outside an endpoint's roles gets 403, one without a
// token 401, and neither changes anything; callers inside it get past the guards (400 or 404 for these probes).
import { randomUUID } from 'node:crypto';
import { Role } from '@agdar/service-kit';
import { ApiClient } from '@agdar/testing';
import { Platform, startPlatform, uniqueTenant } from './support/platform';

const ROLES: Role[] = ['platform-admin', 'admin', 'reception', 'provider', 'billing'];
const STAFF: Role[] = ['admin', 'reception', 'provider', 'billing'];

const ACCESS: Record<string, Role[]> = {
  'POST /tenants': ['platform-admin'],
  'POST /patients': ['admin', 'reception'],
  'GET /patients': ['admin', 'reception'],
  'GET /patients/{id}': ['admin', 'reception'],
  'PATCH /patients/{id}': ['admin', 'reception'],
  'POST /patients/{id}/consents': ['admin', 'reception'],
  'POST /clinics': ['admin'],
  'GET /clinics': STAFF,
  'POST /rooms': ['admin'],
  'GET /rooms': STAFF,
  'POST /providers': ['admin'],
  'GET /providers': STAFF,
  'POST /service-types': ['admin'],
  'GET /service-types': STAFF,
  'POST /sessions': ['admin', 'reception'],
  'GET /sessions': STAFF,
  'GET /sessions/available': STAFF,
  'GET /sessions/{id}': STAFF,
  'PATCH /sessions/{id}': ['admin', 'reception', 'provider'],
  'POST /sessions/{id}/add-patient': ['admin', 'reception'],
  'PATCH /sessions/{id}/participants/{pid}': ['admin', 'reception', 'provider'],
  'DELETE /sessions/{id}/participants/{pid}': ['admin', 'reception'],
  'GET /sessions/{id}/history': ['admin'],
};

describe('access to every endpoint', () => {
  let platform: Platform;
  let endpoints: { method: string; path: string; key: string }[];
  const tenant = uniqueTenant();

  beforeAll(async () => {
    platform = await startPlatform();
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

  const probe = (role: Role | null, endpoint: { method: string; path: string }, api = platform.api) => {
    const client = role ? api.asRole(tenant, role) : api.as(undefined);
    return client.request(
      endpoint.method,
      endpoint.path,
      ['POST', 'PATCH', 'PUT'].includes(endpoint.method) ? {} : undefined,
    );
  };

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
      const direct = (path: string) =>
        new ApiClient((path.startsWith('/patients') ? platform.participant : platform.scheduling).url);
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
  });
});
