import { beforeEach, expect } from 'vitest';

/**
 * A test that makes no assertion fails: a loop over nothing, or a branch that returns early,
 * cannot pass as proof of anything. (`expect.poll`, `resolves`/`rejects` and `toThrow` count.)
 */
beforeEach(() => {
  expect.hasAssertions();
});
