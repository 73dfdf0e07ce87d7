import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks; 100 per second on every kernel we run on. */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name, which may hold spaces. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system) a process has used so far, read from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by every process named `command` (`postgres`, `nats-server`) on this
 * machine, together with the children they have reaped: a PostgreSQL backend that ended during a
 * run is counted in its postmaster's cutime/cstime. Null when no such process is visible.
 */
export function cpuSecondsOfAll(command: string): number | null {
  let ticks = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== command) continue;
      const fields = statFields(Number(entry));
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      found = true;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found ? ticks / TICKS_PER_SECOND : null;
}

/** Resident memory of a process in bytes, from /proc/<pid>/status. */
export function residentBytesOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}
