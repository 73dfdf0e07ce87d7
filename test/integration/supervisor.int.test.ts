import { spawn } from 'node:child_process';
import { eventually } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor } from '../../scripts/system/supervisor.js';

/** A real child process that runs until it is killed. */
const sleeper = () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const alive = (pid: number | undefined) => {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
};

describe('supervisor (real child processes)', () => {
  let supervisor: Supervisor | undefined;
  afterEach(async () => {
    await supervisor?.stop(1_000);
    supervisor = undefined;
  });

  it('a child killed with SIGKILL comes back after its pause, and the others keep running', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({ initialDelayMs: 200, maxDelayMs: 1_000, healthyAfterMs: 60_000 }, (line) =>
      lines.push(line),
    );
    const product = supervisor.add('product', sleeper);
    const gateway = supervisor.add('gateway', sleeper);

    const killedAt = Date.now();
    process.kill(product.pid!, 'SIGKILL');
    await eventually(() => expect(alive(supervisor!.current('product')?.pid)).toBe(true));
    await eventually(() => expect(supervisor!.current('product')!.pid).not.toBe(product.pid));
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(200);
    expect(alive(gateway.pid)).toBe(true);
    expect(supervisor.current('gateway')).toBe(gateway);
    expect(lines).toEqual([expect.stringMatching(/^\[product\] exited \(SIGKILL\).*restarting in 200 ms/)]);

    // A second crash in a row waits twice as long.
    process.kill(supervisor.current('product')!.pid!, 'SIGKILL');
    await eventually(() => expect(supervisor!.restarts('product')).toBe(2));
    expect(lines[1]).toMatch(/restarting in 400 ms \(crash 2 in a row\)/);
  });

  it('a child that ran for its healthy period before crashing starts the back-off over', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({ initialDelayMs: 100, maxDelayMs: 1_000, healthyAfterMs: 400 }, (line) =>
      lines.push(line),
    );
    supervisor.add('member', sleeper);

    process.kill(supervisor.current('member')!.pid!, 'SIGKILL');
    await eventually(() => expect(supervisor!.restarts('member')).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 500)); // healthy for longer than 400 ms
    process.kill(supervisor.current('member')!.pid!, 'SIGKILL');
    await eventually(() => expect(supervisor!.restarts('member')).toBe(2));

    expect(lines.map((line) => /restarting in (\d+) ms \(crash (\d+)/.exec(line)?.slice(1))).toEqual([
      ['100', '1'],
      ['100', '1'],
    ]);
  });

  it('stopping ends every child and restarts none', async () => {
    supervisor = new Supervisor(
      { initialDelayMs: 50, maxDelayMs: 50, healthyAfterMs: 60_000 },
      () => undefined,
    );
    const children = [supervisor.add('a', sleeper), supervisor.add('b', sleeper)];

    await supervisor.stop(1_000);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(children.map((child) => alive(child.pid))).toEqual([false, false]);
    expect([supervisor.current('a'), supervisor.current('b')]).toEqual(children);
    expect(supervisor.restarts('a') + supervisor.restarts('b')).toBe(0);
  });
});
