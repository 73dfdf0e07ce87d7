import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { within } from '../src/lifecycle/within.js';

const never = new Promise<never>(() => undefined);

afterEach(() => void vi.useRealTimers());

describe('waiting for a promise within a deadline', () => {
  it('answers the promise’s value when it settles in time', async () => {
    expect(await within(Promise.resolve('closed'), 1_000, 'late')).toBe('closed');
  });

  it('answers the late value once the deadline passes without the promise settling', async () => {
    const began = performance.now();
    expect(await within(never, 50, 'late')).toBe('late');
    expect(performance.now() - began).toBeGreaterThanOrEqual(45);
  });

  it('passes on a rejection that comes in time', async () => {
    await expect(within(Promise.reject(new Error('refused')), 1_000, 'late')).rejects.toThrow('refused');
  });

  it('leaves no timer behind once the promise has settled, or once it has been rejected', async () => {
    vi.useFakeTimers();
    await within(Promise.resolve('closed'), 60_000, 'late');
    await within(Promise.reject(new Error('refused')), 60_000, 'late').catch(() => undefined);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not keep the process alive while it waits', { timeout: 15_000 }, async () => {
    // A promise that never settles holds nothing, so the process exits at once unless the timer
    // holds it; a held process would run into execFile's timeout, be killed, and fail the test.
    const helper = fileURLToPath(new URL('../src/lifecycle/within.ts', import.meta.url));
    const script = `import { within } from ${JSON.stringify(helper)}; void within(new Promise(() => {}), 60_000, 'late');`;
    await expect(
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 5_000 }),
    ).resolves.toEqual({ stdout: '', stderr: '' });
  });
});
