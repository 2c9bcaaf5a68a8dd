// Liveness says the process runs; readiness says it can do its work now (its database and broker answer).
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from './auth';

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];
  private started = false;

  add(check: HealthCheck): void {
    this.checks.push(check);
  }

  markStarted(): void {
    this.started = true;
  }

  async report(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2500);
          return [name, 'up'] as const;
        } catch (error) {
          return [name, `down: ${(error as Error).message}`] as const;
        }
      }),
    );
    const checks: Record<string, string> = {
      startup: this.started ? 'up' : 'starting',
      ...Object.fromEntries(results),
    };
    return { ready: Object.values(checks).every((s) => s === 'up'), checks };
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

  @Public()
  @Get('ready')
  async ready(@Res() res: Response) {
    const { ready, checks } = await this.registry.report();
    res.status(ready ? 200 : 503).json({ status: ready ? 'up' : 'down', checks });
  }
}
