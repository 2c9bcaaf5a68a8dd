// The local stack: checks PostgreSQL and Redis, starts Kafka (unless KAFKA_BROKERS names one), creates the topics,
// starts every service as its own process (databases are created and migrated by the services), waits until the
// gateway is ready, seeds the demo tenant, and prints where to look. Ctrl-C stops everything it started.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { allTopics } from '@agdar/contracts';
import { createKafka, ensureTopics } from '@agdar/messaging';
import { signToken } from '@agdar/service-kit';
import { MailSink, SmsSink, startMailSink, startSmsSink } from '@agdar/testing';
import { seedDemoData } from './seed';

const root = join(__dirname, '..', '..');
const env = process.env;
const settings = {
  jwtSecret: env.JWT_SECRET ?? 'local-development-secret-change-me',
  postgresUrl: (env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, ''),
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafkaPort: env.KAFKA_PORT ?? '9092',
  gatewayPort: env.GATEWAY_PORT ?? '3000',
  schedulingPort: env.SCHEDULING_PORT ?? '3001',
  participantPort: env.PARTICIPANT_PORT ?? '3002',
  billingPort: env.BILLING_PORT ?? '3003',
  notificationPort: env.NOTIFICATION_PORT ?? '3004',
  smsSinkPort: env.SMS_SINK_PORT ?? '3005',
  mailSmtpPort: env.MAIL_SINK_SMTP_PORT ?? '1025',
  mailWebPort: env.MAIL_SINK_WEB_PORT ?? '1080',
  logLevel: env.LOG_LEVEL ?? 'info',
};
const kafkaBrokers = env.KAFKA_BROKERS ?? `127.0.0.1:${settings.kafkaPort}`;
const logDir = join(root, '.local', 'logs');
const children: { name: string; process: ChildProcess }[] = [];
const sinks: (MailSink | SmsSink)[] = [];
let startedKafka = false;
/** The token the development SMS sink accepts, as Taqnyat accepts an account's bearer token. */
const SMS_SINK_TOKEN = 'local-sms-sink-token';

const say = (line: string) => process.stdout.write(`platform: ${line}\n`);

/** Thrown by `fail` to leave the start-up flow; already reported, so main() says nothing more. */
class Aborted extends Error {}

/** Says what went wrong in one line and stops everything this run started (services, and Kafka if it started it). */
function abort(line: string): void {
  if (shuttingDown) return;
  process.stderr.write(`platform: ${line}\n`);
  void shutdown(1);
}

const fail = (line: string): never => {
  abort(line);
  throw new Aborted(line);
};

