// The whole platform in this process: every service with databases of its own, behind a gateway on a free port.
import { randomBytes } from 'node:crypto';
import { ServiceName } from '@agdar/contracts';
import {
  ApiClient,
  dataServiceEnv,
  eventually,
  notificationEnv,
  ServiceStarter,
  StartedService,
  startService,
  testEnv,
} from '@agdar/testing';
import { startBillingService } from '@agdar/billing';
import { startNotificationService } from '@agdar/notification';
import { startGatewayService } from '@agdar/gateway';
import { startParticipantService } from '@agdar/participant';
import { startSchedulingService } from '@agdar/scheduling';

export interface Platform {
  api: ApiClient;
  gateway: StartedService;
  participant: StartedService;
  scheduling: StartedService;
  billing: ServiceAt;
  notification: ServiceAt;
  stop(): Promise<void>;
}

/** What the arranging helpers need of a platform: its API, and where each service and its database are. */
export type PlatformLike = { api: ApiClient } & Record<ServiceName, ServiceAt>;

export interface ServiceAt {
  url: string;
  databaseUrl?: string;
}

/** Services a test runs elsewhere (a process of its own it kills and restarts), given by where they answer. */
export type Elsewhere = Partial<Record<'billing' | 'notification', ServiceAt>>;

/**
 * Every service with databases of its own, behind a gateway on a free port. `gatewayEnv` overrides the gateway's
 * settings, `serviceEnv` those of the services behind it; the services in `elsewhere` are not started here, and
 * stopping the platform leaves them alone.
 */
/** The services' Kafka consumer groups (each service's `consumerGroup` in its runService). */
export const SERVICE_GROUPS = ['scheduling.patients', 'participant.tenants', 'billing', 'notification'] as const;

export async function startPlatform(
  gatewayEnv: NodeJS.ProcessEnv = {},
  serviceEnv: NodeJS.ProcessEnv = {},
  elsewhere: Elsewhere = {},
): Promise<Platform> {
  const here = (start: ServiceStarter, name: string, env: NodeJS.ProcessEnv) =>
    startService(start, dataServiceEnv(name, { ...env, ...serviceEnv }));
  const [participant, scheduling, billing, notification] = await Promise.all([
    here(startParticipantService, 'participant', {}),
    here(startSchedulingService, 'scheduling', {}),
    elsewhere.billing ?? here(startBillingService, 'billing', {}),
    elsewhere.notification ?? here(startNotificationService, 'notification', notificationEnv()),
  ]);
  const gateway = await startGateway(
    { scheduling: scheduling.url, participant: participant.url, billing: billing.url, notification: notification.url },
    gatewayEnv,
  );
  const ownedHere = [participant, scheduling, billing, notification].filter(
    (s): s is StartedService => !Object.values(elsewhere).includes(s) && 'dispose' in s,
  );
  return {
    api: new ApiClient(`${gateway.url}/api`),
    gateway,
    participant,
    scheduling,
    billing,
    notification,
    stop: async () => {
      await gateway.dispose();
      await Promise.all(ownedHere.map((s) => s.dispose()));
    },
  };
}

/** A gateway in front of the given service URLs (or stand-ins for them: proxies, silent servers), on a free port. */
export function startGateway(
  front: Record<ServiceName, string>,
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
    NOTIFICATION_URL: front.notification,
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
    nameAr: `عيادة ${code}`,
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
  const notification = new ApiClient(platform.notification.url).asRole(code, 'admin');
  await eventually(
    async () => (await notification.get('/notifications/settings')).status === 200,
    `the notification service to know ${code}`,
  );
  return code;
}
