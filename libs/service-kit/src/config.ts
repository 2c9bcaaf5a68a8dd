// Configuration comes only from environment variables, parsed once at start-up into a typed object. A missing or bad
// variable stops the service with one line that names it.
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

export const env = {
  port: (fallback: number) => z.coerce.number(required('a port number')).int().min(0).max(65535).default(fallback),
  postgresUrl: () =>
    z
      .string(required('a postgres:// URL'))
      .regex(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, 'must be a postgres:// URL with a database name'),
  url: () => z.url(required('an http(s) URL')),
  brokers: () =>
    z
      .string(required('a comma-separated list of host:port'))
      .regex(/^[^,:\s]+:\d+(,[^,:\s]+:\d+)*$/, 'must be a comma-separated list of host:port')
      .transform((s) => s.split(',')),
  secret: () => z.string(required('a secret')).min(16, 'must be at least 16 characters'),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], required('true or false'))
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  logLevel: () => z.enum(['debug', 'info', 'warn', 'error'], required('debug, info, warn or error')).default('info'),
};

/** Settings every service has. Tokens: HS256 with JWT_SECRET (development), or the identity provider's JWKS_URL. */
export const baseServiceEnv = {
  LOG_LEVEL: env.logLevel(),
  JWT_SECRET: env.secret().optional(),
  /** Where set, tokens are verified against these public keys only, and JWT_SECRET is not used. */
  JWKS_URL: env.url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
};
export type TokenSettings = { JWT_SECRET?: string; JWKS_URL?: string; JWT_ISSUER?: string; JWT_AUDIENCE?: string };

/** Settings of a service that owns a database and talks to Kafka. */
export const dataServiceEnv = {
  ...baseServiceEnv,
  DATABASE_URL: env.postgresUrl(),
  DATABASE_MIGRATE: env.flag(true),
  KAFKA_BROKERS: env.brokers(),
  /**
   * How long the broker waits for a consumer that went silent (a SIGKILL) before giving its partitions to another,
   * which bounds how soon a restarted replica consumes again. At least the brokers' `group.min.session.timeout.ms`
   * (6000 by default; the local broker allows 1000).
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300000).default(6000),
};

export function loadConfig<S extends z.ZodObject>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}
