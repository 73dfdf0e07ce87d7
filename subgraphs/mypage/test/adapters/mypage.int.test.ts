import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, eventually, graphql } from '@gaji/testkit';
import { startMyPageService, type MyPageService } from '../../src/mypage.service.js';
import { rebuildReadModel } from '../../src/rebuild.js';
import { openMyPageDatabase } from '../../src/adapters/outbound/sqlite/sqlite-database.js';
import { aDealStory, anEnvelope, newIds } from '../support/event.mother.js';
import { randomMarket } from '../support/random-market.js';
import { createMyPageRig, MY_PAGE, nodesOf, type MyPageRig } from '../support/rig.js';

type Connection<L> = { edges: { node: L extends (infer T)[] ? T : never }[] };
/** My Page as `MY_PAGE` asks for it: each list as a page of its connection. */
type Pages<P extends { products: unknown; purchases: unknown; sales: unknown }> = Omit<
  P,
  'products' | 'purchases' | 'sales'
> & {
  productsConnection: Connection<P['products']>;
  purchasesConnection: Connection<P['purchases']>;
  salesConnection: Connection<P['sales']>;
};

interface MyPageData {
  myPage: {
    memberId: string;
    nickname: string | null;
    lastEventSequence: number;
    products: { id: string; title: string; priceKrw: number; status: string }[];
    purchases: {
      id: string;
      productTitle: string;
      priceKrw: number;
      status: string;
      paidAt: string;
      cancelledAt: string | null;
      refundedAt: string | null;
      history: { status: string; at: string }[];
    }[];
    sales: {
      id: string;
      productTitle: string;
      buyerId: string;
      status: string;
      history: { status: string }[];
    }[];
  };
}

