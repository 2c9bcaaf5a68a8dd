// One declaration per endpoint: where it lives, who may call it, what it takes and gives, what it can refuse. The
// gateway's routes, each service's route and role guard, and the OpenAPI document are all derived from these.
import { z } from 'zod';
import { Role } from '../roles';
import { ProblemCode } from './problem-codes';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The services behind the gateway that own endpoints. */
export const SERVICES = ['scheduling', 'participant', 'billing', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];

type ObjectSchema = z.ZodType<Record<string, unknown>>;

export interface EndpointDefinition<
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
> {
  /** Unique and stable: the OpenAPI operationId and the name of generated client methods. */
  operationId: string;
  service: ServiceName;
  method: HttpMethod;
  /** Below /api, with {name} for path parameters: `/sessions/{id}`. */
  path: string;
  roles: readonly Role[];
  /** Groups operations in the document. */
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  /** A document rather than JSON (a printable invoice, a CSV export): its media type; the response is its text. */
  produces?: 'text/html' | 'text/csv';
  /** The success status: 200 unless said. */
  status?: 200 | 201;
  /**
   * Open to callers whose tenant is not registered (yet): creating tenants, and telling a caller who they are. Every
   * other endpoint answers such a caller 403 TENANT_NOT_REGISTERED.
   */
  tenantFree?: boolean;
  /** Where a created resource can be read, filled from the response body's fields: `/sessions/{id}`. */
  location?: string;
  /** The business-rule problems this endpoint can answer, beyond the ones every endpoint can. */
  problems?: readonly ProblemCode[];
  /**
   * Response fields not everyone who may call the endpoint reads (clinical notes): the field's name, wherever it
   * appears in the response, and the roles that receive it. For any other caller the field is left out.
   */
  readableBy?: Readonly<Record<string, readonly Role[]>>;
}

export type AnyEndpoint = EndpointDefinition<any, any, any, any>;

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** What a handler receives once the request passed validation. */
export type EndpointInput<E> =
  E extends EndpointDefinition<infer P, infer Q, infer B, any>
    ? { params: Infer<P>; query: Infer<Q>; body: Infer<B> }
    : never;

export type EndpointResponse<E> = E extends EndpointDefinition<any, any, any, infer R> ? Infer<R> : never;

type In<S> = S extends z.ZodType ? z.input<S> : undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a client sends to an endpoint: its parameters, its query (every field optional) and its body. */
export type EndpointRequest<E> =
  E extends EndpointDefinition<infer P, infer Q, infer B, any>
    ? { params: In<P>; query: Partial<In<Q>>; body: In<B> }
    : never;

/** What a client receives from an endpoint: its response as the schema gives it. */
export type EndpointAnswer<E> = E extends EndpointDefinition<any, any, any, infer R> ? Out<R> : never;

export function defineEndpoint<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(definition: EndpointDefinition<P, Q, B, R>): EndpointDefinition<P, Q, B, R> {
  const declared = new Set([...definition.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const shape = (definition.params as unknown as z.ZodObject | undefined)?.shape ?? {};
  const described = new Set(Object.keys(shape));
  if ([...declared].some((name) => !described.has(name)) || described.size !== declared.size) {
    throw new Error(
      `${definition.operationId}: the path parameters of ${definition.path} and its params schema differ`,
    );
  }
  return definition;
}

/** `/sessions/{id}` → `/sessions/:id`, the form Express and Nest route by. */
export function routePathOf(endpoint: AnyEndpoint): string {
  return endpoint.path.replace(/\{(\w+)\}/g, ':$1');
}

/** The endpoint's path with its parameters filled in (each URI-encoded). */
export function concretePathOf(endpoint: AnyEndpoint, params: Record<string, unknown> = {}): string {
  return endpoint.path.replace(/\{(\w+)\}/g, (_all, name: string) => encodeURIComponent(String(params[name])));
}

/** The problems every endpoint can answer, by what it takes. */
export function standardProblemsOf(endpoint: AnyEndpoint): ProblemCode[] {
  const codes: ProblemCode[] = [
    'VALIDATION_FAILED',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'RATE_LIMITED',
    'SERVICE_UNAVAILABLE',
  ];
  if (!endpoint.tenantFree) codes.push('TENANT_NOT_REGISTERED');
  if (endpoint.params) codes.push('NOT_FOUND');
  if (endpoint.body) codes.push('MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (endpoint.method === 'POST') codes.push('IDEMPOTENCY_KEY_REUSED');
  return codes;
}

/** Every problem code an endpoint can answer, standard ones first, each once. */
export function problemsOf(endpoint: AnyEndpoint): ProblemCode[] {
  return [...new Set([...standardProblemsOf(endpoint), ...(endpoint.problems ?? [])])];
}

/**
 * The response as a caller with these roles receives it: every field `readableBy` names is left out, at any depth,
 * unless one of the roles may read it. Pure, and a copy: the body given is not changed.
 */
export function visibleTo(
  body: unknown,
  readableBy: Readonly<Record<string, readonly Role[]>> | undefined,
  roles: readonly Role[],
): unknown {
  if (!readableBy) return body;
  const hidden = new Set(
    Object.entries(readableBy)
      .filter(([, readers]) => !readers.some((r) => roles.includes(r)))
      .map(([field]) => field),
  );
  if (!hidden.size) return body;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!value || typeof value !== 'object' || value instanceof Date) return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !hidden.has(key))
        .map(([key, v]) => [key, strip(v)]),
    );
  };
  return strip(body);
}
