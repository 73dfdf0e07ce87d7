import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@gaji/contracts';
import { anEnvelope } from './event.mother.js';

/** A deterministic pseudo-random generator (mulberry32), so a failing run can be replayed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type MarketStep =
  | { kind: 'event'; envelope: EventEnvelope }
  | { kind: 'duplicate'; envelope: EventEnvelope }
  | { kind: 'malformed' };

/**
 * A random but plausible market: members join and leave, list and delete products, buy, fail to
 * pay, cancel and get refunded — plus republished events (same id, new msgID) and a few messages
 * that break their contract. At least `count` steps.
 */
export function randomMarket(count: number, seed: number): MarketStep[] {
  const random = seeded(seed);
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)];
  let clock = Date.parse('2026-02-01T00:00:00.000Z');
  const at = () => new Date((clock += 1_000 + Math.floor(random() * 5_000)));
  const members: { id: string; active: boolean }[] = [];
  const products: { id: string; sellerId: string; price: number; status: 'ON_SALE' | 'SOLD' | 'DELETED' }[] =
    [];
  const deals: {
    purchaseId: string;
    productId: string;
    buyerId: string;
    sellerId: string;
    paymentId: string;
    price: number;
    status: 'PAID' | 'CANCELLED';
  }[] = [];
  const steps: MarketStep[] = [];
  const emit = (envelope: EventEnvelope) => steps.push({ kind: 'event', envelope });

  while (steps.length < count) {
    const roll = random();
    const active = members.filter((m) => m.active);
    if (roll < 0.12 || active.length < 3) {
      const id = randomUUID();
      members.push({ id, active: true });
      emit(
        anEnvelope(
          'MemberJoined',
          { memberId: id, email: `${id.slice(0, 8)}@example.com`, nickname: `m-${id.slice(0, 6)}` },
          { at: at() },
        ),
      );
    } else if (roll < 0.35) {
      const seller = pick(active)!;
      const product = {
        id: randomUUID(),
        sellerId: seller.id,
        price: 1_000 + Math.floor(random() * 50) * 100,
        status: 'ON_SALE' as const,
      };
      products.push(product);
      emit(
        anEnvelope(
          'ProductRegistered',
          {
            productId: product.id,
            sellerId: seller.id,
            title: `item ${product.id.slice(0, 4)}`,
            description: '',
            priceKrw: product.price,
            imageUrl: random() < 0.5 ? null : `http://img/${product.id}`,
          },
          { at: at() },
        ),
      );
    } else if (roll < 0.6) {
      const product = pick(products.filter((p) => p.status === 'ON_SALE'));
      const buyer = pick(active.filter((m) => m.id !== product?.sellerId));
      if (!product || !buyer) continue;
      const deal = {
        purchaseId: randomUUID(),
        productId: product.id,
        buyerId: buyer.id,
        sellerId: product.sellerId,
        paymentId: randomUUID(),
        price: product.price,
        status: 'PAID' as const,
      };
      const ref = {
        purchaseId: deal.purchaseId,
        productId: deal.productId,
        buyerId: deal.buyerId,
        sellerId: deal.sellerId,
      };
      const payment = { ...ref, paymentId: deal.paymentId, amountKrw: deal.price };
      if (random() < 0.15) {
        // Payment timed out: the purchase fails, the late payment is voided.
        emit(anEnvelope('PurchaseFailed', { ...ref, reason: 'PAYMENT_UNAVAILABLE' }, { at: at() }));
        if (random() < 0.5) emit(anEnvelope('PaymentCompleted', payment, { at: at() }));
        emit(anEnvelope('PaymentCancelled', payment, { at: at() }));
        continue;
      }
      deals.push(deal);
      product.status = 'SOLD';
      emit(anEnvelope('PaymentCompleted', payment, { at: at() }));
      emit(
        anEnvelope(
          'PurchasePlaced',
          { ...ref, priceKrw: deal.price, paymentId: deal.paymentId },
          { at: at() },
        ),
      );
      emit(
        anEnvelope(
          'ProductSold',
          { productId: product.id, sellerId: product.sellerId, purchaseId: deal.purchaseId },
          { at: at() },
        ),
      );
    } else if (roll < 0.75) {
      const deal = pick(deals.filter((d) => d.status === 'PAID'));
      if (!deal) continue;
      deal.status = 'CANCELLED';
      const ref = {
        purchaseId: deal.purchaseId,
        productId: deal.productId,
        buyerId: deal.buyerId,
        sellerId: deal.sellerId,
      };
      emit(anEnvelope('PurchaseCancelled', ref, { at: at() }));
      emit(
        anEnvelope(
          'PaymentCancelled',
          { ...ref, paymentId: deal.paymentId, amountKrw: deal.price },
          { at: at() },
        ),
      );
      const product = products.find((p) => p.id === deal.productId)!;
      if (product.status === 'SOLD') {
        product.status = 'ON_SALE';
        emit(
          anEnvelope(
            'ProductPutBackOnSale',
            { productId: product.id, sellerId: product.sellerId, purchaseId: deal.purchaseId },
            { at: at() },
          ),
        );
      }
    } else if (roll < 0.83) {
      const product = pick(products.filter((p) => p.status === 'ON_SALE'));
      if (!product) continue;
      product.status = 'DELETED';
      emit(
        anEnvelope(
          'ProductDeleted',
          { productId: product.id, sellerId: product.sellerId, reason: 'DELETED_BY_SELLER' },
          { at: at() },
        ),
      );
    } else if (roll < 0.88) {
      const member = pick(active);
      if (!member) continue;
      member.active = false;
      emit(anEnvelope('MemberWithdrawn', { memberId: member.id }, { at: at() }));
      for (const product of products.filter((p) => p.sellerId === member.id && p.status === 'ON_SALE')) {
        product.status = 'DELETED';
        emit(
          anEnvelope(
            'ProductDeleted',
            { productId: product.id, sellerId: product.sellerId, reason: 'SELLER_WITHDRAWN' },
            { at: at() },
          ),
        );
      }
    } else if (roll < 0.97) {
      const earlier = pick(
        steps.filter((s): s is Extract<MarketStep, { kind: 'event' }> => s.kind === 'event'),
      );
      if (earlier) steps.push({ kind: 'duplicate', envelope: earlier.envelope });
    } else {
      steps.push({ kind: 'malformed' });
    }
  }
  return steps;
}
