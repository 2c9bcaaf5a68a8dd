// Liveness says the process runs; readiness says it can serve requests now: its HTTP answers, its database answers
// and its start-up (database, migrations) is done. The broker is reported but does not decide readiness: while Kafka
// is away writes go on into the outbox, whose backlog and oldest age the report shows for alerting.
import { Controller, Get, Logger, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from './auth';

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
  /** False for what is reported but does not make the service unready (the broker: the outbox buffers meanwhile). */
  critical?: boolean;
}

/** Figures the report shows besides the checks (the outbox backlog), read when the report is asked for. */
export interface HealthDetail {
  name: string;
  read: () => Promise<unknown>;
}

export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];
  private readonly details: HealthDetail[] = [];
  private started = false;
  private readonly logger = new Logger('Readiness');
  /** Each check's last outcome, so that a change (down, up again) is logged once with its cause. */
  private readonly lastErrors = new Map<string, string | null>();
  private resolveStarted!: () => void;
  /** Resolves once start-up (database, migrations) is done: what background workers wait for before they poll. */
  readonly whenStarted = new Promise<void>((resolve) => (this.resolveStarted = resolve));

  add(check: HealthCheck): void {
    this.checks.push(check);
  }

  addDetail(detail: HealthDetail): void {
    this.details.push(detail);
  }

  markStarted(): void {
    this.started = true;
    this.resolveStarted();
  }

  private noteChange(name: string, error: string | null): void {
    const before = this.lastErrors.get(name);
    if (before === error) return;
    this.lastErrors.set(name, error);
    if (error) this.logger.warn(`${name} is down: ${error}`);
    else if (before) this.logger.log(`${name} is up again`);
  }

  async report(): Promise<{ ready: boolean; checks: Record<string, string>; details: Record<string, unknown> }> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check, critical }) => {
        try {
          await withTimeout(check(), 2500);
          this.noteChange(name, null);
          return { name, state: 'up', critical: critical !== false };
        } catch (error) {
          this.noteChange(name, (error as Error).message);
          return { name, state: 'down', critical: critical !== false };
        }
      }),
    );
    const details = await Promise.all(
      this.details.map(async ({ name, read }) => [name, await withTimeout(read(), 2500).catch(() => 'unknown')]),
    );
    const checks: Record<string, string> = {
      startup: this.started ? 'up' : 'starting',
      ...Object.fromEntries(results.map((r) => [r.name, r.state])),
    };
    const ready = this.started && results.every((r) => !r.critical || r.state === 'up');
    return { ready, checks, details: Object.fromEntries(details) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Public()
  @Get('live')
  live() {
    return { status: 'up' };
  }

  /**
   * Public (load balancers and probes read it without a token): it says which check is down, never why, since causes
   * name internal hosts, ports and raw errors. The cause goes to the log, once per change.
   */
  @Public()
  @Get('ready')
  async ready(@Res() res: Response) {
    const { ready, checks, details } = await this.registry.report();
    res.status(ready ? 200 : 503).json({ status: ready ? 'up' : 'down', checks, ...details });
  }
}
