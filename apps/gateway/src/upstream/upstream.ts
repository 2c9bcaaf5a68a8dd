// Forwards a validated request to the service that owns the resource, with the caller's token and correlation id,
// and passes its answer back unchanged. The gateway holds no business rules: services decide, the gateway relays.
import { Agent, OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import type { Request, Response } from 'express';
import { ServiceName } from '@agdar/contracts';
import { currentContext, DomainError, problem, sendProblem } from '@agdar/service-kit';

export interface UpstreamResponse {
  status: number;
  contentType: string;
  /** A document's Content-Disposition (a CSV export's file name), passed on as it came. */
  disposition?: string;
  /** The service says it answered a retry with the stored answer of an earlier request with the same key. */
  replayed: boolean;
  /** The service says when to ask again (a fact it has not learnt yet), passed on as it came. */
  retryAfter?: string;
  body: string;
}

export interface ForwardOptions {
  method?: string;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Where a created resource can be read, as declared (`/sessions/{id}`); sent as Location on a 201. */
  location?: string;
}

/**
 * Idempotency is the owning service's: it records the Idempotency-Key with the change in one transaction, so the
 * gateway passes the key on and never re-sends a request that changes something on its own.
 */
export class Upstream {
  constructor(
    private readonly baseUrls: Record<ServiceName, string>,
    private readonly timeoutMs: number,
  ) {}

  // Connections to the services are kept alive and closed after 4 s idle, before the services' own 5 s keep-alive
  // timeout closes them, so a request rarely lands on a connection the other side is closing.
  private readonly agent = new Agent({ keepAlive: true, timeout: 4000, maxSockets: 256 });

  async forward(req: Request, res: Response, service: ServiceName, options: ForwardOptions): Promise<void> {
    const method = options.method ?? req.method;
    return send(res, await this.call(service, method, options, req), options.location);
  }

  /** Closes the kept-alive connections to the services. */
  close(): void {
    this.agent.destroy();
  }

  private async call(
    service: ServiceName,
    method: string,
    options: ForwardOptions,
    req: Request,
  ): Promise<UpstreamResponse> {
    const url = new URL(options.path, this.baseUrls[service]);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const payload = options.body !== undefined ? JSON.stringify(options.body) : undefined;
    const key = req.headers['idempotency-key'];
    const headers: OutgoingHttpHeaders = {
      authorization: String(req.headers.authorization ?? ''),
      'x-correlation-id': currentContext()?.correlationId ?? '',
      ...(typeof key === 'string' ? { 'idempotency-key': key } : {}),
      ...(payload !== undefined
        ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
        : {}),
    };
    try {
      return await this.exchange(url, method, headers, payload);
    } catch (error) {
      // A change that may have been carried out is safe to retry only with its Idempotency-Key: say so.
      const retry = method === 'GET' ? 'try again shortly' : 'retry with the same Idempotency-Key';
      if (error instanceof UpstreamTimeout) {
        throw new DomainError('SERVICE_UNAVAILABLE', `The ${service} service did not answer in time; ${retry}.`);
      }
      throw new DomainError('SERVICE_UNAVAILABLE', `The ${service} service is not reachable right now; ${retry}.`);
    }
  }

  /**
   * One request and its whole answer over a kept-alive connection, within the upstream deadline. node:http rather than
   * fetch: a third of the CPU per forwarded request, which the gateway spends on every call.
   */
  private exchange(
    url: URL,
    method: string,
    headers: OutgoingHttpHeaders,
    payload: string | undefined,
    retried = false,
  ): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(deadline);
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? 'application/json',
            disposition: response.headers['content-disposition'],
            replayed: response.headers['idempotent-replayed'] === 'true',
            retryAfter: response.headers['retry-after'],
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      const deadline = setTimeout(() => request.destroy(new UpstreamTimeout()), this.timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) => {
        // The service closed an idle kept-alive connection just as it was reused: a read is sent again on a new one.
        // A change is not: whether it reached the service cannot be known here, and its retry is the caller's, with
        // its Idempotency-Key.
        if (request.reusedSocket && error.code === 'ECONNRESET' && !retried && method === 'GET') {
          clearTimeout(deadline);
          return this.exchange(url, method, headers, payload, true).then(resolve, reject);
        }
        fail(error);
      });
      request.end(payload);
      function fail(error: Error) {
        clearTimeout(deadline);
        reject(error);
      }
    });
  }
}

class UpstreamTimeout extends Error {}

function send(res: Response, response: UpstreamResponse, location?: string): void {
  if (response.status === 0) return sendProblem(res, problem(502, 'BAD_GATEWAY', 'The service gave no answer.'));
  res.status(response.status);
  if (response.replayed) res.setHeader('idempotent-replayed', 'true');
  if (response.disposition) res.setHeader('content-disposition', response.disposition);
  if (response.retryAfter) res.setHeader('retry-after', response.retryAfter);
  if (response.status === 201 && location) res.setHeader('location', locationOf(location, response.body));
  if (response.body) res.type(response.contentType).send(response.body);
  else res.end();
}

/** `/sessions/{id}` filled from the created resource's fields, below the API's prefix. */
function locationOf(template: string, body: string): string {
  const created = JSON.parse(body) as Record<string, unknown>;
  return `/api${template.replace(/\{(\w+)\}/g, (_all, field: string) => encodeURIComponent(String(created[field])))}`;
}
