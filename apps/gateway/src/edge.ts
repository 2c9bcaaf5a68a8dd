// What the gateway does for every request before routing: CORS for browser apps on the allowed origins, 405 with
// `Allow` for a declared path asked with another method, and a limit on requests that fail authentication per client
// address (past it, the address's requests without a valid token are refused; a valid token always passes).
import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import Redis from 'ioredis';
import { AnyEndpoint } from '@agdar/contracts';
import { JsonLogger, problem, sendProblem, TokenVerifier } from '@agdar/service-kit';

const REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'];
const EXPOSED_HEADERS = [
  'x-correlation-id',
  'ratelimit-limit',
  'ratelimit-remaining',
  'retry-after',
  'idempotent-replayed',
  'location',
];

export function enableCors(app: INestApplication, origins: string[]): void {
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: REQUEST_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}

/** 405 METHOD_NOT_ALLOWED with `Allow` for a declared path and an undeclared method; anything else passes on. */
export function methodNotAllowedMiddleware(endpoints: readonly AnyEndpoint[]) {
  const paths = new Map<string, { pattern: RegExp; params: number; methods: Set<string> }>();
  for (const endpoint of endpoints) {
    const entry = paths.get(endpoint.path) ?? {
      pattern: new RegExp(`^/api${endpoint.path.replace(/\{\w+\}/g, '[^/]+')}/?$`),
      params: (endpoint.path.match(/\{\w+\}/g) ?? []).length,
      methods: new Set<string>(),
    };
    entry.methods.add(endpoint.method);
    paths.set(endpoint.path, entry);
  }
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'OPTIONS') return next();
    const path = req.path;
    // The most specific declared paths win, as in routing: /sessions/available is not /sessions/{id}.
    const candidates = [...paths.values()].filter((p) => p.pattern.test(path));
    const fewest = Math.min(...candidates.map((p) => p.params));
    const matching = candidates.filter((p) => p.params === fewest);
    if (!matching.length || matching.some((p) => p.methods.has(req.method === 'HEAD' ? 'GET' : req.method))) {
      return next();
    }
    const allow = [...new Set(matching.flatMap((p) => [...p.methods]))].sort();
    res.setHeader('allow', allow.join(', '));
    sendProblem(
      res,
      problem(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allow.join(' or ')}.`),
    );
  };
}

/** Whether the request carries a bearer token the verifier accepts. */
async function carriesValidToken(req: Request, verifier: TokenVerifier): Promise<boolean> {
  const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  try {
    await verifier.verify(match[1]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Requests that end in 401 count against their client address, per minute; past the limit the address's requests
 * without a valid token get 429 with Retry-After until the minute is over. Only failing requests are refused: staff
 * signed in on the same network (or every tenant behind one proxy without TRUST_PROXY) are never locked out by a
 * neighbour's bad tokens, at the cost of one signature check per refused request. Answers carry this limit's headers.
 * If Redis is away the gateway keeps serving (as for the per-caller limit).
 */
export function unauthenticatedLimitMiddleware(
  redis: Redis,
  perMinute: number,
  verifier: TokenVerifier,
  logger: JsonLogger,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const window = Math.floor(Date.now() / 60000);
    const key = `ratelimit:address:${req.ip}:${window}`;
    let failures = 0;
    try {
      failures = Number((await redis.get(key)) ?? 0);
    } catch (error) {
      logger.warn(`rate limiter unavailable, letting the request through: ${(error as Error).message}`, 'RateLimit');
      return next();
    }
    res.setHeader('ratelimit-limit', String(perMinute));
    res.setHeader('ratelimit-remaining', String(Math.max(0, perMinute - failures)));
    if (failures >= perMinute && !(await carriesValidToken(req, verifier))) {
      res.setHeader('retry-after', String(60 - Math.floor((Date.now() / 1000) % 60)));
      const detail = `More than ${perMinute} requests without a valid token from your address in a minute; wait for the Retry-After seconds, then sign in again.`;
      return sendProblem(res, problem(429, 'RATE_LIMITED', detail));
    }
    res.on('finish', () => {
      if (res.statusCode !== 401) return;
      redis
        .multi()
        .incr(key)
        .expire(key, 61)
        .exec()
        .catch(() => undefined);
    });
    next();
  };
}
