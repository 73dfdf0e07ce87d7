import { randomUUID } from 'node:crypto';
import { eventually, readStream } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aMemberWithdrawn,
  anEnvelope,
  aPaymentEvent,
  aPurchaseFailed,
  REGISTER,
  registerVia,
  startProductRig,
  type ProductRig,
} from '../support/product-service.fixture.js';

interface StreamEvent {
  id: string;
  type: string;
  aggregateId: string;
  correlationId: string;
  causationId: string | null;
  payload: Record<string, unknown>;
}

describe('product policies reacting to the event stream (real PostgreSQL, real JetStream)', () => {
  let rig: ProductRig;
  beforeAll(async () => {
    rig = await startProductRig('product_policies');
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  async function row(productId: string) {
    const [found] = await rig.sql<{
      status: string;
      sold_to_purchase_id: string | null;
      deleted_at: Date | null;
      deletion_reason: string | null;
    }>('SELECT status, sold_to_purchase_id, deleted_at, deletion_reason FROM products WHERE id = $1', [
      productId,
    ]);
    return found;
  }

  /** What product remembers of each purchase's payment facts about this product. */
  function deals(productId: string) {
    return rig.sql<{ purchase_id: string; completed_seq: string | null; cancelled_seq: string | null }>(
      'SELECT purchase_id, completed_seq::text, cancelled_seq::text FROM product_deals WHERE product_id = $1 ORDER BY purchase_id',
      [productId],
    );
  }

  async function productEvents(productId: string): Promise<StreamEvent[]> {
    const messages = await readStream(rig.stream.natsUrl, rig.stream.stream);
    return messages
      .map((message) => message.data as StreamEvent)
      .filter((event) => event.aggregateId === productId && event.type.startsWith('Product'));
  }

  /** Whether this context's consumer recorded the event as applied (in the same transaction as its effect). */
  async function processed(eventId: string): Promise<boolean> {
    return (
      (
        await rig.sql('SELECT 1 FROM gaji_processed_events WHERE consumer = $1 AND event_id = $2', [
          'product',
          eventId,
        ])
      ).length === 1
    );
  }

  it('PaymentCompleted marks the product SOLD and publishes ProductSold, correlated by the purchase and caused by the payment event', async () => {
    const product = await registerVia(rig, randomUUID());
    const completed = aPaymentEvent('PaymentCompleted', product);
    await rig.publish(completed);

    await eventually(async () =>
      expect(await row(product.id)).toMatchObject({
        status: 'SOLD',
        sold_to_purchase_id: completed.payload.purchaseId,
      }),
    );
    const sold = await eventually(async () => {
      const found = (await productEvents(product.id)).find((event) => event.type === 'ProductSold');
      if (!found) throw new Error('ProductSold not published yet');
      return found;
    });
    expect(sold).toMatchObject({
      correlationId: completed.payload.purchaseId,
      causationId: completed.id,
      payload: {
        productId: product.id,
        sellerId: product.sellerId,
        purchaseId: completed.payload.purchaseId,
      },
    });
  });

  it('PaymentCancelled puts the sold product back ON_SALE and publishes ProductPutBackOnSale', async () => {
    const product = await registerVia(rig, randomUUID());
    const completed = aPaymentEvent('PaymentCompleted', product);
    const cancelled = aPaymentEvent('PaymentCancelled', product, completed.payload.purchaseId);
    await rig.publish(completed);
    await rig.publish(cancelled);

    await eventually(async () =>
      expect((await productEvents(product.id)).map((event) => event.type)).toEqual([
        'ProductRegistered',
        'ProductSold',
        'ProductPutBackOnSale',
      ]),
    );
    expect(await row(product.id)).toMatchObject({ status: 'ON_SALE', sold_to_purchase_id: null });
    const putBack = (await productEvents(product.id)).at(-1);
    expect(putBack).toMatchObject({
      correlationId: completed.payload.purchaseId,
      causationId: cancelled.id,
      payload: { purchaseId: completed.payload.purchaseId },
    });
  });

  it('a redelivered PaymentCompleted (same event id) is applied once', async () => {
    const product = await registerVia(rig, randomUUID());
    const completed = aPaymentEvent('PaymentCompleted', product);
    // Published twice under different msgIDs so JetStream keeps both copies: the second is an
    // event already applied, skipped by its id.
    await rig.bus.js.publish(
      `${rig.stream.subjectPrefix}.payment.PaymentCompleted.v1`,
      JSON.stringify(completed),
      { msgID: randomUUID() },
    );
    await rig.bus.js.publish(
      `${rig.stream.subjectPrefix}.payment.PaymentCompleted.v1`,
      JSON.stringify(completed),
      { msgID: randomUUID() },
    );
    const marker = aPaymentEvent('PaymentCompleted', { id: randomUUID(), sellerId: product.sellerId });
    await rig.publish(marker); // after both copies in the stream; once it is processed, so are they

    await eventually(async () => expect(await processed(marker.id)).toBe(true));
    await eventually(async () =>
      expect((await productEvents(product.id)).map((event) => event.type)).toEqual([
        'ProductRegistered',
        'ProductSold',
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second ProductSold would be relayed by now
    expect((await productEvents(product.id)).filter((event) => event.type === 'ProductSold')).toHaveLength(1);
  });

  it('a stale PaymentCompleted (older stream sequence) arriving after the cancellation does not leave the product SOLD', async () => {
    const product = await registerVia(rig, randomUUID());
    const completed = aPaymentEvent('PaymentCompleted', product);
    const cancelled = aPaymentEvent('PaymentCancelled', product, completed.payload.purchaseId);
    await rig.settled(); // so the next message the durable consumer hands out is the completion
    await rig.stopService();
    const completedSeq = await rig.publish(completed);
    const cancelledSeq = await rig.publish(cancelled);
    expect(completedSeq).toBeLessThan(cancelledSeq);

    // A slow replica takes the completion from the shared durable consumer and sits on it…
    const durable = await rig.bus.js.consumers.get(rig.stream.stream, 'product');
    const held = await durable.next({ expires: 5_000 });
    expect(held?.seq).toBe(completedSeq);
    // …while a healthy one applies the cancellation, which comes later in the stream.
    await rig.startService();
    await eventually(async () => expect(await processed(cancelled.id)).toBe(true));
    // The slow replica gives up; the completion is redelivered and now arrives last.
    held!.nak();
    await eventually(async () => expect(await processed(completed.id)).toBe(true));
    await rig.settled();

    expect(await row(product.id)).toMatchObject({ status: 'ON_SALE', sold_to_purchase_id: null });
    expect(await deals(product.id)).toEqual([
      {
        purchase_id: completed.payload.purchaseId,
        completed_seq: String(completedSeq),
        cancelled_seq: String(cancelledSeq),
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a ProductSold would be relayed by now
    expect((await productEvents(product.id)).map((event) => event.type)).toEqual(['ProductRegistered']);
  });

  it('a failed purchase charged late and then refunded leaves the product SOLD to the paid purchase, announcing nothing more', async () => {
    // P1 paid; P0, failed (its authorization timed out), was charged late: recorded COMPLETED on
    // the stream after P1's completion, then refunded once payment heard of its failure.
    const product = await registerVia(rig, randomUUID());
    const paidP1 = aPaymentEvent('PaymentCompleted', product);
    const lateP0 = aPaymentEvent('PaymentCompleted', product);
    const refundedP0 = aPaymentEvent('PaymentCancelled', product, lateP0.payload.purchaseId);
    for (const fact of [paidP1, lateP0, refundedP0]) await rig.publish(fact);
    await eventually(async () => expect(await processed(refundedP0.id)).toBe(true));
    await rig.settled();

    expect(await row(product.id)).toMatchObject({
      status: 'SOLD',
      sold_to_purchase_id: paidP1.payload.purchaseId,
      deleted_at: null,
    });
    expect(await deals(product.id)).toHaveLength(2); // both purchases' facts, kept for any later arrival
    await new Promise((resolve) => setTimeout(resolve, 300)); // anything more would be relayed by now
    const events = await productEvents(product.id);
    expect(events.map((event) => [event.type, event.payload.purchaseId])).toEqual([
      ['ProductRegistered', undefined],
      ['ProductSold', paidP1.payload.purchaseId],
    ]);
  });

  // The outside check's late charge: payment frozen, the buy answered PAYMENT_UNAVAILABLE and its
  // purchase FAILED; payment then completed the charge and refunded it on PurchaseFailed. Stream:
  // PurchaseFailed, PaymentCompleted, PaymentCancelled. Nobody bought the item, so nobody may see it sold.
  it('a purchase that failed before its late charge completed never sells the product, and its refund announces nothing', async () => {
    const product = await registerVia(rig, randomUUID());
    const late = aPaymentEvent('PaymentCompleted', product);
    const failed = aPurchaseFailed(product, late.payload.purchaseId);
    const refunded = aPaymentEvent('PaymentCancelled', product, late.payload.purchaseId);
    // The failure twice under different msgIDs, so JetStream keeps both copies: a redelivery.
    for (let copy = 0; copy < 2; copy += 1)
      await rig.bus.js.publish(
        `${rig.stream.subjectPrefix}.purchase.PurchaseFailed.v1`,
        JSON.stringify(failed),
        {
          msgID: randomUUID(),
        },
      );
    for (const fact of [late, refunded]) await rig.publish(fact);
    await eventually(async () => expect(await processed(refunded.id)).toBe(true));
    await rig.settled();

    expect(await row(product.id)).toMatchObject({ status: 'ON_SALE', sold_to_purchase_id: null });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a ProductSold would be relayed by now
    expect((await productEvents(product.id)).map((event) => event.type)).toEqual(['ProductRegistered']);
  });

  it('a purchase whose late charge reached product before its failure stops selling the product at the failure, and its refund adds nothing', async () => {
    const product = await registerVia(rig, randomUUID());
    const late = aPaymentEvent('PaymentCompleted', product);
    const failed = aPurchaseFailed(product, late.payload.purchaseId);
    const refunded = aPaymentEvent('PaymentCancelled', product, late.payload.purchaseId);
    await rig.publish(late);
    await eventually(async () => expect((await row(product.id))?.status).toBe('SOLD'));
    await rig.publish(failed);
    await eventually(async () => expect((await row(product.id))?.status).toBe('ON_SALE'));
    await rig.publish(refunded);
    await eventually(async () => expect(await processed(refunded.id)).toBe(true));
    await rig.settled();

    await new Promise((resolve) => setTimeout(resolve, 300)); // anything more would be relayed by now
    const events = await productEvents(product.id);
    expect(events.map((event) => event.type)).toEqual([
      'ProductRegistered',
      'ProductSold',
      'ProductPutBackOnSale',
    ]);
    expect(events[2]).toMatchObject({
      causationId: failed.id,
      payload: { purchaseId: late.payload.purchaseId },
    });
  });

  it('a failed purchase’s late charge completed ahead of the next buyer’s payment never takes the sale: one ProductSold, naming the buyer who paid', async () => {
    const product = await registerVia(rig, randomUUID());
    const late = aPaymentEvent('PaymentCompleted', product);
    const failed = aPurchaseFailed(product, late.payload.purchaseId);
    const paid = aPaymentEvent('PaymentCompleted', product);
    const refunded = aPaymentEvent('PaymentCancelled', product, late.payload.purchaseId);
    await rig.publish(failed);
    await rig.publish(late);
    await rig.publish(paid);
    await rig.publish(refunded);
    await eventually(async () => expect(await processed(refunded.id)).toBe(true));
    await rig.settled();

    expect(await row(product.id)).toMatchObject({
      status: 'SOLD',
      sold_to_purchase_id: paid.payload.purchaseId,
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // anything more would be relayed by now
    expect((await productEvents(product.id)).map((event) => [event.type, event.payload.purchaseId])).toEqual([
      ['ProductRegistered', undefined],
      ['ProductSold', paid.payload.purchaseId],
    ]);
  });

  it('a backlog of payment facts about one product shares a transaction, each fact seeing the one before', async () => {
    const product = await registerVia(rig, randomUUID());
    const first = aPaymentEvent('PaymentCompleted', product);
    const refunded = aPaymentEvent('PaymentCancelled', product, first.payload.purchaseId);
    const second = aPaymentEvent('PaymentCompleted', product);
    await rig.settled();
    await rig.stopService();
    const sequences: number[] = [];
    for (const fact of [first, refunded, second]) sequences.push(await rig.publish(fact));
    await rig.startService(); // the three wait for it: it takes them together
    await rig.settled();

    expect(await row(product.id)).toMatchObject({
      status: 'SOLD',
      sold_to_purchase_id: second.payload.purchaseId,
    });
    const events = await eventually(async () => {
      const found = await productEvents(product.id);
      expect(found.map((event) => event.type)).toEqual([
        'ProductRegistered',
        'ProductSold',
        'ProductPutBackOnSale',
        'ProductSold',
      ]);
      return found;
    });
    expect(events.slice(1).map((event) => event.causationId)).toEqual([first.id, refunded.id, second.id]);
    // Rows one transaction wrote share its xmin: fewer transactions than facts.
    const recorded = await rig.sql<{ xmin: string }>(
      'SELECT xmin::text AS xmin FROM gaji_processed_events WHERE consumer = $1 AND event_id = ANY($2::uuid[])',
      ['product', [first.id, refunded.id, second.id]],
    );
    expect(recorded).toHaveLength(3);
    expect(new Set(recorded.map((one) => one.xmin)).size).toBeLessThan(3);
  });

  it('events about unknown products are acknowledged and ignored, not retried', async () => {
    const ghost = aPaymentEvent('PaymentCompleted', { id: randomUUID(), sellerId: randomUUID() });
    const malformedId = aPaymentEvent('PaymentCancelled', { id: 'not-a-uuid', sellerId: randomUUID() });
    await rig.publish(ghost);
    await rig.publish(malformedId);
    await eventually(async () =>
      expect((await processed(ghost.id)) && (await processed(malformedId.id))).toBe(true),
    );
    const info = await rig.bus.jsm.consumers.info(rig.stream.stream, 'product');
    expect(info.num_redelivered).toBe(0);
  });

  it('MemberWithdrawn deletes every product the member has on sale (one ProductDeleted each) and keeps the sold one', async () => {
    const seller = randomUUID();
    const onSale = [
      await registerVia(rig, seller, { title: 'a' }),
      await registerVia(rig, seller, { title: 'b' }),
    ];
    const sold = await registerVia(rig, seller, { title: 'sold' });
    const someoneElses = await registerVia(rig, randomUUID(), { title: 'other' });
    const completed = aPaymentEvent('PaymentCompleted', sold);
    await rig.publish(completed);
    await eventually(async () => expect((await row(sold.id))?.status).toBe('SOLD'));

    const withdrawn = aMemberWithdrawn(seller);
    await rig.publish(withdrawn);

    for (const product of onSale) {
      await eventually(async () =>
        expect(await row(product.id)).toMatchObject({
          deleted_at: expect.any(Date),
          deletion_reason: 'SELLER_WITHDRAWN',
        }),
      );
      const deleted = await eventually(async () => {
        const found = (await productEvents(product.id)).find((event) => event.type === 'ProductDeleted');
        if (!found) throw new Error('ProductDeleted not published yet');
        return found;
      });
      expect(deleted).toMatchObject({
        correlationId: seller,
        causationId: withdrawn.id,
        payload: { productId: product.id, sellerId: seller, reason: 'SELLER_WITHDRAWN' },
      });
    }
    expect(await row(sold.id)).toMatchObject({ status: 'SOLD', deleted_at: null });
    expect(await row(someoneElses.id)).toMatchObject({ status: 'ON_SALE', deleted_at: null });
    expect((await productEvents(sold.id)).map((event) => event.type)).toEqual([
      'ProductRegistered',
      'ProductSold',
    ]);
  });

  it('a sold product whose payment is cancelled after its seller withdrew is deleted (ProductDeleted), never back on sale, once even when redelivered', async () => {
    const seller = randomUUID();
    const sold = await registerVia(rig, seller, { title: 'sold, then seller left' });
    const completed = aPaymentEvent('PaymentCompleted', sold);
    await rig.publish(completed);
    await eventually(async () => expect((await row(sold.id))?.status).toBe('SOLD'));
    const withdrawn = aMemberWithdrawn(seller);
    await rig.publish(withdrawn);
    await eventually(async () => expect(await processed(withdrawn.id)).toBe(true));
    expect(await row(sold.id)).toMatchObject({ status: 'SOLD', deleted_at: null });

    const cancelled = aPaymentEvent('PaymentCancelled', sold, completed.payload.purchaseId);
    // Published twice under different msgIDs so JetStream keeps both copies: the second is an
    // event already applied, skipped by its id.
    for (let copy = 0; copy < 2; copy += 1)
      await rig.bus.js.publish(
        `${rig.stream.subjectPrefix}.payment.PaymentCancelled.v1`,
        JSON.stringify(cancelled),
        { msgID: randomUUID() },
      );

    await eventually(async () =>
      expect(await row(sold.id)).toMatchObject({
        status: 'ON_SALE',
        sold_to_purchase_id: null,
        deleted_at: expect.any(Date),
        deletion_reason: 'SELLER_WITHDRAWN',
      }),
    );
    await rig.settled();
    const events = await eventually(async () => {
      const found = await productEvents(sold.id);
      expect(found.map((event) => event.type)).toEqual([
        'ProductRegistered',
        'ProductSold',
        'ProductDeleted',
      ]);
      return found;
    });
    expect(events[2]).toMatchObject({
      correlationId: completed.payload.purchaseId,
      causationId: cancelled.id,
      payload: { productId: sold.id, sellerId: seller, reason: 'SELLER_WITHDRAWN' },
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second event would be relayed by now
    expect(await productEvents(sold.id)).toHaveLength(3);
  });

  it('another buyer’s payment for a withdrawn seller’s sold product is refused (ProductSaleRejected), even before the standing deal’s cancellation', async () => {
    const seller = randomUUID();
    const sold = await registerVia(rig, seller, { title: 'sold, seller left, bought again' });
    const completed = aPaymentEvent('PaymentCompleted', sold);
    await rig.publish(completed);
    await eventually(async () => expect((await row(sold.id))?.status).toBe('SOLD'));
    const withdrawn = aMemberWithdrawn(seller);
    await rig.publish(withdrawn);
    await eventually(async () => expect(await processed(withdrawn.id)).toBe(true));

    // A second buyer's completion, on the stream before the first deal's cancellation.
    const secondBuyer = aPaymentEvent('PaymentCompleted', sold);
    await rig.publish(secondBuyer);
    await eventually(async () => expect(await processed(secondBuyer.id)).toBe(true));
    expect(await row(sold.id)).toMatchObject({
      status: 'SOLD',
      sold_to_purchase_id: completed.payload.purchaseId,
      deleted_at: null,
    });
    await rig.publish(aPaymentEvent('PaymentCancelled', sold, completed.payload.purchaseId));

    const events = await eventually(async () => {
      const found = await productEvents(sold.id);
      expect(found.map((event) => event.type)).toEqual([
        'ProductRegistered',
        'ProductSold',
        'ProductSaleRejected',
        'ProductDeleted',
      ]);
      return found;
    });
    expect(events[2]).toMatchObject({
      causationId: secondBuyer.id,
      payload: { purchaseId: secondBuyer.payload.purchaseId, reason: 'PRODUCT_DELETED' },
    });
  });

  it('a sold product whose payment is cancelled before its seller’s withdrawal arrives is deleted by the withdrawal', async () => {
    const seller = randomUUID();
    const sold = await registerVia(rig, seller, { title: 'cancelled, then seller left' });
    const completed = aPaymentEvent('PaymentCompleted', sold);
    const cancelled = aPaymentEvent('PaymentCancelled', sold, completed.payload.purchaseId);
    await rig.publish(completed);
    await rig.publish(cancelled);
    await eventually(async () => expect(await processed(cancelled.id)).toBe(true));
    expect(await row(sold.id)).toMatchObject({ status: 'ON_SALE', deleted_at: null });

    await rig.publish(aMemberWithdrawn(seller));

    await eventually(async () =>
      expect(await row(sold.id)).toMatchObject({
        deleted_at: expect.any(Date),
        deletion_reason: 'SELLER_WITHDRAWN',
      }),
    );
    await eventually(async () =>
      expect((await productEvents(sold.id)).map((event) => event.type)).toEqual([
        'ProductRegistered',
        'ProductSold',
        'ProductPutBackOnSale',
        'ProductDeleted',
      ]),
    );
  });

  // The race of the outside check (purchase 3e92f857…): the seller's withdrawal committed at
  // .878, the buyer's payment completed at .882, yet the stream carried PaymentCompleted and
  // ProductSold before MemberWithdrawn. The sale is judged by the events' own times, not by their
  // order: in both orders the deal is refused (ProductSaleRejected), so purchase withdraws it and
  // payment refunds, and the item ends deleted once that refund (PaymentCancelled) arrives.
  for (const order of ['PaymentCompleted first', 'MemberWithdrawn first'] as const)
    it(`a payment completed after its seller withdrew is refused and the item ends deleted (${order})`, async () => {
      const seller = randomUUID();
      const item = await registerVia(rig, seller, { title: `withdrawal race, ${order}` });
      const withdrawnAt = new Date(Date.now() - 60_000);
      const withdrawn = { ...aMemberWithdrawn(seller), occurredAt: withdrawnAt.toISOString() };
      const completed = {
        ...aPaymentEvent('PaymentCompleted', item),
        occurredAt: new Date(withdrawnAt.getTime() + 4).toISOString(),
      };
      const [first, second] =
        order === 'PaymentCompleted first' ? [completed, withdrawn] : [withdrawn, completed];
      await rig.publish(first);
      await eventually(async () => expect(await processed(first.id)).toBe(true));
      await rig.publish(second);
      await eventually(async () => expect(await processed(second.id)).toBe(true));

      const rejection = await eventually(async () => {
        const found = (await productEvents(item.id)).find((event) => event.type === 'ProductSaleRejected');
        if (!found) throw new Error('ProductSaleRejected not published yet');
        return found;
      });
      // Caused by whichever event came second: it is the one that found the two facts together.
      expect(rejection).toMatchObject({
        causationId: second.id,
        payload: { productId: item.id, sellerId: seller, purchaseId: completed.payload.purchaseId },
      });

      // Purchase withdraws the deal and payment refunds: its PaymentCancelled ends the item.
      await rig.publish(aPaymentEvent('PaymentCancelled', item, completed.payload.purchaseId));
      await eventually(async () =>
        expect(await row(item.id)).toMatchObject({
          status: 'ON_SALE',
          sold_to_purchase_id: null,
          deleted_at: expect.any(Date),
          deletion_reason: 'SELLER_WITHDRAWN',
        }),
      );
      await rig.settled();
      const rejections = (await productEvents(item.id)).filter(
        (event) => event.type === 'ProductSaleRejected',
      );
      expect(rejections).toHaveLength(1);
    });

  it('a payment completed before its seller withdrew keeps the item SOLD, whichever event came first to product', async () => {
    const seller = randomUUID();
    const item = await registerVia(rig, seller, { title: 'sold just before the seller left' });
    const withdrawnAt = new Date(Date.now() - 60_000);
    const completed = {
      ...aPaymentEvent('PaymentCompleted', item),
      occurredAt: new Date(withdrawnAt.getTime() - 4).toISOString(),
    };
    await rig.publish(completed);
    await eventually(async () => expect((await row(item.id))?.status).toBe('SOLD'));
    const withdrawn = { ...aMemberWithdrawn(seller), occurredAt: withdrawnAt.toISOString() };
    await rig.publish(withdrawn);
    await eventually(async () => expect(await processed(withdrawn.id)).toBe(true));
    await rig.settled();
    expect(await row(item.id)).toMatchObject({ status: 'SOLD', deleted_at: null });
    expect((await productEvents(item.id)).map((event) => event.type)).toEqual([
      'ProductRegistered',
      'ProductSold',
    ]);
  });

  it('a withdrawn member’s token is refused, and a listing of theirs is refused even with a token nobody revoked', async () => {
    const seller = randomUUID();
    const input = { title: 'Lamp', description: 'Warm.', priceKrw: 5_000 };
    await rig.publish(aMemberWithdrawn(seller));
    await eventually(async () =>
      expect((await rig.call(REGISTER, { input }, seller)).errors?.[0]?.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'revoked',
      }),
    );

    // Withdrawn an hour ago: past every token's lifetime, so no longer on the revocation list.
    const longGone = randomUUID();
    await rig.publish({
      ...aMemberWithdrawn(longGone),
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    await eventually(async () =>
      expect((await rig.call(REGISTER, { input }, longGone)).errors?.[0]?.extensions?.code).toBe(
        'SELLER_WITHDRAWN',
      ),
    );
  });

  it('a listing that slipped in after the withdrawal clean-up is removed when its ProductRegistered arrives', async () => {
    const seller = randomUUID();
    await rig.publish(aMemberWithdrawn(seller));
    await rig.settled();
    // What the race leaves behind: a registration whose checks ran just before the withdrawal
    // was recorded, committed (with its event) just after the clean-up.
    const productId = randomUUID();
    await rig.sql(
      `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at)
       VALUES ($1, $2, 'Slipped through', '', 1000, now())`,
      [productId, seller],
    );
    await rig.publish(
      anEnvelope('ProductRegistered', 'Product', productId, {
        productId,
        sellerId: seller,
        title: 'Slipped through',
        description: '',
        priceKrw: 1_000,
        imageUrl: null,
      }),
    );
    await eventually(async () =>
      expect(await row(productId)).toMatchObject({
        deleted_at: expect.any(Date),
        deletion_reason: 'SELLER_WITHDRAWN',
      }),
    );
    const deleted = (await productEvents(productId)).filter((event) => event.type === 'ProductDeleted');
    expect(deleted).toHaveLength(1);
  });
});
