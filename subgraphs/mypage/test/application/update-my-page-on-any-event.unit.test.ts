import { randomUUID } from 'node:crypto';
import { parseDomainEvent, type EventEnvelope } from '@gaji/contracts';
import { describe, expect, it } from 'vitest';
import {
  UpdateMyPageOnAnyEvent,
  type StreamEntry,
} from '../../src/application/update-my-page-on-any-event/update-my-page-on-any-event.policy.js';
import { aDealStory, anEnvelope, newIds, storyClock } from '../support/event.mother.js';
import { InMemoryProjectionStore } from '../support/in-memory-projection.store.js';

const entries = (envelopes: EventEnvelope[], firstSeq = 1): StreamEntry[] =>
  envelopes.map((e, i) => ({ seq: firstSeq + i, event: parseDomainEvent(e) }));

async function given(envelopes: EventEnvelope[]) {
  const store = new InMemoryProjectionStore();
  const apply = new UpdateMyPageOnAnyEvent(store);
  await apply.execute(entries(envelopes));
  return { store, apply };
}

describe('applying events to My Page', () => {
  it('a full deal story leaves the product on sale and the deal refunded with its history in order', async () => {
    const ids = newIds();
    const { store } = await given(aDealStory(ids));

    expect(store.state.products.get(ids.product)).toMatchObject({
      sellerId: ids.seller,
      title: 'Eggplant lamp',
      priceKrw: 12_000,
      status: 'ON_SALE',
    });
    expect(store.state.purchases.get(ids.purchase)).toMatchObject({
      productTitle: 'Eggplant lamp',
      priceKrw: 12_000,
      buyerId: ids.buyer,
      sellerId: ids.seller,
      status: 'REFUNDED',
    });
    expect(store.historyOf(ids.purchase)).toEqual(['PAID', 'CANCELLED', 'REFUNDED']);
    expect(store.state.checkpoint).toBe(9);
  });

  it('entries at or below the checkpoint are skipped, so a redelivered batch changes nothing', async () => {
    const story = aDealStory(newIds());
    const { store, apply } = await given(story);

    const result = await apply.execute(entries(story));

    expect(result).toEqual({ applied: 0, skipped: story.length, lastAppliedSeq: story.length });
    expect(store.state.history).toHaveLength(3);
  });

  it('the same event republished at a later sequence is applied once', async () => {
    const ids = newIds();
    const story = aDealStory(ids);
    const { store, apply } = await given(story.slice(0, 7)); // up to the cancellation

    const placedAgain = story[4]!;
    const result = await apply.execute(entries([placedAgain], 8));

    expect(result).toMatchObject({ applied: 0, skipped: 1, lastAppliedSeq: 8 });
    expect(store.state.purchases.get(ids.purchase)?.status).toBe('CANCELLED');
    expect(store.historyOf(ids.purchase)).toEqual(['PAID', 'CANCELLED']);
  });

  it('a message that broke its contract is skipped and the checkpoint moves past it', async () => {
    const store = new InMemoryProjectionStore();

    const result = await new UpdateMyPageOnAnyEvent(store).execute([{ seq: 1, event: null }]);

    expect(result).toEqual({ applied: 0, skipped: 0, lastAppliedSeq: 1 });
  });

  it('a failed purchase and its voided payment never show up as a deal', async () => {
    const ids = newIds();
    const deal = {
      purchaseId: ids.purchase,
      productId: ids.product,
      buyerId: ids.buyer,
      sellerId: ids.seller,
    };
    const payment = { paymentId: ids.payment, ...deal, amountKrw: 5_000 };
    const { store } = await given([
      anEnvelope('PaymentCompleted', payment),
      anEnvelope('PurchaseFailed', { ...deal, reason: 'PAYMENT_UNAVAILABLE' }),
      anEnvelope('PaymentCancelled', payment),
    ]);

    expect(store.state.purchases.size).toBe(0);
    expect(store.state.history).toEqual([]);
  });

  it('a purchase of a product registered before the stream began gets a default title, filled in if the product shows up', async () => {
    const ids = newIds();
    const at = storyClock();
    const { store, apply } = await given([
      anEnvelope(
        'PurchasePlaced',
        {
          purchaseId: ids.purchase,
          productId: ids.product,
          buyerId: ids.buyer,
          sellerId: ids.seller,
          priceKrw: 9_000,
          paymentId: ids.payment,
        },
        { at: at() },
      ),
    ]);
    expect(store.state.purchases.get(ids.purchase)).toMatchObject({
      productTitle: '',
      priceKrw: 9_000,
      status: 'PAID',
    });

    await apply.execute(
      entries(
        [
          anEnvelope(
            'ProductRegistered',
            {
              productId: ids.product,
              sellerId: ids.seller,
              title: 'Old radio',
              description: '',
              priceKrw: 9_000,
              imageUrl: null,
            },
            { at: at() },
          ),
        ],
        2,
      ),
    );

    expect(store.state.purchases.get(ids.purchase)?.productTitle).toBe('Old radio');
  });

  it('a cancellation of a deal never seen creates it as cancelled with what the event tells', async () => {
    const ids = newIds();
    const { store } = await given([
      anEnvelope('PurchaseCancelled', {
        purchaseId: ids.purchase,
        productId: ids.product,
        buyerId: ids.buyer,
        sellerId: ids.seller,
      }),
    ]);

    expect(store.state.purchases.get(ids.purchase)).toMatchObject({
      buyerId: ids.buyer,
      sellerId: ids.seller,
      status: 'CANCELLED',
      priceKrw: 0,
    });
    expect(store.historyOf(ids.purchase)).toEqual(['CANCELLED']);
  });

  it('a withdrawn member keeps their nickname and is marked withdrawn; their deleted product stays deleted', async () => {
    const memberId = randomUUID();
    const productId = randomUUID();
    const { store } = await given([
      anEnvelope('MemberJoined', { memberId, email: 'a@example.com', nickname: 'gaji' }),
      anEnvelope('ProductRegistered', {
        productId,
        sellerId: memberId,
        title: 'Chair',
        description: '',
        priceKrw: 1_000,
        imageUrl: 'http://img/1',
      }),
      anEnvelope('MemberWithdrawn', { memberId }),
      anEnvelope('ProductDeleted', { productId, sellerId: memberId, reason: 'SELLER_WITHDRAWN' }),
      anEnvelope('ProductPutBackOnSale', { productId, sellerId: memberId, purchaseId: randomUUID() }),
    ]);

    expect(store.state.members.get(memberId)).toEqual({ id: memberId, nickname: 'gaji', withdrawn: true });
    expect(store.state.products.get(productId)?.status).toBe('DELETED');
  });

  it('a batch that fails part-way commits nothing, not even the checkpoint', async () => {
    const store = new InMemoryProjectionStore();
    const failing = new UpdateMyPageOnAnyEvent({
      lastAppliedSeq: () => store.lastAppliedSeq(),
      transaction: (work) =>
        store.transaction((tx) =>
          work({
            ...tx,
            lastAppliedSeq: () => tx.lastAppliedSeq(),
            setLastAppliedSeq: (s) => tx.setLastAppliedSeq(s),
            markApplied: (id, s) => tx.markApplied(id, s),
            findMember: (id) => tx.findMember(id),
            findProduct: (id) => tx.findProduct(id),
            findPurchase: (id) => tx.findPurchase(id),
            apply: async (change) => {
              if (change.kind === 'product') throw new Error('disk full');
              await tx.apply(change);
            },
          }),
        ),
    });
    const ids = newIds();

    await expect(failing.execute(entries(aDealStory(ids)))).rejects.toThrow('disk full');

    expect(store.state.checkpoint).toBe(0);
    expect(store.state.members.size).toBe(0);
  });
});
