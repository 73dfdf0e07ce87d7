import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('the suite runs on the Node.js release the project pins in .node-version', () => {
    const pinned = readFileSync(new URL('../../.node-version', import.meta.url), 'utf8').trim();
    expect(process.versions.node).toBe(pinned);
  });
});
