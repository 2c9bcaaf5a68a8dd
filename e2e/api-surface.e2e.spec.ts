// For every declared endpoint: the gateway has its route, the owning service has its handler with the declared roles
// on its guard, and the OpenAPI document describes it with those roles and its problem codes. Nothing else is routed.
import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { AnyEndpoint, API_ENDPOINTS, problemsOf, routePathOf, SERVICES } from '@agdar/contracts';
import { endpointOf, rolesOf } from '@agdar/service-kit';
import { Platform, startPlatform } from './support/platform';
import { StartedService } from '@agdar/testing';

interface Route {
  route: string;
  operationId: string | undefined;
  roles: readonly string[] | undefined;
}

/** Every HTTP handler of a running Nest app: its method and path as Nest routes it, its declaration and its roles. */
function routesOf(app: INestApplication): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype: Record<string, unknown> }).prototype;
      const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype as object) ?? '/').replace(/^\/?/, '/');
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined || path === 'health' || String(path).startsWith('health')) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const full = `${base}/${String(path).replace(/^\//, '')}`.replace(/\/+/g, '/').replace(/\/$/, '');
        routes.push({
          route: `${method} ${full}`,
          operationId: endpointOf(handler)?.operationId,
          roles: rolesOf(handler),
        });
      }
    }
  }
  return routes.filter((r) => !r.route.includes('/health/'));
}

const expectedRoute = (e: AnyEndpoint) => ({
  route: `${e.method} ${routePathOf(e)}`,
  operationId: e.operationId,
  roles: e.roles,
});
const byRoute = (a: Route, b: Route) => a.route.localeCompare(b.route);

describe('every declared endpoint, at the gateway, at its service and in the document', () => {
  let platform: Platform;
  beforeAll(async () => (platform = await startPlatform()));
  afterAll(async () => platform?.stop());

  it('the gateway routes exactly the declared endpoints, each admitting the declared roles', () => {
    expect(routesOf(platform.gateway.app).sort(byRoute)).toEqual(API_ENDPOINTS.map(expectedRoute).sort(byRoute));
  });

  it.each(SERVICES)('%s implements exactly its declared endpoints, each guarded by the declared roles', (service) => {
    const declared = API_ENDPOINTS.filter((e) => e.service === service).map(expectedRoute);
    expect(routesOf((platform[service] as StartedService).app).sort(byRoute)).toEqual(declared.sort(byRoute));
  });

  it('the document has each endpoint once, with its roles, its problem codes and a named schema for every body', async () => {
    const document = (await (await fetch(`${platform.gateway.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, any>>;
      components: { schemas: Record<string, unknown> };
    };
    const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(API_ENDPOINTS.map((e) => e.operationId).sort());
    for (const endpoint of API_ENDPOINTS) {
      const { path, method, op } = operations.find((o) => o.op.operationId === endpoint.operationId)!;
      expect({ id: endpoint.operationId, path, method, roles: op['x-roles'] }).toEqual({
        id: endpoint.operationId,
        path: `/api${endpoint.path}`,
        method: endpoint.method.toLowerCase(),
        roles: [...endpoint.roles],
      });
      const documentedCodes = Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([, response]: [string, any]) => Object.keys(response.content['application/problem+json'].examples));
      expect(documentedCodes.sort()).toEqual(problemsOf(endpoint).sort());
      const success = op.responses[String(endpoint.status ?? 200)].content;
      // A document (a printable invoice, a CSV export) is text of its media type, not a JSON schema.
      if (endpoint.produces) expect(Object.keys(success)).toEqual([endpoint.produces]);
      const bodies = [op.requestBody?.content['application/json'].schema, success?.['application/json']?.schema];
      for (const schema of bodies.filter(Boolean)) {
        expect(schema).toEqual({ $ref: expect.stringMatching(/^#\/components\/schemas\/[A-Z]\w+$/) });
        expect(document.components.schemas).toHaveProperty(schema.$ref.split('/').pop());
      }
    }
  });
});