async function checkPostgres() {
  const client = new Client({ connectionString: `${settings.postgresUrl}/postgres`, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    fail(
      `PostgreSQL is not reachable at ${settings.postgresUrl} (${(error as Error).message}): start it or set POSTGRES_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis() {
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(`Redis is not reachable at ${settings.redisUrl} (${(error as Error).message}): start it or set REDIS_URL`);
  } finally {
    redis.disconnect();
  }
}

function startKafka() {
  if (env.KAFKA_BROKERS) return say(`using the Kafka broker(s) at ${env.KAFKA_BROKERS}`);
  const output = execFileSync('bash', [join(root, 'deploy/kafka/kafka.sh'), 'start'], {
    env: { ...env, KAFKA_PORT: settings.kafkaPort },
    encoding: 'utf8',
  });
  startedKafka = output.includes('kafka: starting');
  output
    .trim()
    .split('\n')
    .forEach((line) => say(line));
}

function startService(name: string, serviceEnv: NodeJS.ProcessEnv) {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['-r', join(root, 'tools/register.js'), join(root, `apps/${name}/src/main.ts`)],
    {
      env: { ...env, LOG_LEVEL: settings.logLevel, JWT_SECRET: settings.jwtSecret, ...serviceEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.pipe(log);
  // A service's own last word (its one-line start-up error) goes into the summary; traces stay in its log.
  let lastWords = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    const lines = chunk
      .toString()
      .split('\n')
      .filter((l) => l.trim() && !/^\s+at /.test(l));
    if (lines.length) lastWords = lines[lines.length - 1].trim().slice(0, 300);
  });
  child.on('exit', (code, signal) => {
    const why = lastWords ? `: ${lastWords.replace(new RegExp(`^${name}: `), '')}` : '';
    abort(`${name} stopped (${signal ?? `exit code ${code}`})${why}; its log is .local/logs/${name}.log`);
  });
  children.push({ name, process: child });
}

/** The staff console the gateway serves at `/`, built from its sources (a couple of seconds). */
function buildConsole() {
  say('building the staff console (Vite)');
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/vite/bin/vite.js'), 'build', 'apps/console', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    const output = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message)
      .trim()
      .split('\n')[0];
    fail(`the staff console did not build (${output}): run npm run build:console to see why`);
  }
}

async function waitUntilReady(url: string, what: string, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.ok) return;
      if (body !== last) say(`waiting for ${what}: ${body}`);
      last = body;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  fail(`${what} did not become ready within ${timeoutMs / 1000} s: see .local/logs/`);
}

let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping services');
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15000).unref();
        }),
    ),
  );
  await Promise.all(sinks.map((sink) => sink.stop().catch(() => undefined)));
  if (startedKafka)
    execFileSync('bash', [join(root, 'deploy/kafka/kafka.sh'), 'stop'], {
      env: { ...env, KAFKA_PORT: settings.kafkaPort },
      stdio: 'inherit',
    });
  process.exit(code);
}

async function main() {
  const started = Date.now();
  mkdirSync(logDir, { recursive: true });
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  say('checking PostgreSQL and Redis');
  buildConsole();
  await checkPostgres();
  await checkRedis();
  startKafka();
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  await ensureTopics(createKafka({ brokers: kafkaBrokers.split(','), clientId: 'platform' }, quiet), allTopics());
  say(`topics ready: ${allTopics().length}`);

  const databaseUrl = (service: string) =>
    env[`${service.toUpperCase()}_DATABASE_URL`] ?? `${settings.postgresUrl}/${service}`;
  startService('participant', {
    PORT: settings.participantPort,
    DATABASE_URL: databaseUrl('participant'),
    KAFKA_BROKERS: kafkaBrokers,
  });
  startService('scheduling', {
    PORT: settings.schedulingPort,
    DATABASE_URL: databaseUrl('scheduling'),
    KAFKA_BROKERS: kafkaBrokers,
  });
  startService('billing', {
    PORT: settings.billingPort,
    DATABASE_URL: databaseUrl('billing'),
    KAFKA_BROKERS: kafkaBrokers,
  });
  // Messages land in local sinks, not in real inboxes and phones: MailDev (SMTP with a web inbox) and an SMS sink that
  // speaks Taqnyat's API. SMTP_URL sends through a real mail server instead.
  const mail = env.SMTP_URL
    ? null
    : await startMailSink(Number(settings.mailSmtpPort), Number(settings.mailWebPort)).catch((error: Error) =>
        fail(
          `the mail sink (MailDev) did not start on ports ${settings.mailSmtpPort}/${settings.mailWebPort} (${error.message}): free them or set MAIL_SINK_SMTP_PORT and MAIL_SINK_WEB_PORT`,
        ),
      );
  if (mail) sinks.push(mail);
  const sms = env.SMS_PROVIDER
    ? null
    : await startSmsSink(Number(settings.smsSinkPort), SMS_SINK_TOKEN).catch((error: Error) =>
        fail(
          `the SMS sink did not start on port ${settings.smsSinkPort} (${error.message}): free it or set SMS_SINK_PORT`,
        ),
      );
  if (sms) sinks.push(sms);
  startService('notification', {
    PORT: settings.notificationPort,
    DATABASE_URL: databaseUrl('notification'),
    KAFKA_BROKERS: kafkaBrokers,
    REDIS_URL: settings.redisUrl,
    ...(mail ? { SMTP_URL: mail.smtpUrl } : {}),
    ...(sms
      ? { SMS_PROVIDER: 'taqnyat', TAQNYAT_URL: sms.url, TAQNYAT_TOKEN: SMS_SINK_TOKEN, SMS_SENDER: 'AgdarClinic' }
      : {}),
  });
  startService('gateway', {
    PORT: settings.gatewayPort,
    REDIS_URL: settings.redisUrl,
    PARTICIPANT_URL: `http://127.0.0.1:${settings.participantPort}`,
    SCHEDULING_URL: `http://127.0.0.1:${settings.schedulingPort}`,
    BILLING_URL: `http://127.0.0.1:${settings.billingPort}`,
    NOTIFICATION_URL: `http://127.0.0.1:${settings.notificationPort}`,
    // The console's sign-in page lists the demo users of the seeded tenant (development only).
    DEV_SIGN_IN_TENANT: 'AGDAR',
  });
  say('services starting (logs in .local/logs/)');
  const gateway = `http://127.0.0.1:${settings.gatewayPort}`;
  await waitUntilReady(`${gateway}/health/ready`, 'the gateway and the services behind it');
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const tokens = Object.fromEntries(
    (['admin', 'reception', 'provider', 'billing'] as const).map((role) => [
      role,
      signToken(settings.jwtSecret, { sub: `demo-${role}`, tenant: 'AGDAR', roles: [role] }, 12 * 3600),
    ]),
  );
  const platformAdmin = signToken(
    settings.jwtSecret,
    { sub: 'demo-platform-admin', tenant: 'PLATFORM', roles: ['platform-admin'] },
    12 * 3600,
  );
  await seedDemoData(
    `${gateway}/api`,
    { platformAdmin, admin: tokens.admin, reception: tokens.reception, billing: tokens.billing },
    say,
  );

  process.stdout.write(
    [
      '',
      `  Staff console ${gateway}/   (sign in with one click as a demo user of AGDAR, by role)`,
      `  Gateway API   ${gateway}/api`,
      `  API docs      ${gateway}/api/docs   (JSON: ${gateway}/api/docs-json)`,
      `  Health        ${gateway}/health/ready`,
      ...(mail ? [`  Mail inbox    ${mail.webUrl}   (every email the platform sends, MailDev)`] : []),
      ...(sms ? [`  SMS sink      ${sms.url}   (every text message, as the SMS provider would get it)`] : []),
      `  Queue board   http://127.0.0.1:${settings.notificationPort}/queues  (sign in with the platform-admin token below)`,
      `  Logs          ${logDir}/<service>.log`,
      '',
      '  Demo tokens for tenant AGDAR (valid 12 h; paste into the docs page under Authorize):',
      ...Object.entries(tokens).map(([role, token]) => `    ${role.padEnd(10)} ${token}`),
      `    platform-admin ${platformAdmin}`,
      '',
      `  Try: curl -H "Authorization: Bearer $TOKEN" ${gateway}/api/patients`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  if (!(error instanceof Aborted)) abort((error as Error).message.split('\n')[0]);
});
