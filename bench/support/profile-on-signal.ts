import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * A benchmark's service process profiles itself on request: SIGUSR2 starts a CPU profile, SIGUSR1
 * writes it to `file` (then `PROFILED` on stdout). The driver so profiles only the measured part
 * of a run, not the start-up and warm-up. Read it with `npx tsx bench/support/profile-summary.ts`.
 */
export function profileOnSignal(file: string): void {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  process.on('SIGUSR2', () => void post('Profiler.enable').then(() => post('Profiler.start')));
  process.on(
    'SIGUSR1',
    () =>
      void post('Profiler.stop').then((result) => {
        writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
        process.stdout.write('PROFILED\n');
      }),
  );
}
