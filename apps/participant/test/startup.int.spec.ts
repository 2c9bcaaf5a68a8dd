// A service refuses to start on bad settings with one line naming them, and its readiness follows its broker:
// red while Kafka is down, green again when it returns, with no restart and no event lost in between.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  dataServiceEnv,
  freePort,
  KafkaReader,
  readinessOf,
  repoRoot,
  StartedService,
  startService,
  untilReadiness,
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

  it('goes red without Kafka, keeps accepting registrations, and publishes them when Kafka is back', async () => {
    expect((await readinessOf(service.url)).status).toBe(200);
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);

    execFileSync('bash', [script, 'stop'], { env: kafkaEnv });
    const down = await untilReadiness(service.url, false);
    expect(down.body.checks.kafka).toMatch(/^down/);
    expect(down.body.checks.database).toBe('up');

    const api = new ApiClient(service.url).asRole('OUTAGE', 'reception');
    const registered = await api.post('/patients', {
      firstNameEn: 'Nour',
      lastNameEn: 'Ali',
      dateOfBirth: '2014-03-03',
      email: 'nour@example.com',
    });
    expect(registered.status).toBe(201);

    execFileSync('bash', [script, 'start'], { env: kafkaEnv });
    await untilReadiness(service.url, true, 40000);
    const reader = await KafkaReader.start([Topics.patients.name], [`127.0.0.1:${kafkaEnv.KAFKA_PORT}`]);
    await reader.waitFor((m) => m.value.data?.patientId === registered.body.id, 1, 40000);
    await reader.stop();
  });
});
