import { z } from 'zod';
import { TENANT_CODE } from '@agdar/contracts';
import { baseServiceEnv, env, loadConfig } from '@agdar/service-kit';

const internalUrl = () => env.url().refine((url) => url.startsWith('http://'), 'must be an http:// URL of the service');

export const gatewayConfigSchema = z
  .object({
    PORT: env.port(3000),
    ...baseServiceEnv,
    /** The services' internal ports: plain HTTP inside the cluster (TLS, where wanted, is the mesh's job). */
    SCHEDULING_URL: internalUrl(),
    PARTICIPANT_URL: internalUrl(),
    BILLING_URL: internalUrl(),
    NOTIFICATION_URL: internalUrl(),
    REDIS_URL: z.string({ error: 'is required' }).regex(/^rediss?:\/\/.+/, 'must be a redis:// URL'),
    /** Namespace for the gateway's keys in Redis, so several stacks (or test runs) can share one server. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,50}$/)
      .default('gateway:'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, 'must be a size like 64kb')
      .default('64kb'),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    /** Requests per client address and minute that may fail authentication before the address is refused. */
    RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    /**
     * Which proxies in front of the gateway to believe about the client's address (X-Forwarded-For), as Express's
     * `trust proxy` takes it: a hop count or addresses/CIDRs, comma-separated. Behind an ingress this must be set, or
     * every client shares the ingress's address (and its limit on failed authentication). None by default.
     */
    TRUST_PROXY: z
      .string()
      .regex(
        /^(\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)(,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/,
        'must be a hop count or addresses/CIDRs, comma-separated',
      )
      .optional(),
    /** Origins of browser apps allowed to call the API (CORS), comma-separated; none by default. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .refine(
        (origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
        'must be origins like https://console.example.com, comma-separated',
      ),
    /** The built staff console the gateway serves at `/`; by default the workspace's `apps/console/dist`. */
    CONSOLE_DIR: z.string().min(1).optional(),
    /**
     * Development only: the tenant whose demo users the console's sign-in page lists, signed in with one click
     * through `POST /api/dev/token` (HS256 with JWT_SECRET). Unset, that endpoint does not exist; it is refused with
     * NODE_ENV=production.
     */
    DEV_SIGN_IN_TENANT: z.string().regex(TENANT_CODE, 'must be a tenant code like AGDAR').optional(),
    NODE_ENV: z.string().optional(),
    /** The identity provider the console signs in with (OpenID Connect, authorization code with PKCE). */
    OIDC_ISSUER: env.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_SCOPE: z.string().min(1).default('openid profile'),
  })
  .refine((c) => !c.DEV_SIGN_IN_TENANT || c.NODE_ENV !== 'production', {
    path: ['DEV_SIGN_IN_TENANT'],
    message: 'must not be set with NODE_ENV=production: development sign-in signs tokens for anyone who asks',
  })
  .refine((c) => !c.DEV_SIGN_IN_TENANT || (c.JWT_SECRET && !c.JWKS_URL), {
    path: ['DEV_SIGN_IN_TENANT'],
    message: 'needs JWT_SECRET and no JWKS_URL: development tokens are signed with JWT_SECRET',
  })
  .refine((c) => !c.OIDC_ISSUER === !c.OIDC_CLIENT_ID, {
    path: ['OIDC_CLIENT_ID'],
    message: 'must be set together with OIDC_ISSUER (the console signs in with both)',
  });
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (source: NodeJS.ProcessEnv) => loadConfig(gatewayConfigSchema, source);