describe('My Page read model (real NATS JetStream, real SQLite)', () => {
  let rig: MyPageRig;
  const services: MyPageService[] = [];
  const start = async (overrides: Partial<MyPageRig['config']> = {}) => {
    const service = await startMyPageService({ ...rig.config, ...overrides });
    services.push(service);
    return service;
  };
  const myPageOf = async (service: MyPageService, memberId: string) => {
    const response = await graphql<{ myPage: Pages<MyPageData['myPage']> }>(
      service.url,
      MY_PAGE,
      {},
      bearer(await rig.issuer.sign(memberId)),
    );
    expect(response.errors).toBeUndefined();
    const { productsConnection, purchasesConnection, salesConnection, ...page } = response.data!.myPage;
    return {
      ...page,
      products: nodesOf(productsConnection),
      purchases: nodesOf(purchasesConnection),
      sales: nodesOf(salesConnection),
    } satisfies MyPageData['myPage'];
  };
  const caughtUp = (service: MyPageService, seq: number) =>
    eventually(async () => expect(await service.lastAppliedSequence()).toBe(seq), 20_000);

  beforeEach(async () => {
    rig = await createMyPageRig();
  });
  afterEach(async () => {
    for (const service of services.splice(0)) await service.stop();
    await rig.dispose();
  });

  it('a fresh read-model file ends up with every projection table (the start-up migration really ran)', async () => {
    const db = await openMyPageDatabase(join(rig.dataDir, 'probe.db'));
    try {
      const tables = await db.reader.$queryRawUnsafe<{ name: string }[]>(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      );
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining([
          'applied_events',
          'checkpoint',
          'members',
          'mypage_migrations',
          'products',
          'purchase_status_history',
          'purchases',
        ]),
      );
      const [mode] = await db.reader.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(mode?.journal_mode).toBe('wal');
    } finally {
      await db.close();
    }
  });

  it('a full deal story shows on the seller’s and the buyer’s My Page, history in order, and nothing of it to a third member', async () => {
    const service = await start();
    const ids = newIds();
    let last = 0;
    for (const envelope of aDealStory(ids)) last = await rig.publish(envelope);
    await caughtUp(service, last);

    const seller = await myPageOf(service, ids.seller);
    expect(seller.nickname).toBe('seller');
    expect(seller.lastEventSequence).toBe(last);
    expect(seller.products).toEqual([
      expect.objectContaining({
        id: ids.product,
        title: 'Eggplant lamp',
        priceKrw: 12_000,
        status: 'ON_SALE',
      }),
    ]);
    expect(seller.purchases).toEqual([]);
    expect(seller.sales).toEqual([
      {
        id: ids.purchase,
        productTitle: 'Eggplant lamp',
        priceKrw: 12_000,
        buyerId: ids.buyer,
        status: 'REFUNDED',
        history: [{ status: 'PAID' }, { status: 'CANCELLED' }, { status: 'REFUNDED' }],
      },
    ]);

    const buyer = await myPageOf(service, ids.buyer);
    expect(buyer.products).toEqual([]);
    expect(buyer.sales).toEqual([]);
    const [purchase] = buyer.purchases;
    expect(purchase).toMatchObject({
      id: ids.purchase,
      productTitle: 'Eggplant lamp',
      priceKrw: 12_000,
      status: 'REFUNDED',
    });
    expect(purchase!.history.map((h) => h.status)).toEqual(['PAID', 'CANCELLED', 'REFUNDED']);
    const times = purchase!.history.map((h) => Date.parse(h.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect([purchase!.paidAt, purchase!.cancelledAt, purchase!.refundedAt]).toEqual(
      purchase!.history.map((h) => h.at),
    );

    const stranger = await myPageOf(service, randomUUID());
    expect(stranger).toMatchObject({ nickname: null, products: [], purchases: [], sales: [] });
  });

  it('an anonymous caller is told UNAUTHENTICATED', async () => {
    const service = await start();

    const response = await graphql(service.url, MY_PAGE);

    expect(response.data?.myPage ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers with only NATS and itself running: ready, and My Page served from its own store', async () => {
    const service = await start();
    const ids = newIds();
    let last = 0;
    for (const envelope of aDealStory(ids).slice(0, 6)) last = await rig.publish(envelope);
    await caughtUp(service, last);

    const ready = await fetch(service.url.replace(/\/graphql$/, '/health/ready'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { sqlite: true, events: true } });
    expect((await myPageOf(service, ids.buyer)).purchases[0]).toMatchObject({
      status: 'PAID',
      productTitle: 'Eggplant lamp',
    });
  });

  it('a restarted service resumes from its checkpoint without applying anything twice', async () => {
    const ids = newIds();
    const story = aDealStory(ids);
    let service = await start();
    let last = 0;
    for (const envelope of story.slice(0, 5)) last = await rig.publish(envelope); // up to PurchasePlaced
    await caughtUp(service, last);
    await service.stop();

    for (const envelope of story.slice(5)) last = await rig.publish(envelope); // published while it was down
    service = await start();
    expect(service.currentFile()).toBe(services[0]!.currentFile());
    await caughtUp(service, last);

    const [purchase] = (await myPageOf(service, ids.buyer)).purchases;
    expect(purchase!.history.map((h) => h.status)).toEqual(['PAID', 'CANCELLED', 'REFUNDED']);
  });

  it('an event republished under another message id (a new stream sequence) is applied once', async () => {
    const service = await start();
    const ids = newIds();
    const story = aDealStory(ids);
    for (const envelope of story) await rig.publish(envelope);
    const placed = story[4]!;
    const sold = story[5]!;
    const cancelled = story[6]!;

    await rig.publish(cancelled, randomUUID());
    await rig.publish(placed, randomUUID());
    // Only the event id tells this one apart: applied again, it would mark the product SOLD.
    const last = await rig.publish(sold, randomUUID());
    expect(last).toBe(story.length + 3);
    await caughtUp(service, last);

    expect((await myPageOf(service, ids.seller)).products[0]).toMatchObject({
      id: ids.product,
      status: 'ON_SALE',
    });
    const [purchase] = (await myPageOf(service, ids.buyer)).purchases;
    expect(purchase).toMatchObject({ status: 'REFUNDED' });
    expect(purchase!.history.map((h) => h.status)).toEqual(['PAID', 'CANCELLED', 'REFUNDED']);
  });

  it('after a random sequence of 600 events the live read model equals a fresh rebuild of it', async () => {
    const service = await start();
    const steps = randomMarket(600, 20_260_125);
    let last = 0;
    for (const step of steps) {
      if (step.kind === 'event') last = await rig.publish(step.envelope);
      else if (step.kind === 'duplicate') last = await rig.publish(step.envelope, randomUUID());
      else
        last = await rig.publishRaw(
          'ProductRegistered',
          JSON.stringify({ id: 'not-a-uuid', type: 'ProductRegistered', payload: {} }),
        );
    }
    expect(last).toBeGreaterThanOrEqual(600);
    await caughtUp(service, last);
    const live = await service.snapshot();
    const liveFile = service.currentFile();
    expect((live as { purchases: unknown[] }).purchases.length).toBeGreaterThan(20);

    const lines: string[] = [];
    const result = await service.rebuild({ print: (line) => lines.push(line) });

    expect(result).toMatchObject({ applied: last, total: last, lastAppliedSeq: last });
    expect(service.currentFile()).toBe(result.file);
    expect(result.file).not.toBe(liveFile);
    expect(await service.lastAppliedSequence()).toBe(last);
    expect(await service.snapshot()).toEqual(live);
    console.log(
      `[mypage] rebuild of ${result.applied} events: ${result.seconds.toFixed(3)} s, ${result.eventsPerSecond} events/s`,
    );
  });

  it('the rebuild script prints its progress, points current.json at a new file, and the running service switches to it', async () => {
    const service = await start();
    const ids = newIds();
    let last = 0;
    for (const envelope of aDealStory(ids)) last = await rig.publish(envelope);
    await caughtUp(service, last);
    const before = await service.snapshot();
    const oldFile = service.currentFile();

    const lines: string[] = [];
    const result = await rebuildReadModel(rig.config, { print: (line) => lines.push(line) });

    expect(lines.some((line) => /^rebuild: 9\/9 events applied \(100%\), \d+ events\/s$/.test(line))).toBe(
      true,
    );
    expect(lines.at(-1)).toMatch(/done — 9 events .* events\/s/);
    await eventually(() => expect(service.currentFile()).toBe(result.file), 10_000);
    await eventually(() => expect(existsSync(join(rig.dataDir, oldFile))).toBe(false), 10_000);
    expect(await service.snapshot()).toEqual(before);

    // The switched service keeps reading the stream into its new file.
    const newcomer = randomUUID();
    last = await rig.publish(
      anEnvelope('MemberJoined', { memberId: newcomer, email: 'new@example.com', nickname: 'newcomer' }),
    );
    await caughtUp(service, last);
    expect((await myPageOf(service, newcomer)).nickname).toBe('newcomer');
    expect((await myPageOf(service, ids.seller)).sales).toHaveLength(1);
  });
});
