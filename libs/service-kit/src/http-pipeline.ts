// The HTTP edge every service shares: JSON bodies only and within a size limit, a correlation id on every request,
// one access-log line per request. Body-parser failures become problems here, before Nest's router sees them.
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import helmet from 'helmet';
import { problem, sendProblem } from './problems';
import { correlationIdFrom, runWithContext } from './request-context';
import { JsonLogger } from './json-logger';

export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = correlationIdFrom(req.headers['x-correlation-id']);
  res.setHeader('x-correlation-id', correlationId);
  runWithContext({ correlationId }, next);
}

export function accessLogMiddleware(logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (req.path.startsWith('/health')) return;
      logger.log(`${req.method} ${redactedUrl(req.originalUrl)} ${res.statusCode} ${ms.toFixed(1)}ms`, 'http');
    });
    next();
  };
}

/**
 * The URL as logs may keep it: the path (ids only) and the names of the query parameters, not their values, which can
 * be a patient's name, phone or email (`/api/patients?q=…`). Bodies are never logged.
 */
export function redactedUrl(url: string): string {
  const [path, query] = url.split('?', 2);
  if (!query) return path;
  const names = query.split('&').map((pair) => pair.split('=')[0]);
  return `${path}?${names.map((name) => `${name}=…`).join('&')}`;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** JSON bodies only, within `limit`; the `formPaths` (an operator's sign-in form) take an HTML form's body instead. */
export function jsonBodyMiddleware(limit: string, formPaths: readonly string[] = []) {
  const parse = express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (formPaths.includes(req.path) && req.is('application/x-www-form-urlencoded')) return next();
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (WITH_BODY.has(req.method) && hasBody && !req.is(['application/json', 'application/*+json'])) {
      return sendProblem(
        res,
        problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.'),
      );
    }
    parse(req, res, (error?: { type?: string; message?: string }) => {
      if (!error) return next();
      if (error.type === 'entity.too.large') {
        // 400 rather than HTTP's 413: the API contract answers every refused body with a 400 problem naming the field.
        return sendProblem(
          res,
          problem(400, 'PAYLOAD_TOO_LARGE', `The body is larger than the ${limit} this API accepts; send less.`, [
            { field: '(body)', message: `is larger than ${limit}` },
          ]),
        );
      }
      if (error.type === 'entity.parse.failed') {
        return sendProblem(
          res,
          problem(400, 'MALFORMED_JSON', `The body is not valid JSON: ${error.message}`, [
            { field: '(body)', message: 'is not valid JSON' },
          ]),
        );
      }
      return sendProblem(res, problem(400, 'MALFORMED_JSON', `The body could not be read: ${error.message}`));
    });
  };
}

/**
 * Security headers on every answer (helmet: nosniff, HSTS, frame and referrer policies; no X-Powered-By), and
 * `Cache-Control: no-store`: answers carry patients' and clinics' data, which no shared cache may keep. The content
 * security policy is left to the pages that serve HTML (the API serves JSON; the docs page brings its own scripts).
 */
export function securityHeadersMiddleware() {
  const headers = helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: false });
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('cache-control', 'no-store');
    headers(req, res, next);
  };
}
