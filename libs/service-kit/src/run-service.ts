// Starts a service the same way everywhere: HTTP first (so liveness answers), then in the background its database
// (created, migrated), topics, outbox relay and consumers, retrying with one clear line until they are reachable.
// Readiness stays red until all of that is up and stays tied to the database and broker answering.
import { DynamicModule, Global, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { EntityManager } from '@mikro-orm/postgresql';
import { Kafka } from 'kafkajs';
import { allTopics } from '@agdar/contracts';
import { createKafka, ensureTopics, EventConsumer, KafkaProbe, OutboxRelay } from '@agdar/messaging';
import { AuthGuard, HmacTokenVerifier, TokenVerifier } from './auth';
import { ConfigError, TokenSettings } from './config';
import { JwksTokenVerifier } from './jwks';
import { FieldAccessInterceptor } from './field-access';
import { ConstraintCodes, ProblemFilter } from './problems';
import { HealthCheck, HealthController, HealthRegistry } from './health';
import { JsonLogger, LogLevel } from './json-logger';
import {
  accessLogMiddleware,
  correlationMiddleware,
  jsonBodyMiddleware,
  securityHeadersMiddleware,
} from './http-pipeline';
import { DatabaseSettings, ensureDatabase, initOrm, migrate } from './database';
import { KafkaEventTransport, RethrowRpcErrors } from './kafka-transport';
import { WritePath } from './write-path';
import { IdempotencyInterceptor } from './idempotency';
import { TenantGuard, TenantRegistry } from './tenancy';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export interface ServiceOptions {
  name: string;
  port: number;
  host?: string;
  logLevel: LogLevel;
  module: Type | DynamicModule;
  /** The service's parsed settings; how tokens are verified comes from them. */
  config: TokenSettings;
  bodyLimit?: string;
  /** Paths that take an HTML form's body (application/x-www-form-urlencoded) rather than JSON. */
  formPaths?: readonly string[];
  globalPrefix?: string;
  database?: DatabaseSettings & { migrate: boolean; constraints?: ConstraintCodes };
  kafka?: {
    brokers: string[];
    relay?: boolean;
    /**
     * The consumer group of the service's `@EventPattern` handlers (on controllers of its module). Without it the
     * service consumes nothing.
     */
    consumerGroup?: string;
    /** The consumers' session timeout with the broker (KAFKA_SESSION_TIMEOUT_MS). */
    sessionTimeoutMs?: number;
  };
  checks?: HealthCheck[];
  /** How the service knows which tenants are registered; every endpoint not marked tenantFree checks the caller's. */
  tenants?: (runtime: ServiceRuntime) => TenantRegistry;
  configureApp?: (app: INestApplication) => void;
}

export interface ServiceRuntime {
  name: string;
  logger: JsonLogger;
  orm: MikroORM | null;
  kafka: Kafka | null;
  relay: OutboxRelay | null;
  health: HealthRegistry;
}

export interface RunningService {
  app: INestApplication;
  url: string;
  runtime: ServiceRuntime;
  /** Resolves once the database, topics, relay and consumers are up. */
  started: Promise<void>;
  stop(): Promise<void>;
}

@Module({})
class ServiceRootModule {}

export async function runService(options: ServiceOptions): Promise<RunningService> {
  const verifier = tokenVerifierFor(options.config);
  const logger = new JsonLogger(options.name, options.logLevel);
  const health = new HealthRegistry();
  const orm = options.database ? await initOrm({ ...options.database, logger }) : null;
  const kafka = options.kafka ? createKafka({ brokers: options.kafka.brokers, clientId: options.name }, logger) : null;
  const relay = orm && kafka && options.kafka?.relay !== false ? new OutboxRelay(orm, kafka, logger) : null;
  const runtime: ServiceRuntime = { name: options.name, logger, orm, kafka, relay, health };

  if (orm) health.add({ name: 'database', check: async () => void (await orm.em.getConnection().execute('select 1')) });
  let probe: KafkaProbe | null = null;
  if (options.kafka) {
    probe = new KafkaProbe(
      createKafka({ brokers: options.kafka.brokers, clientId: `${options.name}-probe` }, logger, { quick: true }),
    );
    health.add({ name: 'kafka', check: () => probe!.check(), critical: false });
  }
  for (const check of options.checks ?? []) health.add(check);
  if (orm && relay) health.addDetail({ name: 'outbox', read: () => outboxBacklog(orm) });

  const runtimeModule = runtimeModuleOf(runtime, options.config);
  const app = await NestFactory.create(
    { module: ServiceRootModule, imports: [runtimeModule, options.module], controllers: [HealthController] },
    { logger, bodyParser: false, abortOnError: false },
  );
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.use(securityHeadersMiddleware());
  app.use(correlationMiddleware);
  app.use(accessLogMiddleware(logger));
  app.use(jsonBodyMiddleware(options.bodyLimit ?? '64kb', options.formPaths));
  app.useGlobalFilters(new ProblemFilter(options.database?.constraints));
  app.useGlobalGuards(new AuthGuard(app.get(Reflector), verifier));
  if (options.tenants) app.useGlobalGuards(new TenantGuard(options.tenants(runtime)));
  // Outermost first: what a caller may not read is left out of fresh answers and of replayed ones alike.
  app.useGlobalInterceptors(new FieldAccessInterceptor(), new IdempotencyInterceptor());
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix, { exclude: ['health/live', 'health/ready'] });
  options.configureApp?.(app);
  app.enableShutdownHooks();
  const consumers = await connectEventHandlers(app, runtime, options.kafka);
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
  logger.log(`listening on ${url}`, 'startup');
  if (verifier instanceof JwksTokenVerifier) {
    logger.log(`verifying tokens against ${options.config.JWKS_URL}`, 'startup');
    verifier
      .refresh()
      .catch((error: Error) =>
        logger.warn(`could not fetch the token keys yet, will retry on the first request: ${error.message}`, 'startup'),
      );
  }

  let stopping = false;
  const started = startInBackground(options, runtime, consumers, () => stopping);

  return {
    app,
    url,
    runtime,
    started,
    async stop() {
      stopping = true;
      await started.catch(() => undefined);
      await Promise.all(consumers.map((c) => c.stop()));
      await relay?.stop();
      await probe?.close();
      await app.close();
      await orm?.close();
    },
  };
}

