// A service implements a declared endpoint: `@Implements(SessionsApi.getSession)` gives the handler its route, its
// success status and the roles its guard admits, and `@Input()` hands it the validated params, query and body. The
// gateway validates with the same function, so a request is judged alike at both.
import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  Header,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
} from '@nestjs/common';
import { z } from 'zod';
import { AnyEndpoint, EndpointInput, routePathOf } from '@agdar/contracts';
import { Roles } from './auth';
import { DomainError, FieldError } from './problems';
import { fieldErrors } from './validation';

const ENDPOINT_KEY = 'agdar:endpoint';

export function Implements(endpoint: AnyEndpoint): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: routePathOf(endpoint), method: RequestMethod[endpoint.method] }),
    HttpCode(endpoint.status ?? 200),
    Roles(...endpoint.roles),
    SetEndpoint(endpoint),
    ...(endpoint.produces ? [Header('content-type', `${endpoint.produces}; charset=utf-8`)] : []),
  );
}

/** Marks a handler as the one of `endpoint` (what @Input() and the route-versus-declaration test read). */
export const SetEndpoint = (endpoint: AnyEndpoint) => SetMetadata(ENDPOINT_KEY, endpoint);

/** The endpoint a handler implements, if it was declared with @Implements. */
export function endpointOf(handler: Function): AnyEndpoint | undefined {
  return Reflect.getMetadata(ENDPOINT_KEY, handler);
}

interface RequestLike {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** Validates a request against its endpoint's schemas; every bad field of params, query and body in one 400. */
export function parseEndpointInput<E extends AnyEndpoint>(endpoint: E, request: RequestLike): EndpointInput<E> {
  const errors: FieldError[] = [];
  const part = (schema: z.ZodType | undefined, value: unknown, prefix: string): unknown => {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    errors.push(...fieldErrors(result.error, prefix));
    return undefined;
  };
  const input = {
    params: part(endpoint.params, request.params ?? {}, ''),
    query: part(endpoint.query, { ...(request.query ?? {}) }, ''),
    body: part(endpoint.body, request.body ?? {}, ''),
  };
  if (errors.length) {
    const detail = `The request is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
    throw new DomainError('VALIDATION_FAILED', detail, errors);
  }
  return input as EndpointInput<E>;
}

/** The validated input of the endpoint this handler implements. */
export const Input = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const endpoint = endpointOf(context.getHandler());
  if (!endpoint)
    throw new Error(`@Input() needs @Implements(...) on ${context.getClass().name}.${context.getHandler().name}`);
  return parseEndpointInput(endpoint, context.switchToHttp().getRequest());
});
