// The whole platform in this process: every service with databases of its own, behind a gateway on a free port.
import { randomBytes } from 'node:crypto';
import { ApiClient, dataServiceEnv, eventually, StartedService, startService, testEnv } from '@agdar/testing';
import { startBillingService } from '@agdar/billing';
import { startGatewayService } from '@agdar/gateway';
import { startParticipantService } from '@agdar/participant';
import { startSchedulingService } from '@agdar/scheduling';

export interface Platform {
  api: ApiClient;
  gateway: StartedService;
  participant: StartedService;
  scheduling: StartedService;
  billing: StartedService;
  stop(): Promise<void>;
}

/** What the arranging helpers need of a platform: its API, and where each service and its database are. */
export interface PlatformLike {
  api: ApiClient;
  participant: ServiceAt;
  scheduling: ServiceAt;
  billing: ServiceAt;
}

export interface ServiceAt {
  url: string;
  databaseUrl?: string;
}

/** `gatewayEnv` overrides the gateway's settings, `serviceEnv` those of the services behind it. */
export async function startPlatform(
  gatewayEnv: NodeJS.ProcessEnv = {},
  serviceEnv: NodeJS.ProcessEnv = {},
): Promise<Platform> {
  const billing = await startService(startBillingService, dataServiceEnv('billing', serviceEnv));
  const platform = await startPlatformAround(billing, gatewayEnv, serviceEnv);
  return {
    ...platform,
    billing,
    stop: async () => {
      await platform.stop();
      await billing.dispose();
    },
  };
}

/**
 * The platform around a billing service that runs elsewhere (a process of its own a test kills and restarts): the
 * other services in this process, a gateway in front of all of them. Stopping it leaves billing alone.
 */
export async function startPlatformAround(
  billing: ServiceAt,
  gatewayEnv: NodeJS.ProcessEnv = {},
  serviceEnv: NodeJS.ProcessEnv = {},
) {
  const [participant, scheduling] = await Promise.all([
    startService(startParticipantService, dataServiceEnv('participant', serviceEnv)),
    startService(startSchedulingService, dataServiceEnv('scheduling', serviceEnv)),
  ]);
  const gateway = await startGateway(
    { scheduling: scheduling.url, participant: participant.url, billing: billing.url },
    gatewayEnv,
  );
  return {
    api: new ApiClient(`${gateway.url}/api`),
    gateway,
    participant,
    scheduling,
    billing,
    stop: async () => {
      await gateway.dispose();
      await Promise.all([participant.dispose(), scheduling.dispose()]);
    },
  };
}

/** A gateway in front of the given service URLs (or stand-ins for them: proxies, silent servers), on a free port. */
export function startGateway(
  front: { scheduling: string; participant: string; billing: string },
  extra: NodeJS.ProcessEnv = {},
): Promise<StartedService> {
  const env = testEnv();
  return startService(startGatewayService, {
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    JWT_SECRET: env.jwtSecret,
    SCHEDULING_URL: front.scheduling,
    PARTICIPANT_URL: front.participant,
    BILLING_URL: front.billing,
    REDIS_URL: env.redisUrl,
    REDIS_KEY_PREFIX: `test:${env.runId}:${randomBytes(3).toString('hex')}:`,
    ...extra,
  });
}

/** A tenant code of this test's own, so tests never see each other's data. */
export function uniqueTenant(): string {
  return `T${randomBytes(4).toString('hex').toUpperCase()}`;
}

/**
 * A tenant created through the API, usable everywhere: it waits until the participant service has learnt of it from
 * TenantCreated (about a second), as a clinic's first users would.
 */
export async function registerTenant(
  platform: PlatformLike,
  code = uniqueTenant(),
  earlyStartMinutes = 30,
): Promise<string> {
  const body = {
    code,
    name: `Clinic ${code}`,
    timezone: 'Asia/Riyadh',
    currency: 'SAR',
    vatRate: 0.15,
    earlyStartMinutes,
  };
  const created = await platform.api.asRole('PLATFORM', 'platform-admin').post('/tenants', body);
  if (created.status !== 201)
    throw new Error(`creating tenant ${code} failed: ${created.status} ${JSON.stringify(created.body)}`);
  const participant = new ApiClient(platform.participant.url).asRole(code, 'reception');
  await eventually(
    async () => (await participant.get('/patients')).status === 200,
    `the participant service to know ${code}`,
  );
  const billing = new ApiClient(platform.billing.url).asRole(code, 'billing');
  await eventually(
    async () => (await billing.get('/billing/policy')).status === 200,
    `the billing service to know ${code}`,
  );
  return code;
}
