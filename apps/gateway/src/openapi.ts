// The OpenAPI document, built from the endpoint declarations and the named schemas of the contracts: every operation
// with its roles, its parameters and their requiredness as the server enforces them, named request and response
// schemas, the problem codes it can answer (an enum and an example each) and the headers the gateway uses.
import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import {
  AnyEndpoint,
  PROBLEM_CODES,
  ProblemCode,
  problemsOf,
  problemSchema,
  requestSchemas,
  responseSchemas,
} from '@agdar/contracts';

type JsonSchema = Record<string, unknown>;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const TARGET = { target: 'openapi-3.0', unrepresentable: 'any' } as const;

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { ...TARGET, io }) as JsonSchema;
  return withNullInNullableEnums(rest) as JsonSchema;
}

/**
 * OpenAPI 3.0.3 says `nullable: true` does not widen an `enum`: a nullable enum lists null among its values, or a
 * validator following the letter (Ajv, generated clients) refuses the null the API sends.
 */
function withNullInNullableEnums(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withNullInNullableEnums);
  if (!schema || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).map(([k, v]) => [k, withNullInNullableEnums(v)] as const);
  const result = Object.fromEntries(entries) as JsonSchema;
  if (result.nullable === true && Array.isArray(result.enum) && !result.enum.includes(null))
    result.enum = [...result.enum, null];
  return result;
}

function componentsOf(registry: typeof requestSchemas, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { ...TARGET, io, uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, JsonSchema>;
  };
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $id: _id, ...schema }]) => [
      name,
      withNullInNullableEnums(schema) as JsonSchema,
    ]),
  );
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const name = (io === 'input' ? requestSchemas : responseSchemas).get(schema)?.id;
  return name ? ref(name) : jsonSchemaOf(schema, io);
}

const HEADERS = {
  'x-correlation-id': {
    description:
      'The correlation id of the request (yours if you sent a well-formed one), in every log line and event it causes',
    schema: { type: 'string' },
  },
  'ratelimit-limit': { description: 'Requests allowed per minute to this caller', schema: { type: 'integer' } },
  'ratelimit-remaining': { description: 'Requests left in the current minute', schema: { type: 'integer' } },
  'retry-after': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
  'idempotent-replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  location: { description: 'The URL of the created resource', schema: { type: 'string' } },
};
const header = (...names: (keyof typeof HEADERS)[]) =>
  Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));

const PARAMETERS = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a retry of this POST safe: the first answer is returned to every retry with the same key (1-200 printable characters).',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  },
  CorrelationId: {
    name: 'x-correlation-id',
    in: 'header',
    required: false,
    description:
      'Your id for this request, carried into logs and events (letters, digits and ._:-, up to 100). One that is longer ' +
      'or has other characters is not refused: it is replaced by a fresh id, which the answer carries.',
    schema: { type: 'string', maxLength: 100 },
  },
};

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is not valid; `errors` names each bad field',
  401: 'Missing, invalid or expired bearer token',
  403: 'The caller lacks the role this needs',
  404: "No such resource in the caller's tenant",
  409: 'Refused by a business rule or a concurrent request; `code` says which',
  415: 'The body is not JSON',
  422: 'Idempotency-Key reused for a different request',
  429: 'Rate limit exceeded; wait for Retry-After seconds',
  503: 'A service behind the gateway or its database is not reachable; try again shortly',
};

function problemResponses(endpoint: AnyEndpoint): Record<string, unknown> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemsOf(endpoint)) {
    const status = PROBLEM_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const entries = [...byStatus].sort(([a], [b]) => a - b);
  return Object.fromEntries(
    entries.map(([status, codes]) => [
      String(status),
      {
        description: `${STATUS_TEXT[status] ?? 'Problem'}: ${codes.join(', ')}`,
        headers: status === 429 ? header('x-correlation-id', 'retry-after') : header('x-correlation-id'),
        content: {
          'application/problem+json': {
            schema: {
              allOf: [ref('Problem'), { type: 'object', properties: { code: { type: 'string', enum: codes } } }],
            },
            examples: Object.fromEntries(codes.map((code) => [code, { value: exampleProblem(code) }])),
          },
        },
      },
    ]),
  );
}

function exampleProblem(code: ProblemCode) {
  const { status, example } = PROBLEM_CODES[code];
  return {
    type: `https://docs.agdar.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: code,
    status,
    detail: example,
    code,
  };
}

function parametersOf(endpoint: AnyEndpoint): unknown[] {
  const fromObject = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return [];
    const json = jsonSchemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: property,
    }));
  };
  return [
    ...fromObject(endpoint.params, 'path'),
    ...fromObject(endpoint.query, 'query'),
    { $ref: '#/components/parameters/CorrelationId' },
    ...(endpoint.method === 'POST' ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
}

function operationOf(endpoint: AnyEndpoint) {
  const status = endpoint.status ?? 200;
  const successHeaders = header(
    'x-correlation-id',
    'ratelimit-limit',
    'ratelimit-remaining',
    ...(endpoint.method === 'POST' ? (['idempotent-replayed'] as const) : []),
    ...(endpoint.location ? (['location'] as const) : []),
  );
  return {
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: [endpoint.description, `Roles: ${endpoint.roles.join(', ')}.`, fieldAccessOf(endpoint)]
      .filter(Boolean)
      .join('\n\n'),
    ...(endpoint.readableBy ? { 'x-readable-by': endpoint.readableBy } : {}),
    'x-roles': [...endpoint.roles],
    security: [{ bearer: [] }],
    parameters: parametersOf(endpoint),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(endpoint.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(status)]: {
        description: status === 201 ? 'Created' : 'Success',
        headers: successHeaders,
        ...(endpoint.produces
          ? { content: { [endpoint.produces]: { schema: { type: 'string' } } } }
          : endpoint.response
            ? { content: { 'application/json': { schema: schemaOf(endpoint.response, 'output') } } }
            : {}),
      },
      ...problemResponses(endpoint),
    },
  };
}

export function buildOpenApiDocument(endpoints: readonly AnyEndpoint[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const path = `/api${endpoint.path}`;
    paths[path] = { ...paths[path], [endpoint.method.toLowerCase()]: operationOf(endpoint) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Agdar clinic scheduling API',
      version: '1',
      description:
        'Group and individual therapy sessions, participants, patients and reference data. Errors are ' +
        'application/problem+json with a `code`; see docs/api-guide.md for authentication, roles, idempotency and paging.',
    },
    tags: [...new Set(endpoints.map((e) => e.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        ...componentsOf(requestSchemas, 'input'),
        ...componentsOf(responseSchemas, 'output'),
        Problem: jsonSchemaOf(problemSchema, 'output'),
      },
      headers: HEADERS,
      parameters: PARAMETERS,
    },
  };
}

export function mountOpenApi(app: INestApplication, endpoints: readonly AnyEndpoint[]): void {
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(endpoints) as never, { jsonDocumentUrl: 'api/docs-json' });
}

/** The answer's fields only some roles receive, in words (and as `x-readable-by`). */
function fieldAccessOf(endpoint: AnyEndpoint): string | null {
  if (!endpoint.readableBy) return null;
  const fields = Object.entries(endpoint.readableBy).map(([field, roles]) => `\`${field}\` (${roles.join(', ')})`);
  return `Fields only some roles receive, left out for the others: ${fields.join('; ')}.`;
}
