import { scrape, valueOf } from '../../support/prometheus-text.js';

/** Purchase's buy admission as its `/metrics` showed it at one moment. */
export interface AdmissionReading {
  at: number;
  limit: number;
  running: number;
  waiting: number;
}

/**
 * Reads purchase's learned buy limit (`gaji_admission_*{operation="buy"}`) once a second while a
 * drill runs, so that its shed buys can be told apart: shed under a low limit, the limit read
 * slowness as overload; shed with `running` at a high limit, real overload (decision 0013).
 * A scrape that fails (purchase being replaced) is skipped.
 */
export class AdmissionWatch {
  readonly readings: AdmissionReading[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly purchaseUrl: () => string) {}

  start(everyMs = 1_000): this {
    this.timer = setInterval(() => void this.read(), everyMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Lowest limit and highest running/waiting seen in [from, until), or undefined if none read. */
  between(from: number, until: number): { limit: number; running: number; waiting: number } | undefined {
    const inWindow = this.readings.filter((reading) => reading.at >= from && reading.at < until);
    if (inWindow.length === 0) return undefined;
    return {
      limit: Math.min(...inWindow.map((reading) => reading.limit)),
      running: Math.max(...inWindow.map((reading) => reading.running)),
      waiting: Math.max(...inWindow.map((reading) => reading.waiting)),
    };
  }

  private async read(): Promise<void> {
    const at = Date.now();
    const samples = await scrape(`${this.purchaseUrl()}/graphql`).catch(() => undefined);
    if (!samples) return;
    const figure = (name: string) => valueOf(samples, `gaji_admission_${name}`, { operation: 'buy' });
    const [limit, running, waiting] = [figure('limit'), figure('running'), figure('waiting')];
    if (limit === undefined || running === undefined || waiting === undefined) return;
    this.readings.push({ at, limit, running, waiting });
  }
}
