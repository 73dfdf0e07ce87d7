import type { Logger } from '../logging/logger.js';

type Stopper = () => Promise<void> | void;

/**
 * Stops what a service started, in reverse order (stop taking requests, then consumers, then
 * the relay, then connections), once, whether asked by a signal, a test, or a failed start-up.
 */
export class Lifecycle {
  private readonly stoppers: { name: string; stop: Stopper }[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  onStop(name: string, stop: Stopper): void {
    this.stoppers.push({ name, stop });
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of [...this.stoppers].reverse()) {
        try {
          await stop();
        } catch (error) {
          this.logger.warn({ err: error, part: name }, 'error while stopping');
        }
      }
    })();
    return this.stopping;
  }

  /** SIGINT/SIGTERM stop the service gracefully; a second signal exits at once. */
  stopOnSignals(): void {
    let signalled = false;
    const handler = (signal: NodeJS.Signals) => {
      if (signalled) process.exit(1);
      signalled = true;
      this.logger.info({ signal }, 'stopping');
      void this.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }
}
