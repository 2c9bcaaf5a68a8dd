// Starts services in this process against the run's infrastructure, each with databases of its own.
import { RunningService } from '@agdar/service-kit';
import { dropDatabase, uniqueDatabaseUrl } from './databases';
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
