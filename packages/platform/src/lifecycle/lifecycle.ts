import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging/logger.js';
import { flushSpans } from '../tracing/tracing-sdk.js';

type Stopper = () => Promise<void> | void;

/** How a process stops on SIGTERM (the SHUTDOWN_* settings of every service's configuration). */
export interface ShutdownSettings {
  /** How long readiness fails while the process still serves, before it stops accepting. */
  SHUTDOWN_DRAIN_DELAY_MS: number;
  /** The hard deadline from the signal to exit: whatever is still running then is cut (exit 1). */
  SHUTDOWN_TIMEOUT_MS: number;
}

/** The defaults of the base configuration schema (config.ts). */
const DEFAULT_SHUTDOWN: ShutdownSettings = { SHUTDOWN_DRAIN_DELAY_MS: 2_000, SHUTDOWN_TIMEOUT_MS: 30_000 };

/**
 * Stops what a service started, in reverse order (stop taking requests, then consumers, then
 * the relay, then connections), once, whether asked by a signal, a test, or a failed start-up.
 * A graceful shutdown (`shutdown`, what SIGTERM does) first fails readiness for a while, so load
 * balancers stop sending work here while what is already on its way is still served.
 */
export class Lifecycle {
  private readonly stoppers: { name: string; stop: Stopper }[] = [];
  private readonly drainers: (() => void)[] = [];
  private stopping?: Promise<void>;
  private drainingSince?: number;

  constructor(private readonly logger: Logger) {}

  onStop(name: string, stop: Stopper): void {
    this.stoppers.push({ name, stop });
  }

  /** Called first on a graceful shutdown (e.g. a gateway failing its own readiness). */
  onDrain(drain: () => void): void {
    this.drainers.push(drain);
  }

  /** True from the start of a graceful shutdown: readiness answers 503 from then on. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** A readiness check for `/health/ready`: false once draining. */
  readonly serving = async (): Promise<boolean> => !this.draining;

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of [...this.stoppers].reverse()) {
        try {
          this.logger.debug({ part: name }, 'stopping');
          await stop();
        } catch (error) {
          this.logger.warn({ err: error, part: name }, 'error while stopping');
        }
      }
    })();
    return this.stopping;
  }

  /** Fails readiness, keeps serving for `drainDelayMs`, then stops everything in order. */
  async shutdown(drainDelayMs: number): Promise<void> {
    if (!this.draining) {
      this.drainingSince = Date.now();
      for (const drain of this.drainers) drain();
      this.logger.info({ drainDelayMs }, 'draining: readiness fails, requests are still served');
      await sleep(drainDelayMs);
    }
    await this.stop();
  }

  /**
   * SIGINT/SIGTERM shut the service down gracefully and exit 0, or exit 1 at the deadline; a
   * second signal exits at once.
   */
  stopOnSignals(settings: ShutdownSettings = DEFAULT_SHUTDOWN): void {
    let signalled = false;
    const handler = (signal: NodeJS.Signals) => {
      if (signalled) process.exit(1);
      signalled = true;
      this.logger.info({ signal }, 'stopping');
      setTimeout(() => {
        this.logger.error({ deadlineMs: settings.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline passed');
        process.exit(1);
      }, settings.SHUTDOWN_TIMEOUT_MS).unref();
      void this.shutdown(settings.SHUTDOWN_DRAIN_DELAY_MS)
        .then(() => flushSpans())
        .then(
          () => {
            this.logger.info('stopped');
            process.exit(0);
          },
          () => process.exit(1),
        );
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }
}
