// Each test file gets databases of its own, named for the run and the file, dropped when it is done.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testEnv } from './test-env';

export function uniqueDatabaseUrl(service: string): string {
  const { postgresUrl, runId } = testEnv();
  return `${postgresUrl}/t_${service}_${runId}_${randomBytes(3).toString('hex')}`;
}

export async function dropDatabase(url: string): Promise<void> {
  const server = new URL(url);
  const name = server.pathname.slice(1);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

/** Runs SQL against a test database: for arranging rows and for asserting on what a service stored. */
export async function sql<T = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
