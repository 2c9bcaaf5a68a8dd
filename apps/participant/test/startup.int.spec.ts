// A service refuses to start on bad settings with one line naming them, and a broker outage does not take it out of
// service: it stays ready (its outbox buffers, and the health report shows the backlog), and publishes everything when
// Kafka is back, with no restart and no event lost.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  announceTenant,
  ApiClient,
  dataServiceEnv,
  dropDatabase,
  sql,
  freePort,
  KafkaReader,
  readinessOf,
  repoRoot,
  eventually,
  StartedService,
  startService,
} from '@agdar/testing';
import { Topics } from '@agdar/contracts';
import { startParticipantService } from '../src/participant-service';

function startWith(env: Record<string, string | undefined>) {
  const result = spawnSync(
    process.execPath,
    ['-r', join(repoRoot, 'tools/register.js'), join(repoRoot, 'apps/participant/src/main.ts')],
    {
      env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      timeout: 30000,
    },
  );
  return { code: result.status, lines: result.stderr.trim().split('\n') };
}

describe('participant service start-up', () => {
  const good = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
    KAFKA_BROKERS: '127.0.0.1:9092',
    JWT_SECRET: 'a-secret-of-enough-length',
  };

  it.each([
    ['DATABASE_URL', { ...good, DATABASE_URL: undefined }, 'DATABASE_URL is required'],
    ['KAFKA_BROKERS', { ...good, KAFKA_BROKERS: 'kafka' }, 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    ['JWT_SECRET', { ...good, JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 16 characters'],
    ['PORT', { ...good, PORT: 'eighty' }, 'PORT must be a port number'],
    [
      'JWT_SECRET or JWKS_URL',
      { ...good, JWT_SECRET: undefined },
      'JWT_SECRET is required (or JWKS_URL, to verify tokens of an identity provider)',
    ],
    ['JWKS_URL', { ...good, JWKS_URL: 'keys.example' }, 'JWKS_URL must be an http(s) URL'],
    [
      'JWKS_URL without issuer and audience',
      { ...good, JWKS_URL: 'https://id.example/jwks' },
      'JWT_ISSUER and JWT_AUDIENCE are required with JWKS_URL',
    ],
    [
      'JWKS_URL without audience',
      { ...good, JWKS_URL: 'https://id.example/jwks', JWT_ISSUER: 'https://id.example' },
      'JWT_AUDIENCE is required with JWKS_URL',
    ],
  ])('exits with one line naming a bad %s', (_name, env, expected) => {
    const { code, lines } = startWith(env);
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`participant: invalid configuration: ${expected}`);
  });
});

describe('readiness while Kafka goes away and comes back', () => {
  const script = join(repoRoot, 'deploy/kafka/kafka.sh');
  let kafkaEnv: NodeJS.ProcessEnv;
  let dataDir: string;
  let service: StartedService;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agdar-kafka-outage-'));
    kafkaEnv = {
      ...process.env,
      KAFKA_PORT: String(await freePort()),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_DATA_DIR: dataDir,
    };
    execFileSync('bash', [script, 'start'], { env: kafkaEnv });
    service = await startService(
      startParticipantService,
      dataServiceEnv('participant', { KAFKA_BROKERS: `127.0.0.1:${kafkaEnv.KAFKA_PORT}` }),
    );
  });

  afterAll(async () => {
    await service?.dispose();
    execFileSync('bash', [script, 'stop'], { env: kafkaEnv });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stays ready without Kafka, keeps accepting registrations, reports the backlog, and publishes it when Kafka is back', async () => {
    expect((await readinessOf(service.url)).status).toBe(200);
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);

    await announceTenant('OUTAGE', service.url, [`127.0.0.1:${kafkaEnv.KAFKA_PORT}`]);
    execFileSync('bash', [script, 'stop'], { env: kafkaEnv });
    const api = new ApiClient(service.url).asRole('OUTAGE', 'reception');
    const registered = await api.post('/patients', {
      firstNameEn: 'Nour',
      lastNameEn: 'Ali',
      dateOfBirth: '2014-03-03',
      email: 'nour@example.com',
    });
    expect(registered.status).toBe(201);
    // Under load while the broker is away: every registration is taken, once.
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.post('/patients', { firstNameEn: `Burst${i}`, lastNameEn: 'Ali', dateOfBirth: '2014-03-03' }),
      ),
    );
    expect(burst.map((r) => r.status)).toEqual(burst.map(() => 201));
    // Ready all along, with the broker reported down and the unpublished events in the backlog, ageing.
    const statuses: number[] = [];
    const during = await eventually(async () => {
      const readiness = await readinessOf(service.url);
      statuses.push(readiness.status);
      const body = readiness.body as typeof readiness.body & { outbox?: { pending: number; oldestSeconds: number } };
      return body.checks.kafka.startsWith('down') && (body.outbox?.oldestSeconds ?? 0) > 0 ? body : undefined;
    }, 'the health report to show the broker down and the backlog');
    expect([...new Set(statuses)]).toEqual([200]);
    expect(during.checks).toMatchObject({ startup: 'up', database: 'up' });
    expect(during.outbox!.pending).toBeGreaterThanOrEqual(1);

    execFileSync('bash', [script, 'start'], { env: kafkaEnv });
    const reader = await KafkaReader.start([Topics.patients.name], [`127.0.0.1:${kafkaEnv.KAFKA_PORT}`]);
    await reader.waitFor((m) => m.value.data?.patientId === registered.body.id, 1, 40000);
    const published = new Set([registered, ...burst].map((r) => r.body.id));
    const seen = await reader.waitFor((m) => published.has(m.value.data?.patientId), published.size, 40000);
    expect(new Set(seen.map((m) => m.value.data.patientId)).size).toBe(13); // every one, none lost
    const [{ n }] = await sql<{ n: string }>(
      service.databaseUrl!,
      `select count(*) as n from patients where tenant = 'OUTAGE'`,
    );
    expect(Number(n)).toBe(13); // and none twice
    await reader.stop();
    const after = await eventually(
      async () => {
        const { body } = await readinessOf(service.url);
        return (body as unknown as { outbox: { pending: number } }).outbox.pending === 0 ? body : undefined;
      },
      'the backlog to drain',
      40000,
    );
    expect(after.checks.kafka).toBe('up');
  });
});

describe('readiness of a service whose broker cannot be reached', () => {
  it('is ready once its database is, without waiting for Kafka or its consumers', async () => {
    const env = dataServiceEnv('participant', { KAFKA_BROKERS: `127.0.0.1:${await freePort()}` });
    const service = await startParticipantService(env);
    try {
      const ready = await eventually(
        async () => {
          const readiness = await readinessOf(service.url);
          return readiness.status === 200 ? readiness : undefined;
        },
        'readiness without a broker',
        30000,
      );
      expect(ready.body.checks).toMatchObject({ startup: 'up', database: 'up', kafka: expect.stringMatching(/^down/) });
    } finally {
      await service.stop();
      await dropDatabase(env.DATABASE_URL!);
    }
  });
});
