// The platform as the importer reaches it: the gateway, called through the endpoints' own declarations (method, path,
// parameters, body and answer types all come from libs/contracts), with the waits a long run needs (a gateway that
// restarts, 503 and 429 with Retry-After). Refusals of the importer itself (401, 403, 413) stop the run in one line;
// any other refusal is an ApiError for the caller to decide about.
import {
  AnyEndpoint,
  concretePathOf,
  EndpointAnswer,
  EndpointRequest,
  MAX_IMPORT_BATCH_BYTES,
  TenantsApi,
} from '@agdar/contracts';
import { ImportTenant } from './import-rules';
import { Fatal } from './options';

/** A refusal of one request (a 4xx other than the importer's own, or a 5xx after the waits). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

type Request<E extends AnyEndpoint> = Partial<EndpointRequest<E>>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Api {
  constructor(
    private readonly base: string,
    private token: string | null,
  ) {}

  /** Calls one declared endpoint; its answer is typed by the declaration's response schema. */
  call<E extends AnyEndpoint>(
    endpoint: E,
    request: Request<E> = {},
    headers: Record<string, string> = {},
  ): Promise<EndpointAnswer<E>> {
    const query = Object.entries((request.query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined);
    const search = query.length
      ? `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)]))}`
      : '';
    const path = `${concretePathOf(endpoint, request.params as Record<string, unknown>)}${search}`;
    return this.send(endpoint.method, path, request.body, headers) as Promise<EndpointAnswer<E>>;
  }

  /** Every item of a paged list endpoint. */
  async all<E extends AnyEndpoint>(endpoint: E): Promise<PageItem<EndpointAnswer<E>>[]> {
    const items: PageItem<EndpointAnswer<E>>[] = [];
    for (let page = 1; ; page++) {
      const answer = (await this.call(endpoint, { query: { page, pageSize: 100 } } as unknown as Request<E>)) as {
        items: PageItem<EndpointAnswer<E>>[];
        total: number;
      };
      items.push(...answer.items);
      if (items.length >= answer.total || answer.items.length === 0) return items;
    }
  }

  /** Without IMPORT_TOKEN, a platform in development mode signs the tenant's demo admin in. */
  async signIn(tenant: string): Promise<void> {
    if (this.token) return;
    const settings = await fetch(this.base.replace(/\/api$/, '/console-settings.json'))
      .then((r) => r.json() as Promise<{ signIn: string; tenant?: string }>)
      .catch(() => null);
    if (settings?.signIn !== 'development' || settings.tenant !== tenant)
      throw new Fatal(`set IMPORT_TOKEN to an admin token of ${tenant} (the gateway at ${this.base} gives none)`);
    // The development sign-in is the gateway's own, declared by no service.
    const answer = (await this.send('POST', '/dev/token', { userId: 'demo-admin' })) as { token: string };
    this.token = answer.token;
  }

  /**
   * The token's own tenant must be the one named: the gateway files everything under the token's tenant, so a file of
   * clinic A with `--tenant A` and an admin token of clinic B would land A's patients in B.
   */
  async checkTenant(tenant: string): Promise<ImportTenant> {
    const me = await this.call(TenantsApi.me);
    if (me.tenant.code !== tenant)
      throw new Fatal(
        `IMPORT_TOKEN is a token of tenant ${me.tenant.code}, not ${tenant}; use an admin token of ${tenant}`,
      );
    if (!me.tenant.registered) throw new Fatal(`tenant ${tenant} is not registered on ${this.base}; create it first`);
    if (!me.roles.includes('admin')) throw new Fatal(`IMPORT_TOKEN must be an admin's token of ${tenant}`);
    return { code: tenant, country: me.tenant.country ?? 'SA' };
  }

  private async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        if (attempt < 10) {
          await sleep(500 * attempt);
          continue;
        }
        throw new Fatal(
          `the gateway at ${this.base} does not answer (${(error as Error).message}); start it and run again`,
        );
      }
      if ((response.status === 503 || response.status === 429) && attempt < 20) {
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      const text = await response.text();
      const json = jsonOf(text);
      refuseRun(response.status, json?.detail ?? text.slice(0, 200), this.base);
      if (!response.ok) throw new ApiError(response.status, json?.code ?? 'ERROR', json?.detail ?? text.slice(0, 200));
      return json;
    }
  }
}

type PageItem<P> = P extends { items: (infer I)[] } ? I : never;

/**
 * Answers that concern the whole run, never one patient or row: a token that expired or was revoked (401), one that
 * lost its rights (403), a gateway that refuses the request size (413). Going on would refuse every row after it.
 */
function refuseRun(status: number, detail: string, base: string): void {
  if (status === 401)
    throw new Fatal(`the gateway refused IMPORT_TOKEN (${detail}); get a new admin token and run again`);
  if (status === 403) throw new Fatal(`IMPORT_TOKEN may not do this (${detail}); use an admin's token of the tenant`);
  if (status === 413)
    throw new Fatal(
      `the gateway at ${base} refuses requests of ${MAX_IMPORT_BATCH_BYTES} bytes; ` +
        `raise its BODY_LIMIT to 64kb (the default) and run again`,
    );
}

/** An answer's JSON, or null for one that is not (a proxy's HTML error page). */
function jsonOf(text: string): any {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
