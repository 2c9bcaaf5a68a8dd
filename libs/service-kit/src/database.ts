// Each service owns one PostgreSQL database: created when missing, migrated at start-up (unless DATABASE_MIGRATE=false,
// as in production where a release job migrates once).
import { MikroORM, Options } from '@mikro-orm/postgresql';
import { Migrator, Migration } from '@mikro-orm/migrations';
import { Client } from 'pg';

export type MigrationClass = new (...args: any[]) => Migration;

export interface DatabaseSettings {
  url: string;
  entities: Function[];
  migrations: { name: string; class: MigrationClass }[];
  debug?: boolean;
  /**
   * Where the database driver's own warnings go (a lost connection, say); knex prints them to the console otherwise.
   */
  logger?: {
    warn(message: string, context?: string): void;
    error(message: string, trace?: string, context?: string): void;
  };
}

export function databaseNameOf(url: string): string {
  return new URL(url).pathname.replace(/^\//, '');
}

/** Creates the service's database when it does not exist yet; a concurrent creator is not an error. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database "${name.replace(/"/g, '')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export function ormOptions(settings: DatabaseSettings): Options {
  return {
    clientUrl: settings.url,
    entities: settings.entities,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      migrationsList: settings.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    connect: false,
    pool: { min: 0, max: 20 },
    debug: settings.debug ?? false,
    ...(settings.logger ? { driverOptions: { log: driverLog(settings.logger) } } : {}),
  };
}

function driverLog(logger: NonNullable<DatabaseSettings['logger']>) {
  const text = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message));
  return {
    warn: (message: unknown) => logger.warn(text(message), 'database'),
    error: (message: unknown) => logger.error(text(message), undefined, 'database'),
    deprecate: (method: string, alternative: string) =>
      logger.warn(`${method} is deprecated, use ${alternative}`, 'database'),
    debug: () => undefined,
  };
}

export async function initOrm(settings: DatabaseSettings): Promise<MikroORM> {
  return MikroORM.init(ormOptions(settings));
}

/** Applies pending migrations under a session advisory lock, so replicas starting together migrate one at a time. */
export async function migrate(orm: MikroORM, url: string): Promise<void> {
  const lock = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await lock.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('schema-migrations'))`);
    await orm.getMigrator().up();
  } finally {
    await lock.end(); // ending the session releases the lock
  }
}
