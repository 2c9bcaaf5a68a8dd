// Named schemas of the HTTP API: what the OpenAPI document lists under components.schemas, so generated clients get
// named types. Requests and responses are named apart because a request's defaults make fields optional going in.
import { z } from 'zod';

export const requestSchemas = z.registry<{ id: string }>();
export const responseSchemas = z.registry<{ id: string }>();

export function namedRequest<S extends z.ZodType>(id: string, schema: S): S {
  requestSchemas.add(schema, { id });
  return schema;
}

export function namedResponse<S extends z.ZodType>(id: string, schema: S): S {
  responseSchemas.add(schema, { id });
  return schema;
}
