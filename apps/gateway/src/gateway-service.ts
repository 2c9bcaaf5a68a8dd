// The gateway: authentication, roles, validation, rate limits, idempotency and OpenAPI in front of the services.
import { Module } from '@nestjs/common';
import Redis from 'ioredis';
import { API_ENDPOINTS, SERVICES, ServiceName } from '@agdar/contracts';
import { JsonLogger, runService, tokenVerifierFor } from '@agdar/service-kit';
import { loadGatewayConfig } from './config';
import { mountOpenApi } from './openapi';
import { RateLimitGuard } from './rate-limit.guard';
import { enableCors, methodNotAllowedMiddleware, unauthenticatedLimitMiddleware } from './edge';
import { gatewayRoutesFor } from './routes';
import { Upstream } from './upstream/upstream';
import { mountConsole } from './console/console-site';
import { mountDevSignIn } from './console/dev-sign-in';

export async function startGatewayService(source: NodeJS.ProcessEnv) {
  const config = loadGatewayConfig(source);
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined); // reported by readiness and by the requests that need it
  await redis.connect().catch(() => undefined); // ioredis keeps reconnecting; readiness reports it meanwhile
  const serviceUrls: Record<ServiceName, string> = {
    scheduling: config.SCHEDULING_URL,
    participant: config.PARTICIPANT_URL,
    billing: config.BILLING_URL,
    notification: config.NOTIFICATION_URL,
  };
  const upstream = new Upstream(serviceUrls, config.UPSTREAM_TIMEOUT_MS);

  @Module({ controllers: [gatewayRoutesFor(API_ENDPOINTS)], providers: [{ provide: Upstream, useValue: upstream }] })
  class GatewayModule {}

  const service = await runService({
    name: 'gateway',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    config,
    module: GatewayModule,
    globalPrefix: 'api',
    bodyLimit: config.BODY_LIMIT,
    checks: [
      { name: 'redis', check: async () => void (await redis.ping()) },
      ...SERVICES.map((name) => ({
        name,
        check: async () => {
          const response = await fetch(new URL('/health/ready', serviceUrls[name]), {
            signal: AbortSignal.timeout(2000),
          });
          if (!response.ok) throw new Error(`${name} is not ready`);
        },
      })),
    ],
    configureApp: (app) => {
      const logger = app.get(JsonLogger);
      if (config.TRUST_PROXY) {
        const hops = /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY;
        app.getHttpAdapter().getInstance().set('trust proxy', hops);
      }
      enableCors(app, config.CORS_ORIGINS);
      const limit = config.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE;
      app.use(unauthenticatedLimitMiddleware(redis, limit, tokenVerifierFor(config), logger));
      app.use(methodNotAllowedMiddleware(API_ENDPOINTS));
      app.useGlobalGuards(new RateLimitGuard(redis, config.RATE_LIMIT_PER_MINUTE, logger));
      mountOpenApi(app, API_ENDPOINTS);
      if (config.DEV_SIGN_IN_TENANT) {
        mountDevSignIn(app, { tenant: config.DEV_SIGN_IN_TENANT, secret: config.JWT_SECRET! });
        logger.warn(`development sign-in is on for tenant ${config.DEV_SIGN_IN_TENANT}`, 'startup');
      }
      mountConsole(app, config);
    },
  });
  const stop = service.stop.bind(service);
  return { ...service, stop: async () => (await stop(), upstream.close(), redis.disconnect()) };
}
