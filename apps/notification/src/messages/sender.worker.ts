// The sender: a loop that claims due deliveries and hands each to DeliveryService, several at a time. It starts once
// the service's database is migrated, idles briefly when there is nothing due, and stops with the service.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry, JsonLogger, SERVICE_CONFIG } from '@agdar/service-kit';
import { NotificationConfig } from '../config';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryService } from './delivery.service';

/** How often an idle sender looks for due rows: one indexed query. */
const IDLE_MS = 50;

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

  /**
   * Keeps up to SENDER_CONCURRENCY sends in flight: whenever lanes are free it claims as many due rows as there are
   * free lanes, so a slow send never holds up the rest of a batch. Rows are leased only while they are in flight here.
   */
  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const lanes = this.config.SENDER_CONCURRENCY;
    let lastError = '';
    while (this.running) {
      const free = lanes - inFlight.size;
      if (free < Math.ceil(lanes / 4)) {
        await Promise.race(inFlight);
        continue;
      }
      try {
        const claimed = await this.deliveries.claimDue(free, this.config.SEND_LEASE_SECONDS);
        lastError = '';
        for (const row of claimed) {
          const sending: Promise<void> = this.delivery.deliver(row).finally(() => inFlight.delete(sending));
          inFlight.add(sending);
        }
        if (claimed.length === 0) await sleep(IDLE_MS);
      } catch (error) {
        const message = (error as Error).message;
        if (message !== lastError)
          this.logger.warn(`cannot claim deliveries (${message}); retrying every 1 s`, 'sender');
        lastError = message;
        await sleep(1000);
      }
    }
    await Promise.all(inFlight);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