/** The identity provider's keys where JWKS_URL is set (production), else HS256 with JWT_SECRET (development). */
export function tokenVerifierFor(settings: TokenSettings): TokenVerifier {
  if (settings.JWKS_URL) {
    // Without both, any token of the provider would open the API: another application's, or a user's ID token.
    const missing = (['JWT_ISSUER', 'JWT_AUDIENCE'] as const).filter((name) => !settings[name]);
    if (missing.length)
      throw new ConfigError(
        `invalid configuration: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required with JWKS_URL ` +
          "(the identity provider's issuer and this API's audience), so that only tokens issued for this API open it",
      );
    return new JwksTokenVerifier({
      url: settings.JWKS_URL,
      issuer: settings.JWT_ISSUER!,
      audience: settings.JWT_AUDIENCE!,
    });
  }
  if (settings.JWT_SECRET) return new HmacTokenVerifier(settings.JWT_SECRET);
  throw new ConfigError(
    'invalid configuration: JWT_SECRET is required (or JWKS_URL, to verify tokens of an identity provider)',
  );
}

/** Delivers Kafka events to the module's @EventPattern handlers, through the idempotent consumer. */
async function connectEventHandlers(
  app: INestApplication,
  runtime: ServiceRuntime,
  kafka: ServiceOptions['kafka'],
): Promise<EventConsumer[]> {
  const groupId = kafka?.consumerGroup;
  if (!groupId || !runtime.kafka || !runtime.orm) return [];
  const transport = new KafkaEventTransport(runtime.kafka, runtime.orm, runtime.logger, {
    groupId,
    sessionTimeoutMs: kafka.sessionTimeoutMs,
  });
  await connectTransport(app, transport);
  return [transport.consumer];
}

