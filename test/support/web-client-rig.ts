import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { TestSystem } from './test-system.js';
import { ensureWebClientBuilt } from './web-client-build.js';
import { WebShopper, type Language } from './web-shopper.js';

export interface WebClientRig {
  readonly system: TestSystem;
  /** The gateway's origin, which serves the built client. */
  readonly baseUrl: string;
  /** A new person in a browser context of their own (closed after the file's tests). */
  open(options?: { viewport?: { width: number; height: number }; language?: Language }): Promise<WebShopper>;
}

/**
 * What every browser test file needs: a build of the current client, the whole system on free
 * ports, and Debian's Chromium — started before the file's tests, stopped after them.
 */
export function webClientRig(label: string, env: Record<string, string> = {}): WebClientRig {
  let system: TestSystem | undefined;
  let browser: Browser | undefined;
  const shoppers: WebShopper[] = [];
  const rig: WebClientRig = {
    get system() {
      if (!system) throw new Error('the system is not started yet');
      return system;
    },
    get baseUrl() {
      return rig.system.gatewayUrl.replace(/\/graphql$/, '');
    },
    async open(options = {}) {
      if (!browser) throw new Error('the browser is not started yet');
      const shopper = await WebShopper.open(browser, rig.baseUrl, options);
      shoppers.push(shopper);
      return shopper;
    },
  };
  beforeAll(async () => {
    ensureWebClientBuilt();
    system = await TestSystem.start(label, { env });
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    for (const shopper of shoppers) await shopper.close().catch(() => undefined);
    await browser?.close();
    await system?.stop();
  });
  return rig;
}
