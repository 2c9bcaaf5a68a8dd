// The README's platform command: starts every service with demo data, prints where to look, and stops on Ctrl-C.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicWallClock } from '@agdar/contracts';
import {
  ApiClient,
  daysFromToday,
  dropDatabase,
  eventually,
  freePort,
  repoRoot,
  testEnv,
  uniqueDatabaseUrl,
} from '@agdar/testing';

describe('the platform command', () => {
  let child: ChildProcess;
  let output = '';
  const databases = { scheduling: uniqueDatabaseUrl('scheduling'), participant: uniqueDatabaseUrl('participant') };

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(Object.values(databases).map(dropDatabase));
  });

  it('starts the stack, seeds the demo tenant, prints the URLs and a working token, and stops on SIGINT', async () => {
    const env = testEnv();
    const gatewayPort = await freePort();
    child = spawn(
      process.execPath,
      ['-r', join(repoRoot, 'tools/register.js'), join(repoRoot, 'deploy/local/platform.ts')],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          JWT_SECRET: env.jwtSecret,
          KAFKA_BROKERS: env.kafkaBrokers.join(','),
          REDIS_URL: env.redisUrl,
          REDIS_KEY_PREFIX: `test:${env.runId}:platform:`,
          GATEWAY_PORT: String(gatewayPort),
          SCHEDULING_PORT: String(await freePort()),
          PARTICIPANT_PORT: String(await freePort()),
          SCHEDULING_DATABASE_URL: databases.scheduling,
          PARTICIPANT_DATABASE_URL: databases.participant,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));

    await eventually(
      async () => output.includes('Ctrl-C stops everything'),
      'the platform to print where to look',
      90000,
    ).catch((error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    expect(output).toContain(`Gateway API   http://127.0.0.1:${gatewayPort}/api`);
    expect(output).toContain(`API docs      http://127.0.0.1:${gatewayPort}/api/docs`);
    expect(output).toMatch(
      /demo data: clinic Agdar Olaya, 3 rooms, 2 providers, a group session SES-AGDAR-\d{4}-10001 tomorrow with 3 patients/,
    );

    const token = /^\s+reception\s+(\S+)$/m.exec(output)![1];
    const api = new ApiClient(`http://127.0.0.1:${gatewayPort}/api`).as(token);
    const patients = await api.get('/patients');
    expect(patients.status).toBe(200);
    expect(patients.body.total).toBe(4);
    const sessions = await api.get('/sessions?sessionType=GROUP');
    expect(sessions.body.items[0]).toMatchObject({ currentCapacity: 3, maxCapacity: 6 });
    // The Today screen, the first a new user sees, has a roster in every state.
    expect(output).toMatch(
      /demo data: today, group session SES-AGDAR-\d{4}-\d+ at \d\d:\d\d \(booked, confirmed, arrived\)/,
    );
    const today = clinicWallClock(new Date(), 'Asia/Riyadh').date;
    // (Seeded just before midnight, the session "starting shortly" is tomorrow's first.)
    const todays = (await api.get(`/sessions?from=${today}&to=${daysFromToday(1)}`)).body.items;
    const statuses = todays.flatMap((s: { participants: { status: string }[] }) => s.participants.map((p) => p.status));
    expect([...new Set(statuses)].sort()).toEqual(['ARRIVED', 'ATTENDED', 'BOOKED', 'CONFIRMED', 'NO_SHOW']);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${gatewayPort}/health/live`)).rejects.toThrow();
  }, 120000);

  it('reports a service that cannot start in one line with its log, without a stack trace, and stops the Kafka it started', async () => {
    const env = testEnv();
    const kafkaPort = await freePort();
    const { KAFKA_BROKERS: _reuse, ...parentEnv } = process.env;
    const failing = spawn(
      process.execPath,
      ['-r', join(repoRoot, 'tools/register.js'), join(repoRoot, 'deploy/local/platform.ts')],
      {
        env: {
          ...parentEnv,
          LOG_LEVEL: 'warn',
          JWT_SECRET: env.jwtSecret,
          REDIS_URL: env.redisUrl,
          KAFKA_PORT: String(kafkaPort),
          KAFKA_CONTROLLER_PORT: String(await freePort()),
          KAFKA_DATA_DIR: mkdtempSync(join(tmpdir(), 'agdar-platform-kafka-')),
          GATEWAY_PORT: String(await freePort()),
          SCHEDULING_PORT: String(await freePort()),
          PARTICIPANT_PORT: String(await freePort()),
          SCHEDULING_DATABASE_URL: 'not-a-database-url',
          PARTICIPANT_DATABASE_URL: databases.participant,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    failing.stdout!.on('data', (d) => (stdout += d));
    failing.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => failing.on('exit', (c) => resolve(c)));

    expect(code).toBe(1);
    expect(stdout).toContain(`kafka: starting on 127.0.0.1:${kafkaPort}`);
    expect(stderr.trim().split('\n')).toEqual([
      'platform: scheduling stopped (exit code 1): invalid configuration: DATABASE_URL must be a postgres:// URL with a database name; its log is .local/logs/scheduling.log',
    ]);
    expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m);
    const kafkaAnswers = await new Promise<boolean>((resolve) => {
      const socket = connect(kafkaPort, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    expect(kafkaAnswers).toBe(false);
  }, 120000);
});
