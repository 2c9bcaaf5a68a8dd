import { z } from 'zod';
import { dataServiceEnv, env, loadConfig } from '@agdar/service-kit';

const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const notificationConfigSchema = z
  .object({
    PORT: env.port(3004),
    ...dataServiceEnv,
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
    /** BullMQ's key prefix: several stacks (or test runs) can share one Redis. */
    REMINDER_QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,50}$/)
      .default('bull'),
    /** smtp://user:pass@host:port (smtps:// for TLS); the local sink in development and tests. */
    SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL'),
    MAIL_FROM_ADDRESS: z.email('must be an email address').default('no-reply@agdar.clinic'),
    MAIL_FROM_NAME: z.string().min(1).default('Agdar Clinics'),
    /** taqnyat: send through Taqnyat's API; none: SMS deliveries fail with "no SMS provider is configured". */
    SMS_PROVIDER: z.enum(['taqnyat', 'none'], 'must be taqnyat or none').default('none'),
    TAQNYAT_URL: env.url().default('https://api.taqnyat.sa'),
    TAQNYAT_TOKEN: z.string().min(1).optional(),
    /** The sender name registered with the provider: at most 11 characters. */
    SMS_SENDER: z
      .string()
      .regex(/^[A-Za-z0-9 .-]{1,11}$/, 'must be 1 to 11 letters, digits, spaces, dots or dashes')
      .optional(),
    /** Sends in flight at once per replica (email and SMS together). */
    SENDER_CONCURRENCY: count(32, 256),
    /** SMTP connections kept open per replica: what the mail provider allows. */
    SMTP_MAX_CONNECTIONS: count(10, 100),
    /**
     * How long a claimed delivery is a sender's; after that, one that died mid-send leaves it to another. A send gives
     * up after a third of it (each SMTP step, the SMS provider's answer), so a slow one is never sent twice.
     */
    SEND_LEASE_SECONDS: count(30, 3600).refine((s) => s >= 6, 'must be at least 6'),
    REMINDER_CONCURRENCY: count(20, 200),
    /** Tries of one reminder job (backoff 1 s, doubling) before the sweep queues it again under a new attempt. */
    REMINDER_JOB_ATTEMPTS: count(8, 20),
    /** How often the sweep looks for reminders whose job gave up or was lost, and for reminders to expire. */
    REMINDER_SWEEP_SECONDS: count(15, 3600),
  })
  .refine((c) => c.SMS_PROVIDER !== 'taqnyat' || (c.TAQNYAT_TOKEN && c.SMS_SENDER), {
    message: 'SMS_PROVIDER=taqnyat needs TAQNYAT_TOKEN and SMS_SENDER',
    path: ['SMS_PROVIDER'],
  });
export type NotificationConfig = z.infer<typeof notificationConfigSchema>;

/** How long one step of a send may take: a third of the lease. */
export const sendTimeoutMs = (c: Pick<NotificationConfig, 'SEND_LEASE_SECONDS'>) => (c.SEND_LEASE_SECONDS * 1000) / 3;

export const loadNotificationConfig = (source: NodeJS.ProcessEnv) => loadConfig(notificationConfigSchema, source);
