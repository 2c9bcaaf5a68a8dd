// The lifecycle every background worker of the platform shares (the outbox relay, the sender, the reminder sync):
// start once, run rounds until stopped, idle when a round found nothing, back off when one failed (one warning per
// distinct failure, one line when it works again), wake early on a nudge, and finish the round in flight on stop.
import { errorSummary } from './database-errors';
import { MessagingLogger } from './kafka';

export interface BackgroundLoopOptions {
  /** Who the log lines are from, e.g. 'outbox relay'. */
  name: string;
  /** What a failed round could not do, for its warning, e.g. 'publish the outbox'. */
  task: string;
  logger: MessagingLogger;
  /** Pause after a round that found nothing to do. */
  idleMs: number;
  /** Pause after a failed round (default 1000 ms). */
  retryMs?: number;
  /** How long a nudge waits before waking the loop, so a burst of nudges makes one round (default 10 ms). */
  nudgeDelayMs?: number;
}

/** A round answers whether it found work: true runs the next round at once, false idles first. */
export type Round = () => Promise<boolean>;

export class BackgroundLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudged: NodeJS.Timeout | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly round: Round,
    private readonly options: BackgroundLoopOptions,
  ) {}

  /**
   * Starts the loop once `ready` resolves (a service's database migrated, say). Calling it again does nothing: Nest
   * bootstraps a hybrid app's modules twice, the HTTP app and then its Kafka microservice.
   */
  start(ready: Promise<unknown> = Promise.resolve()): void {
    if (this.loop) return;
    this.running = true;
    this.loop = ready.then(() => this.run());
  }

  get started(): boolean {
    return this.loop !== null;
  }

  /** Asks for a round soon instead of after the idle pause (called after a use case commits work for it). */
  nudge(): void {
    if (this.nudged || !this.running) return;
    this.nudged = setTimeout(() => {
      this.nudged = null;
      this.wake?.();
    }, this.options.nudgeDelayMs ?? 10);
  }

  /** Stops after the round in flight; resolves when it has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.nudged) clearTimeout(this.nudged);
    this.nudged = null;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { name, task, logger, idleMs, retryMs = 1000 } = this.options;
    while (this.running) {
      let busy = false;
      try {
        busy = await this.round();
        if (this.lastError) logger.log(`${name} is working again`, name);
        this.lastError = null;
      } catch (error) {
        const message = errorSummary(error);
        if (message !== this.lastError)
          logger.warn(`${name} cannot ${task} (${message}); retrying every ${retryMs / 1000} s`, name);
        this.lastError = message;
      }
      if (!busy && this.running) await this.sleep(this.lastError ? Math.max(idleMs, retryMs) : idleMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = wake;
    });
  }
}
