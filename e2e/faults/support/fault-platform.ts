// The platform as deployed, for the fault suite: every service a process of its own (so any can be SIGKILLed and
// started again), a Kafka broker, a Redis and TCP proxies in front of PostgreSQL, the mail sink and the SMS sink, all
// the suite's own, so that stopping, cutting or slowing one touches nothing else of the run.
import { randomBytes } from 'node:crypto';
import { ServiceName } from '@agdar/contracts';
import {
  ApiClient,
  dataServiceEnv,
  KafkaBroker,
  notificationEnv,
  RedisServer,
  TcpProxy,
  testEnv,
} from '@agdar/testing';
import { ChildService } from '../../support/child-service';
import { PlatformLike } from '../../support/platform';

export const SESSION_TIMEOUT_MS = 3000;
export const SERVICES = ['participant', 'scheduling', 'billing', 'notification', 'gateway'] as const;
export type FaultService = (typeof SERVICES)[number];

export class FaultPlatform implements PlatformLike {
  readonly api: ApiClient;

  private constructor(
    readonly kafka: KafkaBroker,
    readonly redis: RedisServer,
    readonly postgres: TcpProxy,
    readonly smtp: TcpProxy,
    readonly sms: TcpProxy,
    readonly services: Record<FaultService, ChildService>,
    readonly queuePrefix: string,
  ) {
    this.api = new ApiClient(`${services.gateway.url}/api`);
  }

  static async start(): Promise<FaultPlatform> {
    const kafka = await KafkaBroker.start();
    const redis = await RedisServer.start();
    const server = new URL(testEnv().postgresUrl);
    const postgres = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const sink = new URL(testEnv().smtpUrl);
    const smtp = await TcpProxy.start({ host: sink.hostname, port: Number(sink.port) });
    const smsSink = new URL(testEnv().smsUrl);
    const sms = await TcpProxy.start({ host: smsSink.hostname, port: Number(smsSink.port) });
    const queuePrefix = `faults-${randomBytes(3).toString('hex')}`;
    const through = (name: string, extra: NodeJS.ProcessEnv = {}) => {
      // The suite's own broker lets a consumer's session be short: a SIGKILLed service consumes again within it.
      const env = dataServiceEnv(name, {
        KAFKA_BROKERS: kafka.brokers.join(','),
        KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
        ...extra,
      });
      const url = new URL(env.DATABASE_URL!);
      url.hostname = '127.0.0.1';
      url.port = String(postgres.port);
      return { ...env, DATABASE_URL: url.toString() };
    };
    const [participant, scheduling, billing, notification] = await Promise.all([
      ChildService.start('participant', through('participant')),
      ChildService.start('scheduling', through('scheduling')),
      ChildService.start('billing', through('billing')),
      ChildService.start(
        'notification',
        through(
          'notification',
          notificationEnv({
            REDIS_URL: redis.url,
            REMINDER_QUEUE_PREFIX: queuePrefix,
            SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
            TAQNYAT_URL: `http://127.0.0.1:${sms.port}`,
          }),
        ),
      ),
    ]);
    const gateway = await ChildService.start('gateway', {
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      JWT_SECRET: testEnv().jwtSecret,
      SCHEDULING_URL: scheduling.url,
      PARTICIPANT_URL: participant.url,
      BILLING_URL: billing.url,
      NOTIFICATION_URL: notification.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `${queuePrefix}:`,
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const services = { participant, scheduling, billing, notification, gateway };
    return new FaultPlatform(kafka, redis, postgres, smtp, sms, services, queuePrefix);
  }

  get participant() {
    return this.services.participant;
  }
  get scheduling() {
    return this.services.scheduling;
  }
  get billing() {
    return this.services.billing;
  }
  get notification() {
    return this.services.notification;
  }

  /** A data service's database, reached directly (not through the proxy the service uses). */
  databaseOf(service: Exclude<ServiceName, 'gateway'>): string {
    const url = new URL(this.services[service].databaseUrl!);
    const server = new URL(testEnv().postgresUrl);
    url.hostname = server.hostname;
    url.port = server.port || '5432';
    return url.toString();
  }

  async stop(): Promise<void> {
    await this.services.gateway.kill();
    await Promise.all(SERVICES.filter((s) => s !== 'gateway').map((s) => this.services[s].kill()));
    this.postgres.restore();
    await Promise.all(SERVICES.filter((s) => s !== 'gateway').map((s) => this.services[s].dispose()));
    await Promise.all([this.postgres.stop(), this.smtp.stop(), this.sms.stop()]);
    await this.redis.kill();
    this.kafka.dispose();
  }
}
