// The sender: a loop that claims due deliveries and hands each to DeliveryService, a few at a time. It starts once
// the service's database is migrated, idles briefly when there is nothing due, and stops with the service.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry, JsonLogger, SERVICE_CONFIG } from '@agdar/service-kit';
import { NotificationConfig } from '../config';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryService } from './delivery.service';

const IDLE_MS = 200;

@Injectable()
export class SenderWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly delivery: DeliveryService,
    private readonly health: HealthRegistry,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: NotificationConfig,
  ) {}

  /** Nest bootstraps a hybrid app's modules twice (the HTTP app, then its Kafka microservice): start once. */
  onApplicationBootstrap(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.health.whenStarted.then(() => this.run());
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    let lastError = '';
    while (this.running) {
      try {
        const claimed = await this.deliveries.claimDue(this.config.SENDER_BATCH, this.config.SEND_LEASE_SECONDS);
        lastError = '';
        await inParallel(claimed, this.config.SENDER_CONCURRENCY, (row) => this.delivery.deliver(row));
        if (claimed.length < this.config.SENDER_BATCH) await sleep(IDLE_MS);
      } catch (error) {
        const message = (error as Error).message;
        if (message !== lastError)
          this.logger.warn(`cannot claim deliveries (${message}); retrying every 1 s`, 'sender');
        lastError = message;
        await sleep(1000);
      }
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
