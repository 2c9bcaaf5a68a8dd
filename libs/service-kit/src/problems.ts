// One error type for the domain and one place that turns any failure into an RFC 9457 problem body. Database
// constraint violations become 409s by constraint name, so a race lost in the database never surfaces as a 500.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { PROBLEM_CODES, ProblemCode } from '@agdar/contracts';
import { errorSummary, errorTrace, isDatabaseUnavailable } from '@agdar/messaging';

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function statusOf(code: ProblemCode): number {
  return PROBLEM_CODES[code].status;
}

export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly errors?: FieldError[],
    /** Seconds after which asking again may succeed: sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return statusOf(this.code);
  }
}

/**
 * The one "does not exist" answer. `field` names the request field that referred to it (a body's `clinicId`), when it
 * was not the resource of the URL itself. Another tenant's resource gets the same answer: it does not exist for you.
 */
export function notFound(what: string, id: string, field?: string): DomainError {
  const detail = field ? `${what} ${id} does not exist in your tenant.` : `${what} ${id} does not exist.`;
  return new DomainError('NOT_FOUND', detail, field ? [{ field, message: 'does not exist' }] : undefined);
}

/** A refusal that names the field that caused it. */
export function fieldProblem(code: ProblemCode, field: string, message: string, detail: string): DomainError {
  return new DomainError(code, detail, [{ field, message }]);
}

export function problem(status: number, code: ProblemCode, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://docs.agdar.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
  };
}

export function sendProblem(res: Response, body: Problem): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/** How a service names the meaning of its constraints: constraint name → problem code and message. */
export type ConstraintCodes = Record<string, { code: ProblemCode; detail: string }>;

interface DatabaseErrorLike {
  code?: string;
  sqlState?: string;
  constraint?: string;
  name?: string;
}

export function problemFromDatabaseError(error: DatabaseErrorLike, constraints: ConstraintCodes): Problem | null {
  const sqlState = error.sqlState ?? error.code;
  // A value the database refuses (class 22: a NUL byte, a number out of range) is the request's fault, never an outage.
  if (sqlState?.startsWith('22')) return problem(400, 'VALIDATION_FAILED', 'A value is out of range or not valid.');
  if (isDatabaseUnavailable(error))
    return problem(503, 'SERVICE_UNAVAILABLE', 'The database is not reachable right now; try again shortly.');
  if (!sqlState || !/^[0-9A-Z]{5}$/.test(sqlState)) return null;
  const known = error.constraint ? constraints[error.constraint] : undefined;
  if (known) return problem(statusOf(known.code), known.code, known.detail);
  if (sqlState === '23505' || sqlState === '23P01')
    return problem(409, 'CONFLICT', 'This conflicts with an existing record.');
  if (sqlState === '23503')
    return problem(409, 'REFERENCE_CONFLICT', 'This refers to a record that does not exist or is still in use.');
  if (sqlState === '40001' || sqlState === '40P01')
    return problem(409, 'CONCURRENT_UPDATE', 'Someone changed this at the same time; try again.');
  if (sqlState === '23514' || sqlState === '23502')
    return problem(400, 'VALIDATION_FAILED', 'A value is out of range or not valid.');
  return null;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly constraints: ConstraintCodes = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof DomainError && exception.retryAfterSeconds)
      res.setHeader('retry-after', String(exception.retryAfterSeconds));
    sendProblem(res, this.toProblem(exception));
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError)
      return problem(exception.status, exception.code, exception.message, exception.errors);
    if (exception instanceof HttpException) return fromHttpException(exception);
    const fromDatabase = problemFromDatabaseError(exception as DatabaseErrorLike, this.constraints);
    if (fromDatabase) return fromDatabase;
    this.logger.error(`unexpected error: ${errorSummary(exception)}`, errorTrace(exception));
    return problem(
      500,
      'INTERNAL_ERROR',
      'Something went wrong on our side; it has been logged. Try again, and report it if it persists.',
    );
  }
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const code: ProblemCode =
    status === 404
      ? 'NOT_FOUND'
      : status === 405
        ? 'METHOD_NOT_ALLOWED'
        : status === 401
          ? 'UNAUTHENTICATED'
          : status === 403
            ? 'FORBIDDEN'
            : 'VALIDATION_FAILED';
  const detail = status === 404 ? 'There is no such resource.' : exception.message;
  return problem(status, code, detail);
}
