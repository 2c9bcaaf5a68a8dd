// The infrastructure a test run needs: PostgreSQL, Redis and a Kafka broker. By default the local processes of this
// machine (a Kafka broker of its own for the run, on free ports, removed afterwards); an environment that names a
// running broker (KAFKA_BROKERS) is reused; TEST_INFRA=testcontainers takes everything from a Docker engine instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';

export interface TestInfrastructure {
  /** Server URL without a database: postgres://user@host:port */
  postgresUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  stop(): Promise<void>;
}

export const repoRoot = join(__dirname, '..', '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function assertPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${(error as Error).message}): start it, or set TEST_POSTGRES_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function assertRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${url} (${(error as Error).message}): start it, or set TEST_REDIS_URL`);
  } finally {
    redis.disconnect();
  }
}

/**
 * A single-node KRaft broker of its own (deploy/kafka/kafka.sh, on free ports and a temporary folder): the run's, and
 * the fault suite's, which stops it and starts it again on the same ports with its data, as a broker restart looks.
 */
export class KafkaBroker {
  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<KafkaBroker> {
    const port = await freePort();
    const controllerPort = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'agdar-kafka-'));
    const env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_DATA_DIR: dataDir,
    };
    const broker = new KafkaBroker(env, port, dataDir);
    broker.run('start');
    return broker;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Stops the broker, keeping its data. */
  stop(): void {
    this.run('stop');
  }

  /** Starts it again after stop(), with the data it had. */
  restart(): void {
    this.run('start');
  }

  /** Stops it and removes its data. */
  dispose(): void {
    this.run('stop');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private run(command: 'start' | 'stop'): void {
    const script = join(repoRoot, 'deploy', 'kafka', 'kafka.sh');
    execFileSync('bash', [script, command], { env: this.env, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

async function startLocalInfrastructure(): Promise<TestInfrastructure> {
  const postgresUrl = (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  await assertPostgres(postgresUrl);
  await assertRedis(redisUrl);
  if (process.env.KAFKA_BROKERS) {
    return { postgresUrl, redisUrl, kafkaBrokers: process.env.KAFKA_BROKERS.split(','), stop: async () => undefined };
  }
  const kafka = await KafkaBroker.start();
  return { postgresUrl, redisUrl, kafkaBrokers: kafka.brokers, stop: async () => kafka.dispose() };
}

/**
 * The same interface from Docker containers, for machines that have an engine (not this one: it has no Docker).
 * testcontainers is not a dependency of the workspace; `npm i -D testcontainers @testcontainers/kafka
 * @testcontainers/postgresql @testcontainers/redis` where it is wanted.
 */
async function startContainerInfrastructure(): Promise<TestInfrastructure> {
  const load = (name: string) => {
    try {
      // An optional package, installed only where wanted:
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(name);
    } catch {
      throw new Error(`TEST_INFRA=testcontainers needs ${name}: npm i -D ${name}`);
    }
  };
  const { PostgreSqlContainer } = load('@testcontainers/postgresql');
  const { RedisContainer } = load('@testcontainers/redis');
  const { KafkaContainer } = load('@testcontainers/kafka');
  const postgres = await new PostgreSqlContainer('postgres:15')
    .withUsername('postgres')
    .withPassword('postgres')
    .start();
  const redis = await new RedisContainer('redis:7').start();
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().withExposedPorts(9093).start();
  return {
    postgresUrl: `postgres://postgres:postgres@${postgres.getHost()}:${postgres.getPort()}`,
    redisUrl: redis.getConnectionUrl(),
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    stop: async () => {
      await Promise.all([postgres.stop(), redis.stop(), kafka.stop()]);
    },
  };
}

export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  const kind = process.env.TEST_INFRA ?? 'local';
  if (kind === 'local') return startLocalInfrastructure();
  if (kind === 'testcontainers') return startContainerInfrastructure();
  throw new Error(`TEST_INFRA must be local or testcontainers, not ${kind}`);
}
