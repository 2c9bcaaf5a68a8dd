// The HTTP edge every service shares: JSON bodies only and within a size limit, a correlation id on every request,
// one access-log line per request. Body-parser failures become problems here, before Nest's router sees them.
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
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
      logger.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`, 'http');
    });
    next();
  };
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

export function jsonBodyMiddleware(limit: string) {
  const parse = express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction): void => {
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
