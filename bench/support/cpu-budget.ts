import { availableParallelism } from 'node:os';
import { cpuSecondsOf, cpuSecondsOfAll } from './process-cpu.js';

/** CPU milliseconds per unit of work (a buy), by where they were spent. */
export interface CpuBudget {
  system: number;
  gateway: number;
  /** Every `postgres` process on the machine; null where none is visible. */
  postgres: number | null;
  /** Every `nats-server` process on the machine; null where none is visible. */
  nats: number | null;
  /** This process: the load generator and its clients. */
  driver: number;
  total: number;
  /** Units per second the machine's cores could carry at that cost if nothing else ran and nothing waited. */
  ceiling: number;
}

/**
 * Starts counting the CPU of everything a unit of work costs on this machine: the system's
 * process(es) and the gateway's, PostgreSQL, NATS (all their processes, so run on a quiet machine) and this
 * process. `perUnit(n)` divides what was used since by `n`.
 */
export function startCpuBudget(pids: { system: number[]; gateway: number }): {
  perUnit(units: number): CpuBudget;
} {
  // The subgraphs: one process for all of them, or one each as deployed.
  const systemSeconds = () => pids.system.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  const own = { system: systemSeconds(), gateway: cpuSecondsOf(pids.gateway) };
  const servers = { postgres: cpuSecondsOfAll('postgres'), nats: cpuSecondsOfAll('nats-server') };
  const driver = process.cpuUsage();
  return {
    perUnit(units) {
      // No unit done (every buy refused): the whole CPU against one, not a division by zero.
      const ms = (seconds: number) => (seconds * 1000) / Math.max(1, units);
      const server = (before: number | null, after: number | null) =>
        before === null || after === null ? null : ms(after - before);
      const driven = process.cpuUsage(driver);
      const budget = {
        system: ms(systemSeconds() - own.system),
        gateway: ms(cpuSecondsOf(pids.gateway) - own.gateway),
        postgres: server(servers.postgres, cpuSecondsOfAll('postgres')),
        nats: server(servers.nats, cpuSecondsOfAll('nats-server')),
        driver: ms((driven.user + driven.system) / 1e6),
      };
      const total =
        budget.system + budget.gateway + (budget.postgres ?? 0) + (budget.nats ?? 0) + budget.driver;
      return { ...budget, total, ceiling: (availableParallelism() * 1000) / total };
    },
  };
}

/** A budget as one line: "system 17.2 + gateway 3.3 + PostgreSQL 4.4 + NATS 2.4 + driver 1.2 = 28.5 ms". */
export function describeBudget(budget: CpuBudget): string {
  const ms = (value: number | null) => formatMs(value, 1);
  return `system ${ms(budget.system)} + gateway ${ms(budget.gateway)} + PostgreSQL ${ms(budget.postgres)} + NATS ${ms(budget.nats)} + load driver ${ms(budget.driver)} = ${ms(budget.total)} ms`;
}

/** Milliseconds as a table shows them; `n/a` where the figure could not be read. */
export function formatMs(value: number | null, digits: number): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}
