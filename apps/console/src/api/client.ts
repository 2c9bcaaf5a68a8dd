// Calls the gateway: the bearer token, an Idempotency-Key for every create (kept across retries of the same form, see
// api/attempts.ts), and problem answers turned into an ApiProblem the screens show next to what caused it.
import type { ProblemCode } from '@agdar/contracts/browser';
import { loadSession } from '../auth/session';
import { BodyOf, ENDPOINTS, OperationId, ParamsOf, QueryOf, ResponseOf } from './endpoints';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode | 'NETWORK',
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

const tokenOf = () => loadSession()?.token ?? null;
let onUnauthenticated: () => void = () => undefined;

/** The auth module says what to do when the gateway no longer accepts the token (it has expired, or was revoked). */
export function onSignedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

type Input<K extends OperationId> = { params?: ParamsOf<K>; query?: QueryOf<K>; body?: BodyOf<K> };

export function urlOf<K extends OperationId>(operation: K, input: Input<K> = {}): string {
  const endpoint = ENDPOINTS[operation];
  const params = (input.params ?? {}) as Record<string, unknown>;
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_all, name: string) => encodeURIComponent(String(params[name])));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((input.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return `/api${path}${query ? `?${query}` : ''}`;
}

export async function call<K extends OperationId>(
  operation: K,
  input: Input<K> = {},
  idempotencyKey?: string,
): Promise<ResponseOf<K>> {
  return (await request(operation, input, idempotencyKey)).json() as Promise<ResponseOf<K>>;
}

/** An endpoint that answers a document (a printable invoice, a CSV export): its text. */
export async function callDocument<K extends OperationId>(operation: K, input: Input<K> = {}): Promise<string> {
  return (await request(operation, input)).text();
}

async function request<K extends OperationId>(
  operation: K,
  input: Input<K>,
  idempotencyKey?: string,
): Promise<Response> {
  const endpoint = ENDPOINTS[operation];
  const headers: Record<string, string> = { accept: endpoint.produces ?? 'application/json' };
  const token = tokenOf();
  if (token) headers.authorization = `Bearer ${token}`;
  if (input.body !== undefined) headers['content-type'] = 'application/json';
  if (endpoint.method === 'POST') headers['idempotency-key'] = idempotencyKey ?? crypto.randomUUID();
  let response: Response;
  try {
    response = await fetch(urlOf(operation, input), {
      method: endpoint.method,
      headers,
      body: input.body === undefined ? undefined : JSON.stringify(input.body),
    });
  } catch {
    throw new ApiProblem(0, 'NETWORK', 'The platform cannot be reached; check the connection and try again.');
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const body = (await response.json().catch(() => null)) as {
    code?: ProblemCode;
    detail?: string;
    errors?: FieldError[];
  } | null;
  if (response.status === 401) onUnauthenticated();
  return new ApiProblem(
    response.status,
    body?.code ?? 'INTERNAL_ERROR',
    body?.detail ?? `The platform answered ${response.status}.`,
    body?.errors ?? [],
  );
}