/**
 * Connects the transport to the app's @EventPattern handlers, with the filter that hands handler errors back to it
 * unchanged (so a database that is away is retried, not dead-lettered). Initialisation is deferred until the filter is
 * registered: Nest ignores filters registered on a microservice it has already initialised.
 */
export async function connectTransport(app: INestApplication, transport: KafkaEventTransport): Promise<void> {
  const microservice = app.connectMicroservice(
    { strategy: transport },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcErrors());
  await app.startAllMicroservices();
}

function runtimeModuleOf(runtime: ServiceRuntime, config: object): DynamicModule {
  @Global()
  @Module({})
  class RuntimeModule {}
  const providers = [
    { provide: SERVICE_CONFIG, useValue: config },
    { provide: JsonLogger, useValue: runtime.logger },
    { provide: HealthRegistry, useValue: runtime.health },
    ...(runtime.orm
      ? [
          { provide: MikroORM, useValue: runtime.orm },
          { provide: EntityManager, useValue: runtime.orm.em },
        ]
      : []),
    ...(runtime.relay ? [{ provide: OutboxRelay, useValue: runtime.relay }, WritePath] : []),
  ];
  return { module: RuntimeModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
}

async function startInBackground(
  options: ServiceOptions,
  runtime: ServiceRuntime,
  consumers: EventConsumer[],
  isStopping: () => boolean,
): Promise<void> {
  const { logger, orm, kafka, relay } = runtime;
  // Readiness waits for the database and its migrations only: without Kafka the service still serves, its events
  // waiting in the outbox, so the broker steps run on after the service has reported itself ready.
  const steps: { what: string; blocksReadiness: boolean; run: () => Promise<unknown> }[] = [];
  if (options.database && orm) {
    const db = options.database;
    const host = new URL(db.url).host;
    steps.push({
      what: `PostgreSQL (${host})`,
      blocksReadiness: true,
      run: () => ensureDatabase(db.url).then(() => orm.connect()),
    });
    if (db.migrate)
      steps.push({ what: 'the database migrations', blocksReadiness: true, run: () => migrate(orm, db.url) });
  }
  if (kafka && options.kafka) {
    const brokers = `Kafka (${options.kafka.brokers.join(',')})`;
    steps.push({ what: brokers, blocksReadiness: false, run: () => ensureTopics(kafka, allTopics()) });
    if (relay) steps.push({ what: 'the outbox relay', blocksReadiness: false, run: () => relay.start() });
    for (const consumer of consumers) {
      steps.push({ what: 'a Kafka consumer', blocksReadiness: false, run: () => consumer.start() });
    }
  }
  const markReady = () => {
    runtime.health.markStarted();
    logger.log('ready', 'startup');
  };
  if (!steps.some((s) => s.blocksReadiness)) markReady();
  for (const [index, step] of steps.entries()) {
    let lastMessage = '';
    while (!isStopping()) {
      try {
        await step.run();
        break;
      } catch (error) {
        const message = (error as Error).message;
        const meanwhile = step.blocksReadiness ? 'readiness stays red' : 'events wait in the outbox meanwhile';
        if (message !== lastMessage) {
          logger.warn(`cannot reach ${step.what} yet (${message}); retrying every 2 s, ${meanwhile}`, 'startup');
        }
        lastMessage = message;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    if (isStopping()) return;
    if (step.blocksReadiness && !steps[index + 1]?.blocksReadiness) markReady();
  }
}

/** Events written but not yet published: how many, and how long the oldest has waited (what to alert on). */
async function outboxBacklog(orm: MikroORM): Promise<{ pending: number; oldestSeconds: number }> {
  const [row] = await orm.em.getConnection().execute<{ pending: number; oldest_seconds: number }[]>(
    `select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest_seconds
     from outbox_messages where published_at is null`,
  );
  return { pending: row.pending, oldestSeconds: Math.round(row.oldest_seconds * 10) / 10 };
}
