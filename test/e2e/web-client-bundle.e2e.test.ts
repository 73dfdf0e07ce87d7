import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstVisits } from '../../web/build/first-visit.js';
import { ensureWebClientBuilt } from '../support/web-client-build.js';

/** Issue 12's budget: the first route's scripts (the market, where a visitor lands) under 100 KB gzipped. */
const BUDGET_GZIP_BYTES = 100 * 1024;

describe('the web client’s first-visit scripts', () => {
  it('stay under 100 KB gzip -9 for the market, the route a visitor lands on', () => {
    ensureWebClientBuilt();
    const { routes } = firstVisits(resolve(import.meta.dirname, '../../web/dist'));
    expect(routes.map(({ name }) => name)).toEqual(['market', 'product', 'my-page', 'sell']);
    const market = routes.find(({ name }) => name === 'market')!;
    expect(market.size.gzip, `market: ${(market.size.gzip / 1024).toFixed(1)} KB gzip`).toBeLessThan(
      BUDGET_GZIP_BYTES,
    );
    // Not held yet: a product link opened cold (100.4 KB) and My Page (102.4 KB) are over the same
    // budget — their live subscription and mutation code load with them (web/README.md, "Bundle").
  });
});
