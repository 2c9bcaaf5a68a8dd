// What the benchmarks share: the platform as deployed (every service in a process of its own against the run's
// PostgreSQL, Kafka and Redis, with databases of the run's own), a tenant with a clinic and sessions arranged through
// the API, patients put straight into the projections that need them, and where the CPU goes per process.
import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'pg';
import { allTopics } from '@agdar/contracts';
import { createKafka, ensureTopics } from '@agdar/messaging';
import { Role, signToken } from '@agdar/service-kit';
import Redis from 'ioredis';
import {
  ApiClient,
  dropDatabase,
  eventually,
  freePort,
  MailInbox,
  startMailSink,
  startSmsSink,
  startTestInfrastructure,
} from '@agdar/testing';
import { Classify, cpuByGroup, cpuSpent } from './cpu';

export const root = join(__dirname, '..', '..');
const SERVICES = ['participant', 'scheduling', 'billing', 'notification', 'gateway'] as const;
type ServiceName = (typeof SERVICES)[number];
export const CPU_GROUPS = [...SERVICES, 'PostgreSQL', 'Kafka', 'Redis', 'MailDev', 'bench client'];

export const say = (line: string) => process.stdout.write(`bench: ${line}\n`);

export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

export type BenchPlatform = Awaited<ReturnType<typeof startBenchPlatform>>;

