// A service in a process of its own, as deployed, so that a test can SIGKILL it mid-flow and start it again on the
// same port and database: what a crash and a restart of one replica look like to everything around it.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, eventually, freePort, readinessOf, repoRoot } from '@agdar/testing';

export class ChildService {
  private child: ChildProcess | null = null;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts `apps/<name>/src/main.ts` with `env` (a dataServiceEnv), on a free port, and waits until it is ready. */
  static async start(name: string, env: NodeJS.ProcessEnv, port?: number): Promise<ChildService> {
    const service = new ChildService(name, port ?? (await freePort()), env);
    await service.restart();
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get databaseUrl(): string | undefined {
    return this.env.DATABASE_URL;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Where its output goes: .local/test-logs/<name>-<port>.log, appended across restarts. */
  get logFile(): string {
    return join(repoRoot, '.local', 'test-logs', `${this.name}-${this.port}.log`);
  }

  /** Starts the process again (after a kill) and waits until it reports itself ready. */
  async restart(): Promise<void> {
    mkdirSync(join(repoRoot, '.local', 'test-logs'), { recursive: true });
    const log = openSync(this.logFile, 'a');
    this.child = spawn(
      process.execPath,
      ['-r', join(repoRoot, 'tools/register.js'), join(repoRoot, `apps/${this.name}/src/main.ts`)],
      { env: { ...process.env, ...this.env, PORT: String(this.port) }, stdio: ['ignore', log, log] },
    );
    await eventually(
      async () => (await readinessOf(this.url).catch(() => ({ status: 0 }))).status === 200,
      `the ${this.name} service to be ready`,
      60000,
    );
  }

  /** Sends `signal` and waits until the process has gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** Kills the process and drops its database. */
  async dispose(): Promise<void> {
    await this.kill();
    if (this.env.DATABASE_URL) await dropDatabase(this.env.DATABASE_URL);
  }
}
