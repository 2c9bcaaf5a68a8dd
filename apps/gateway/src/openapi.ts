// OpenAPI from the same zod schemas that validate requests, so the document cannot drift from what is enforced.
import { applyDecorators, INestApplication } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { problemSchema } from '@agdar/contracts';

type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, a body over the size limit, unknown fields or invalid values; `errors` names each field',
  401: 'Missing, invalid or expired bearer token',
  403: 'The caller lacks the role this needs',
  404: 'No such resource in the caller\'s tenant',
  409: 'Refused by a business rule; `code` says which',
  415: 'Body is not JSON',
  422: 'Idempotency-Key reused for a different request',
  429: 'Rate limit exceeded',
  503: 'A service behind the gateway is not reachable',
};

interface EndpointDoc {
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  response?: z.ZodType;
  status?: number;
  problems?: number[];
}

/** Documents one endpoint: summary, body, query parameters, success body and the problems it can answer. */
export function Endpoint(doc: EndpointDoc) {
  const decorators = [ApiOperation({ summary: doc.summary }), ApiBearerAuth()];
  if (doc.body) decorators.push(ApiBody({ schema: jsonSchemaOf(doc.body) as never }));
  for (const [name, field] of Object.entries(doc.query?.shape ?? {})) {
    const schema = jsonSchemaOf(field as z.ZodType);
    decorators.push(ApiQuery({ name, required: false, schema: schema as never }));
  }
  decorators.push(ApiResponse({ status: doc.status ?? 200, description: 'Success', schema: doc.response ? (jsonSchemaOf(doc.response, 'output') as never) : undefined }));
  const problemBody = jsonSchemaOf(problemSchema, 'output');
  for (const status of [...new Set([400, 401, 403, 429, 503, ...(doc.problems ?? [])])].sort()) {
    decorators.push(ApiResponse({ status, description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem', content: { 'application/problem+json': { schema: problemBody as never } } }));
  }
  return applyDecorators(...decorators);
}

export function mountOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Agdar clinic scheduling API')
    .setDescription('Group and individual therapy sessions, participants, patients and billing. Errors are application/problem+json.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
