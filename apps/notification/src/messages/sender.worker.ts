// The sender: a background loop that claims due deliveries and hands each to DeliveryService, several at a time. It
// starts once the service's database is migrated, idles briefly when there is nothing due, and stops with the service
// after the sends in flight have finished.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundLoop } from '@agdar/messaging';
import { HealthRegistry, JsonLogger, SERVICE_CONFIG } from '@agdar/service-kit';
import { NotificationConfig } from '../config';
import { SendingRepository } from './sending.repository';
import { DeliveryService } from './delivery.service';

/** How often an idle sender looks for due rows: one indexed query. */
const IDLE_MS = 50;

@Injectable()
export class SenderWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly deliveries: SendingRepository,
    private readonly delivery: DeliveryService,
    private readonly health: HealthRegistry,
    logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: NotificationConfig,
  ) {
    this.loop = new BackgroundLoop(() => this.round(), {
      name: 'sender',
      task: 'claim deliveries',
      logger,
      idleMs: IDLE_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start(this.health.whenStarted);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await Promise.all(this.inFlight);
  }

  /**
   * Keeps up to SENDER_CONCURRENCY sends in flight: whenever lanes are free it claims as many due rows as there are
   * free lanes, so a slow send never holds up the rest of a batch. Rows are leased only while they are in flight here.
   */
  private async round(): Promise<boolean> {
    const lanes = this.config.SENDER_CONCURRENCY;
    const free = lanes - this.inFlight.size;
    if (free < Math.ceil(lanes / 4)) {
      await Promise.race(this.inFlight);
      return true;
    }
    const claimed = await this.deliveries.claimDue(free, this.config.SEND_LEASE_SECONDS);
    for (const row of claimed) {
      const sending: Promise<void> = this.delivery.deliver(row).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    return claimed.length > 0;
  }
}
