// Forwards a validated request to the service that owns the resource, with the caller's token and correlation id,
// and passes its answer back unchanged. The gateway holds no business rules: services decide, the gateway relays.
import type { Request, Response } from 'express';
import { AuthUser, currentContext, DomainError, problem, sendProblem } from '@agdar/service-kit';
import { IdempotencyStore, StoredResponse } from './idempotency.store';

export type ServiceName = 'scheduling' | 'participant';

export interface ForwardOptions {
  method?: string;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
}

export class Upstream {
  constructor(
    private readonly baseUrls: Record<ServiceName, string>,
    private readonly idempotency: IdempotencyStore,
    private readonly timeoutMs: number,
  ) {}

  async forward(req: Request, res: Response, service: ServiceName, options: ForwardOptions): Promise<void> {
    const method = options.method ?? req.method;
    const user = (req as Request & { user: AuthUser }).user;
    const key = req.headers['idempotency-key'];
    if (method === 'POST' && typeof key === 'string') {
      const claim = await this.idempotency.claim(user, key, { method, path: options.path, body: options.body });
      if ('replay' in claim) {
        res.setHeader('idempotent-replayed', 'true');
        return send(res, claim.replay);
      }
      const response = await this.call(service, method, options, req).catch(async (error) => {
        await claim.complete({ status: 503, contentType: '', body: '' });
        throw error;
      });
      await claim.complete(response);
      return send(res, response);
    }
    return send(res, await this.call(service, method, options, req));
  }

  private async call(service: ServiceName, method: string, options: ForwardOptions, req: Request): Promise<StoredResponse> {
    const url = new URL(options.path, this.baseUrls[service]);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    let response: globalThis.Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: String(req.headers.authorization ?? ''),
          'x-correlation-id': currentContext()?.correlationId ?? '',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        timedOut ? `The ${service} service did not answer in time; try again shortly.` : `The ${service} service is not reachable right now; try again shortly.`,
      );
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body: await response.text() };
  }
}

function send(res: Response, response: StoredResponse): void {
  if (response.status === 0) return sendProblem(res, problem(502, 'BAD_GATEWAY', 'The service gave no answer.'));
  res.status(response.status);
  if (response.body) res.type(response.contentType).send(response.body);
  else res.end();
}