export async function startBenchPlatform() {
  const infra = await startTestInfrastructure();
  await ensureTopics(
    createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench' }, { log() {}, warn() {}, error() {} }),
    allTopics(),
  );
  const run = randomBytes(3).toString('hex');
  const secret = `bench-secret-${run}-long-enough`;
  const databases = {
    scheduling: `${infra.postgresUrl}/bench_scheduling_${run}`,
    participant: `${infra.postgresUrl}/bench_participant_${run}`,
    billing: `${infra.postgresUrl}/bench_billing_${run}`,
    notification: `${infra.postgresUrl}/bench_notification_${run}`,
  };
  // Where messages land: MailDev (its own process) for email, the SMS sink (in this process) for text messages.
  const mail = await startMailSink(await freePort(), await freePort());
  const smsToken = `bench-sms-${run}`;
  const sms = await startSmsSink(await freePort(), smsToken);
  const queuePrefix = `bench-${run}`;
  const ports: Record<ServiceName, number> = {
    gateway: await freePort(),
    scheduling: await freePort(),
    participant: await freePort(),
    billing: await freePort(),
    notification: await freePort(),
  };
  const envOf: Record<ServiceName, Record<string, string>> = {
    participant: { DATABASE_URL: databases.participant },
    scheduling: { DATABASE_URL: databases.scheduling },
    billing: { DATABASE_URL: databases.billing },
    notification: {
      DATABASE_URL: databases.notification,
      REDIS_URL: infra.redisUrl,
      REMINDER_QUEUE_PREFIX: queuePrefix,
      SMTP_URL: mail.smtpUrl,
      SMS_PROVIDER: 'taqnyat',
      TAQNYAT_URL: sms.url,
      TAQNYAT_TOKEN: smsToken,
      SMS_SENDER: 'AgdarBench',
    },
    gateway: {
      REDIS_URL: infra.redisUrl,
      REDIS_KEY_PREFIX: `bench:${run}:`,
      RATE_LIMIT_PER_MINUTE: '10000000',
      SCHEDULING_URL: `http://127.0.0.1:${ports.scheduling}`,
      PARTICIPANT_URL: `http://127.0.0.1:${ports.participant}`,
      BILLING_URL: `http://127.0.0.1:${ports.billing}`,
      NOTIFICATION_URL: `http://127.0.0.1:${ports.notification}`,
    },
  };
  const children = new Map<ServiceName, ChildProcess>();
  /** The services' processes by pid, for CPU accounting (a restarted service keeps its group). */
  const pids = new Map<number, string>();

  const start = (name: ServiceName) => {
    // BENCH_PROFILE=<service> writes a V8 CPU profile of that service to .local/bench/profiles.
    const profile =
      process.env.BENCH_PROFILE === name
        ? ['--cpu-prof', `--cpu-prof-dir=${join(root, '.local', 'bench', 'profiles')}`]
        : [];
    const child = spawn(
      process.execPath,
      [...profile, '-r', join(root, 'tools/register.js'), join(root, `apps/${name}/src/main.ts`)],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'error',
          JWT_SECRET: secret,
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          PORT: String(ports[name]),
          ...envOf[name],
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.set(name, child);
    if (child.pid) pids.set(child.pid, name);
  };
  const stop = async (name: ServiceName) => {
    const child = children.get(name);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const ready = (name: ServiceName) =>
    eventually(
      async () => (await fetch(`http://127.0.0.1:${ports[name]}/health/ready`).catch(() => null))?.ok ?? false,
      `the ${name} service to be ready`,
      90000,
    );

  // Whatever ends the bench takes its services with it: left running, they would stay in the consumer groups on a
  // shared broker and take the next run's events into their own databases.
  process.once('exit', () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM')));
  for (const name of SERVICES) start(name);
  const gateway = `http://127.0.0.1:${ports.gateway}`;
  await eventually(async () => (await fetch(`${gateway}/health/ready`)).ok, 'the services to be ready', 90000);

  const classify: Classify = (pid, comm, cmdline) => {
    if (pid === process.pid) return 'bench client';
    if (pids.has(pid)) return pids.get(pid)!;
    if (comm === 'postgres') return 'PostgreSQL';
    if (comm.startsWith('redis-server')) return 'Redis';
    if (comm === 'java' && cmdline.includes('kafka.Kafka')) return 'Kafka';
    if (cmdline.includes('maildev')) return 'MailDev';
    return null;
  };
  const tenant = `B${run.toUpperCase()}`;
  const platform = {
    gateway,
    ports,
    databases,
    tenant,
    mail: new MailInbox(mail.webUrl),
    queuePrefix,
    api: new ApiClient(`${gateway}/api`),
    token: (roles: Role[], t = tenant) => signToken(secret, { sub: 'bench', tenant: t, roles }, 3600),
    classify,
    start,
    stop,
    ready,
    async cleanUp() {
      await Promise.all([...children.keys()].map(stop));
      await Promise.all([mail.stop(), sms.stop()]);
      for (const url of Object.values(databases)) await dropDatabase(url).catch(() => undefined);
      await dropKeys(infra.redisUrl, `${queuePrefix}:*`);
      await infra.stop();
    },
  };
  // Ctrl-C cleans up as the end of a run does (services, sinks, databases, queue keys, the broker it started).
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      say(`${signal}: stopping the services and dropping the bench databases`);
      void platform.cleanUp().finally(() => process.exit(130));
    });
  return platform;
}

/** The body of an answer a bench's setup needs to have succeeded; the run stops with the answer otherwise. */
export async function must(answer: Promise<{ status: number; body: any }>): Promise<any> {
  const r = await answer;
  if (r.status >= 300) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * A tenant (the bench's own unless named), known to every service, with a clinic in Riyadh and the rooms, providers
 * and service types given, created through the API.
 */
export async function arrangeClinic(
  platform: BenchPlatform,
  clinic: {
    tenant?: string;
    name: string;
    rooms: string[];
    providers: string[];
    serviceTypes: { name: string; nameAr?: string; code: string; defaultDurationMinutes?: number }[];
  },
) {
  const { api, token } = platform;
  const tenant = clinic.tenant ?? platform.tenant;
  await must(
    api
      .as(token(['platform-admin'], 'PLATFORM'))
      .post('/tenants', { code: tenant, name: 'Bench', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 }),
  );
  const admin = api.as(token(['admin'], tenant));
  // Participant and billing learn of the tenant from its event, a moment later.
  await eventually(async () => (await admin.get('/patients')).status === 200, 'participant to know the tenant');
  await eventually(async () => (await admin.get('/billing/policy')).status === 200, 'billing to know the tenant');
  const created = await must(admin.post('/clinics', { name: clinic.name, timezone: 'Asia/Riyadh' }));
  const rooms = await Promise.all(
    clinic.rooms.map((name) => must(admin.post('/rooms', { clinicId: created.id, name }))),
  );
  const providers = await Promise.all(
    clinic.providers.map((name) => must(admin.post('/providers', { name, clinicId: created.id }))),
  );
  const serviceTypes = await Promise.all(clinic.serviceTypes.map((type) => must(admin.post('/service-types', type))));
  return { clinic: created, rooms, providers, serviceTypes };
}

/** A tenant with a clinic, 8 rooms and providers, one service type, and `count` group sessions of 20 seats. */
export async function arrangeSessions(platform: BenchPlatform, count: number) {
  const { api, token } = platform;
  const names = (prefix: string) => Array.from({ length: 8 }, (_, i) => `${prefix}${i}`);
  const {
    clinic,
    rooms,
    providers,
    serviceTypes: [serviceType],
  } = await arrangeClinic(platform, {
    name: 'Bench clinic',
    rooms: names('R'),
    providers: names('P'),
    serviceTypes: [{ name: 'Group', code: 'GROUP' }],
  });
  const sessionIds: string[] = [];
  const reception = api.as(token(['reception']));
  for (let i = 0; i < count; i++) {
    // A week ahead and on: sessions are scheduled in the future and at most two years ahead.
    const day = new Date(Date.now() + (7 + Math.floor(i / 64)) * 86400000).toISOString().slice(0, 10);
    const hour = 8 + Math.floor((i % 64) / 8);
    const body = {
      sessionType: 'GROUP',
      maxCapacity: 20,
      clinicId: clinic.id,
      roomId: rooms[i % 8].id,
      providerId: providers[i % 8].id,
      serviceTypeId: serviceType.id,
      scheduledDate: day,
      scheduledTime: `${String(hour).padStart(2, '0')}:00`,
      durationMinutes: 60,
    };
    sessionIds.push((await must(reception.post('/sessions', body))).id);
  }
  return { serviceTypeId: serviceType.id as string, sessionIds };
}

/**
 * `count` patients put straight into scheduling's projection (and billing's, with `billing`), as if the participant
 * service had published them: registering them through the API is not what a booking bench measures.
 */
export async function insertPatients(
  platform: BenchPlatform,
  count: number,
  options: { billing?: boolean; notification?: boolean } = {},
) {
  const ids = Array.from({ length: count }, () => randomUUID());
  const targets: [string, string][] = [
    [
      platform.databases.scheduling,
      `insert into patients (id, tenant, display_name, updated_at) select unnest($1::uuid[]), $2, 'Bench patient', now()`,
    ],
  ];
  if (options.billing)
    targets.push([
      platform.databases.billing,
      `insert into patients (id, tenant, name) select unnest($1::uuid[]), $2, 'Bench patient'`,
    ]);
  if (options.notification)
    targets.push([
      platform.databases.notification,
      `insert into contacts (patient_id, tenant, name_en, email, language, channels)
       select id, $2, 'Bench patient', 'bench-' || id || '@example.com', 'en', '{email}' from unnest($1::uuid[]) as id`,
    ]);
  for (const [url, statement] of targets) {
    const pool = new Pool({ connectionString: url, max: 2 });
    for (let i = 0; i < ids.length; i += 1000) await pool.query(statement, [ids.slice(i, i + 1000), platform.tenant]);
    await pool.end();
  }
  return ids;
}

/** Removes the run's keys (its reminder queue) from the shared Redis. */
async function dropKeys(url: string, pattern: string) {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** p50, p95, p99 and max of the values. */
export function latencyOf(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/** Calls `send` for each item at `rate` a second, open loop (never waiting for an answer); what did not fail. */
export async function atRate<T, R>(items: T[], rate: number, send: (item: T) => Promise<R | null>): Promise<R[]> {
  const started = Date.now();
  const inFlight: Promise<R | null>[] = [];
  for (let i = 0; i < items.length; i++) {
    const wait = started + (i * 1000) / rate - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(items[i]).catch(() => null));
  }
  return (await Promise.all(inFlight)).filter((r): r is Awaited<R> => r !== null);
}

/** CPU milliseconds per item each group of processes spent since `before` (a cpuByGroup reading). */
export function cpuPerItem(platform: BenchPlatform, before: Map<string, number>, count: number) {
  return Object.fromEntries(
    [...cpuSpent(before, cpuByGroup(platform.classify))].map(([group, ms]) => [group, ms / Math.max(1, count)]),
  );
}

/** "scheduling 6.12, PostgreSQL 4.80, ... = 19.40 ms": the groups that spent at least 0.05 ms, and the total. */
export function cpuLine(cpu: Record<string, number>): string {
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  const groups = CPU_GROUPS.filter((g) => (cpu[g] ?? 0) >= 0.05).map((g) => `${g} ${cpu[g].toFixed(2)}`);
  return `${groups.join(', ')} = ${total.toFixed(2)} ms`;
}

/** The p-th percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * A lean client for the measured requests: node:http over kept-alive connections, a fraction of fetch's CPU, so the
 * bench takes less of the cores it shares with what it measures.
 */
export function leanPoster(baseUrl: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  return (path: string, body: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const request = httpRequest(
        new URL(`/api${path}`, baseUrl),
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}
