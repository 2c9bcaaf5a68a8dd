// Starts services in this process against the run's infrastructure, each with databases of its own.
import { randomBytes } from 'node:crypto';
import { RunningService } from '@agdar/service-kit';
import { dropDatabase, uniqueDatabaseUrl } from './databases';
import { eventually } from './eventually';
import { testEnv } from './test-env';

export type ServiceStarter = (env: NodeJS.ProcessEnv) => Promise<RunningService>;

export interface StartedService extends RunningService {
  databaseUrl?: string;
  /** Stops the service and drops its database. */
  dispose(): Promise<void>;
}

/** Environment of a data-owning service under test: its own database, the run's broker and secret. */
export function dataServiceEnv(service: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = testEnv();
  return {
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    JWT_SECRET: env.jwtSecret,
    DATABASE_URL: uniqueDatabaseUrl(service),
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    ...extra,
  };
}

/**
 * What the notification service needs besides a data service's settings: the run's Redis (with a queue prefix of its
 * own, so no other test's service takes its reminder jobs), mail sink and SMS sink.
 */
export function notificationEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = testEnv();
  return {
    REDIS_URL: env.redisUrl,
    REMINDER_QUEUE_PREFIX: `test-${env.runId}-${randomBytes(3).toString('hex')}`,
    SMTP_URL: env.smtpUrl,
    SMS_PROVIDER: 'taqnyat',
    TAQNYAT_URL: env.smsUrl,
    TAQNYAT_TOKEN: env.smsToken,
    SMS_SENDER: 'AgdarClinic',
    SEND_LEASE_SECONDS: '12',
    ...extra,
  };
}

export async function startService(start: ServiceStarter, env: NodeJS.ProcessEnv): Promise<StartedService> {
  const service = await start(env);
  await service.started;
  return {
    ...service,
    databaseUrl: env.DATABASE_URL,
    dispose: async () => {
      await service.stop();
      if (env.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
    },
  };
}

export interface Readiness {
  status: number;
  body: { status: string; checks: Record<string, string> };
}

/** A service's /health/ready answer. */
export async function readinessOf(serviceUrl: string): Promise<Readiness> {
  const response = await fetch(`${serviceUrl}/health/ready`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** Waits until the service reports itself ready (200) or not (503), and returns that answer. */
export function untilReadiness(serviceUrl: string, ready: boolean, timeoutMs?: number): Promise<Readiness> {
  return eventually(
    async () => {
      const readiness = await readinessOf(serviceUrl);
      return readiness.status === (ready ? 200 : 503) ? readiness : undefined;
    },
    `readiness to turn ${ready ? 'green' : 'red'}`,
    timeoutMs,
  );
}
