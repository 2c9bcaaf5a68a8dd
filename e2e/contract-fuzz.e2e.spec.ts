// A property-based contract test: for every operation of the OpenAPI document, requests generated from the document
// itself (fast-check) are accepted or refused only with a status and problem code the document lists for that
// operation, never with a 5xx; requests made invalid on purpose (an unknown field, a missing required one, a wrong
// type) are 400 naming a field; and every answer validates against the document (Ajv, OpenAPI 3.0's JSON schema).
import fc from 'fast-check';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ApiClient, arbitraryOf, JsonSchema } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { createSession, registerPatients, setUpClinic } from './support/clinic';
import { invoiceOf, priceServiceType } from './support/billing';

interface Operation {
  path: string;
  method: string;
  parameters: { name: string; in: string; required: boolean; schema: JsonSchema; $ref?: string }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema; examples?: Record<string, unknown> }> }>;
}

const VALID_RUNS = Number(process.env.CONTRACT_FUZZ_RUNS ?? 15);
const INVALID_RUNS = Math.max(3, Math.ceil(VALID_RUNS / 2));

/** Rewrites local references so one Ajv instance resolves them against the whole document. */
function rebased(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebased);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' ? `api${v as string}` : rebased(v)]),
  );
}

describe('the API against its own document, with generated requests', () => {
  let platform: Platform;
  let api: ApiClient;
  let operations: Operation[];
  let components: Record<string, JsonSchema>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  /** Ids that exist, by the collection a path names: most generated paths name something real. */
  const existing: Record<string, string[]> = {};
  const knownIds: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform({ RATE_LIMIT_PER_MINUTE: '100000' });
    const clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
    const patients = await registerPatients(platform, clinic, 2);
    const session = await createSession(clinic, { maxCapacity: 4 });
    const participant = (await clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId: patients[0] }))
      .body;
    Object.assign(existing, {
      sessions: [session.id],
      patients,
      clinics: [clinic.clinicId],
      rooms: clinic.roomIds,
      providers: clinic.providerIds,
      'service-types': [clinic.serviceTypeId],
      participants: [participant.id],
      invoices: [(await invoiceOf(clinic, participant.appointmentNumber, 'ISSUED')).id],
      billing: [clinic.serviceTypeId], // /billing/prices/{serviceTypeId}
    });
    knownIds.push(...Object.values(existing).flat());
    api = platform.api.asRole(clinic.tenant, 'platform-admin', 'admin', 'reception', 'provider', 'billing');
    const document = (await (await fetch(`${platform.gateway.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, Omit<Operation, 'path' | 'method'>>>;
      components: { schemas: Record<string, JsonSchema>; parameters: Record<string, unknown> };
    };
    components = document.components.schemas;
    ajv.addSchema({ components: rebased(document.components) } as object, 'api');
    // Reads and creations first, changes last: a generated PATCH may cancel the session the other requests use.
    const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    operations = Object.entries(document.paths)
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          ...op,
          path: path.replace(/^\/api/, ''),
          method: method.toUpperCase(),
        })),
      )
      .sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
  }, 120000);
  afterAll(async () => platform?.stop());

  const parametersIn = (op: Operation, where: string) => op.parameters.filter((p) => !p.$ref && p.in === where);

  function requestArbitrary(op: Operation) {
    const known = { knownIds };
    const collection = op.path.split('/')[1];
    const idOf = (name: string) => {
      const real = existing[name === 'pid' ? 'participants' : collection] ?? [];
      if (!real.length) return fc.uuid();
      return fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 4 }, { arbitrary: fc.uuid(), weight: 1 });
    };
    const path = fc.record(Object.fromEntries(parametersIn(op, 'path').map((p) => [p.name, idOf(p.name)])));
    const query = fc.record(
      Object.fromEntries(parametersIn(op, 'query').map((p) => [p.name, arbitraryOf(p.schema, components, known)])),
      {
        requiredKeys: parametersIn(op, 'query')
          .filter((p) => p.required)
          .map((p) => p.name),
      },
    );
    const body = op.requestBody
      ? arbitraryOf(op.requestBody.content['application/json'].schema, components, known)
      : fc.constant(undefined);
    return fc.record({ path, query, body });
  }

  async function send(
    op: Operation,
    request: { path: Record<string, string>; query: Record<string, unknown>; body: unknown },
  ) {
    const path = op.path.replace(/\{(\w+)\}/g, (_all, name: string) => request.path[name]);
    const search = new URLSearchParams(
      Object.entries(request.query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return api.request(op.method, `${path}${search ? `?${search}` : ''}`, request.body);
  }

  /** What the document promises about an answer; undefined when it keeps it. */
  function brokenPromise(op: Operation, response: { status: number; body: any; headers: Headers }): string | undefined {
    const body = response.body as { code?: string } | undefined;
    const documented = op.responses[String(response.status)];
    if (response.status >= 500) return `answered ${response.status}: ${JSON.stringify(response.body)}`;
    if (!documented)
      return `answered ${response.status}, which the document does not list: ${JSON.stringify(response.body)}`;
    const mediaType = response.status >= 400 ? 'application/problem+json' : 'application/json';
    const content = documented.content?.[mediaType];
    if (!content) return undefined;
    if (!(response.headers.get('content-type') ?? '').startsWith(mediaType))
      return `answered ${response.headers.get('content-type')}`;
    const validate = ajv.compile(rebased(content.schema) as object);
    if (!validate(response.body))
      return `answered a body the document does not describe (${ajv.errorsText(validate.errors)}): ${JSON.stringify(body)}`;
    if (response.status >= 400 && content.examples && !(String(body?.code) in content.examples)) {
      return `answered code ${body?.code}, not one of ${Object.keys(content.examples).join(', ')}`;
    }
    return undefined;
  }

  it('answers generated requests only as the document says, never with a 5xx', async () => {
    const broken: string[] = [];
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op), async (request) => {
          const response = await send(op, request);
          const problem = brokenPromise(op, response);
          if (problem) broken.push(`${op.method} ${op.path} ${JSON.stringify(request)}: ${problem}`);
        }),
        { numRuns: VALID_RUNS },
      );
    }
    expect(broken).toEqual([]);
  }, 300000);

  it('answers requests made invalid on purpose with 400 naming a field', async () => {
    const broken: string[] = [];
    for (const op of operations.filter((o) => o.requestBody)) {
      const schema = op.requestBody!.content['application/json'].schema;
      const named = components[schema.$ref!.split('/').pop()!];
      const required = named.required ?? [];
      const spoilers = fc.constantFrom('unknown field', 'wrong type', ...(required.length ? ['missing field'] : []));
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op), spoilers, fc.nat(), async (request, spoiler, pick) => {
          const body = { ...(request.body as Record<string, unknown>) };
          const fields = Object.keys(named.properties ?? {});
          if (spoiler === 'unknown field') body.notAField = 1;
          if (spoiler === 'missing field') delete body[required[pick % required.length]];
          if (spoiler === 'wrong type') {
            const field = fields[pick % fields.length];
            body[field] = typeof body[field] === 'number' ? 'not a number' : { not: 'a value' };
          }
          const response = await send(op, { ...request, body });
          const fieldsNamed = (response.body?.errors ?? []).map((e: { field: string }) => e.field);
          if (response.status !== 400 || !fieldsNamed.length) {
            broken.push(
              `${op.method} ${op.path} (${spoiler}) ${JSON.stringify(body)}: ${response.status} ${JSON.stringify(response.body)}`,
            );
          }
          const problem = brokenPromise(op, response);
          if (problem) broken.push(`${op.method} ${op.path} (${spoiler}): ${problem}`);
        }),
        { numRuns: INVALID_RUNS },
      );
    }
    expect(broken).toEqual([]);
  }, 300000);
});
