import type { ChildProcess } from 'node:child_process';

/** How a crashed child is restarted: what Kubernetes does for a pod's container, on one machine. */
export interface RestartPolicy {
  /** The wait before the first restart; it doubles with each crash in a row… */
  initialDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  /** A child that ran this long before it exited was healthy: its next crash starts the back-off over. */
  healthyAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
};

/** The wait before restarting a child that crashed `crashesInARow` times in a row (1 = the first). */
export function restartDelay(policy: RestartPolicy, crashesInARow: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, crashesInARow - 1));
}

/** One supervised child: started by `spawn` and started again by it after each crash. */
interface Supervised {
  name: string;
  spawn: () => ChildProcess;
  child: ChildProcess;
  startedAt: number;
  crashesInARow: number;
  restarts: number;
  pendingRestart?: NodeJS.Timeout;
}

/**
 * Keeps children running: one that exits while the supervisor is not stopping is restarted after
 * a growing pause, and the others carry on. `stop()` ends them all, last started first.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;

  constructor(
    private readonly policy: RestartPolicy = defaultRestartPolicy,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Starts a child under supervision (or adopts `running`); `spawn` is called again for every restart. */
  add(name: string, spawn: () => ChildProcess, running?: ChildProcess): ChildProcess {
    const supervised: Supervised = {
      name,
      spawn,
      child: running ?? spawn(),
      startedAt: Date.now(),
      crashesInARow: 0,
      restarts: 0,
    };
    this.children.push(supervised);
    this.watch(supervised);
    return supervised.child;
  }

  /** The process running now for `name` (a new one after each restart). */
  current(name: string): ChildProcess | undefined {
    return this.children.find((supervised) => supervised.name === name)?.child;
  }

  restarts(name: string): number {
    return this.children.find((supervised) => supervised.name === name)?.restarts ?? 0;
  }

  /** Stops every child (SIGTERM, then SIGKILL after `graceMs`), last started first; none restarts. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const supervised of [...this.children].reverse()) {
      clearTimeout(supervised.pendingRestart);
      const { child } = supervised;
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  }

  private watch(supervised: Supervised): void {
    let ended = false;
    const onEnd = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended || this.stopping) return;
      ended = true;
      const ranMs = Date.now() - supervised.startedAt;
      supervised.crashesInARow = ranMs >= this.policy.healthyAfterMs ? 1 : supervised.crashesInARow + 1;
      const delayMs = restartDelay(this.policy, supervised.crashesInARow);
      this.log(
        `[${supervised.name}] exited (${signal ?? code}) after ${Math.round(ranMs / 1000)} s; ` +
          `restarting in ${delayMs} ms (crash ${supervised.crashesInARow} in a row)`,
      );
      supervised.pendingRestart = setTimeout(() => {
        if (this.stopping) return;
        supervised.child = supervised.spawn();
        supervised.startedAt = Date.now();
        supervised.restarts += 1;
        this.watch(supervised);
      }, delayMs);
    };
    supervised.child.once('exit', onEnd);
    // A child that could not be spawned at all reports an error and may never exit.
    supervised.child.once('error', (error) => {
      this.log(`[${supervised.name}] ${error.message}`);
      onEnd(null, null);
    });
  }
}
