import { readdirSync, readFileSync } from 'node:fs';
import { cpuSecondsOf } from '../../../bench/support/process-cpu.js';
import type { ProcessSystem } from '../../chaos/support/process-system.js';

/** CPU seconds used so far by each process a drill cares about, by pid, with a label. */
export type CpuReading = Map<number, { label: string; seconds: number }>;

/** Processes outside the system that a drill's figures include, by their command name. */
const SERVERS = ['nats-server', 'postgres'];

/**
 * Reads the CPU used so far by the system's services, every nats-server and PostgreSQL process on
 * the machine, and the drill itself (its load and live subscriber), from /proc.
 */
export function readCpu(system: ProcessSystem): CpuReading {
  const reading: CpuReading = new Map();
  const add = (pid: number, label: string) => {
    try {
      reading.set(pid, { label, seconds: cpuSecondsOf(pid) });
    } catch {
      // The process ended between the listing and the read.
    }
  };
  for (const [name, service] of system.services) if (service.pid) add(service.pid, name);
  add(process.pid, 'drill');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (SERVERS.includes(command)) add(Number(entry), command);
    } catch {
      // As above.
    }
  }
  return reading;
}

/**
 * Cores used between two readings `seconds` apart, by label, largest first, with their total.
 * Only processes alive at both readings count: a node killed or a backend ended in between is left
 * out (its time is not in /proc any more), so run it over a window without a kill.
 */
export function coresBetween(before: CpuReading, after: CpuReading, seconds: number): string {
  const cores = new Map<string, number>();
  for (const [pid, { label, seconds: used }] of after) {
    const earlier = before.get(pid);
    if (!earlier) continue;
    cores.set(label, (cores.get(label) ?? 0) + (used - earlier.seconds) / seconds);
  }
  const total = [...cores.values()].reduce((sum, value) => sum + value, 0);
  return [...cores.entries()]
    .sort(([, a], [, b]) => b - a)
    .map(([label, value]) => `${label} ${value.toFixed(2)}`)
    .concat(`total ${total.toFixed(2)}`)
    .join(', ');
}
