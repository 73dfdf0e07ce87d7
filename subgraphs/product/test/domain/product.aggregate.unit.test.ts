import { InvalidInput } from '@gaji/domain-kernel';
import { describe, expect, it } from 'vitest';
import { Product } from '../../src/domain/product.aggregate.js';
import { NotProductOwner, ProductAlreadySold, ProductNotFound } from '../../src/domain/product.errors.js';
import { aProductOnSale, aRegistration, now, paid, SELLER, sellerStays } from './product.mother.js';

describe('Product', () => {
  describe('registering', () => {
    it('records ProductRegistered with the trimmed listing and puts the product on sale', () => {
      const product = Product.register(
        aRegistration({
          title: '  Gaji bicycle ',
          description: ' Barely ridden. ',
          imageUrl: ' https://img.example/b.jpg ',
        }),
      );
      expect(product.pullEvents()).toEqual([
        {
          type: 'ProductRegistered',
          aggregateId: 'p-1',
          occurredAt: now,
          payload: {
            productId: 'p-1',
            sellerId: SELLER,
            title: 'Gaji bicycle',
            description: 'Barely ridden.',
            priceKrw: 120_000,
            imageUrl: 'https://img.example/b.jpg',
          },
        },
      ]);
      expect(product.snapshot()).toMatchObject({
        status: 'ON_SALE',
        registeredAt: now,
        deletedAt: null,
        soldToPurchaseId: null,
      });
    });

    it('accepts the limits themselves: 100-character title, 2,000-character description, a billion won', () => {
      const product = Product.register(
        aRegistration({ title: 't'.repeat(100), description: 'd'.repeat(2_000), priceKrw: 1_000_000_000 }),
      );
      expect(product.snapshot().priceKrw).toBe(1_000_000_000);
    });

    it('counts a title in characters a person sees: 100 emoji, 100 family emoji fit', () => {
      for (const title of ['😀'.repeat(100), '👨‍👩‍👧‍👦'.repeat(100), '가'.repeat(100)])
        expect(Product.register(aRegistration({ title })).snapshot().title).toBe(title);
    });

    // Which characters a title or description may hold is the published rule's, tested once in
    // schema/test/person-text.unit.test.ts; here, that a listing is refused by it, naming the field.
    it('keeps the invisible characters that build what is shown, as the rule does: a family emoji', () => {
      const title = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} 장난감';
      expect(Product.register(aRegistration({ title })).snapshot().title).toBe(title);
    });

    it('stores a title and description typed as jamo (NFD) as the syllables another keyboard sends (NFC)', () => {
      // "가지 자전거" as macOS sends it; the description's 1,500 syllables are 3,000 jamo and still fit.
      const nfd = '\u1100\u1161\u110C\u1175 \u110C\u1161\u110C\u1165\u11AB\u1100\u1165';
      const product = Product.register(
        aRegistration({ title: nfd, description: '\u1100\u1161'.repeat(1_500) }),
      ).snapshot();
      expect(product.title).toBe('가지 자전거');
      expect(product.description).toBe('가'.repeat(1_500));
    });

    it.each([
      'https://img.example/a.jpg',
      'https://8.8.8.8/a.png',
      'https://172.32.0.1/a.png',
      'https://192.169.0.1/a.png',
      'https://[2001:db8::1]/a.png',
      'https://localhost.example/a.png',
    ])('accepts a photo on a public host: %s', (imageUrl) => {
      expect(Product.register(aRegistration({ imageUrl })).snapshot().imageUrl).toBe(imageUrl);
    });

    it.each([
      ['https://example.com\\@127.0.0.1/a.png', 'https://example.com/@127.0.0.1/a.png'],
      ['HTTPS://Img.Example/a.png', 'https://img.example/a.png'],
      ['https://img.example:443/a.png', 'https://img.example/a.png'],
      ['https://img.example', 'https://img.example/'],
      ['https://img.example/사진.png', 'https://img.example/%EC%82%AC%EC%A7%84.png'],
    ])(
      'stores a photo URL as browsers read it, so no other parser can find another host in it: %s',
      (imageUrl, stored) => {
        expect(Product.register(aRegistration({ imageUrl })).snapshot().imageUrl).toBe(stored);
      },
    );

    it("keeps a description's line breaks and tabs, folding a CR LF (or a lone CR) into one line break", () => {
      const product = Product.register(
        aRegistration({ description: 'Size\tM\r\nBarely ridden.\rNo box.\n\n🚲' }),
      );
      expect(product.snapshot().description).toBe('Size\tM\nBarely ridden.\nNo box.\n\n🚲');
    });

    it('treats a missing description as empty and a blank image URL as none', () => {
      const product = Product.register(aRegistration({ description: null, imageUrl: '   ' }));
      expect(product.snapshot()).toMatchObject({ description: '', imageUrl: null });
    });

    it.each([
      ['title', { title: '   ' }],
      ['title', { title: 'x'.repeat(101) }],
      ['title', { title: '😀'.repeat(101) }],
      // One of each of the text rule's refusals: nothing visible, a text-direction trick, an invisible character.
      ['title', { title: '\u200B\u200B' }],
      ['title', { title: '\u202Egnp.exe' }],
      ['title', { title: 'bi\u200Bke' }],
      ['description', { description: 'x'.repeat(2_001) }],
      ['description', { description: '\u034F\uFE0F' }],
      ['description', { description: 'Red \u001b[31mbike' }],
      ['priceKrw', { priceKrw: 0 }],
      ['priceKrw', { priceKrw: -5 }],
      ['priceKrw', { priceKrw: 10.5 }],
      ['priceKrw', { priceKrw: 1_000_000_001 }],
      ['imageUrl', { imageUrl: 'javascript:alert(1)' }],
      ['imageUrl', { imageUrl: 'ftp://img.example/a.jpg' }],
      // The web client's CSP shows https images only: an http photo would never appear.
      ['imageUrl', { imageUrl: 'http://img.example/a.jpg' }],
      ['imageUrl', { imageUrl: 'not a url' }],
      ['imageUrl', { imageUrl: `https://img.example/${'a'.repeat(2_048)}` }],
      // 520 characters sent, 4,520 stored (each 사 is %EC%82%AC once normalized): the stored form counts.
      ['imageUrl', { imageUrl: `https://img.example/${'사'.repeat(500)}` }],
      // Browsers refuse a photo with a user name or password in it, and every viewer's browser would
      // be sent to a host of the seller's choosing: never one of the viewer's own network.
      ['imageUrl', { imageUrl: 'https://user:pass@example.com/a.png' }],
      ['imageUrl', { imageUrl: 'https://user@example.com/a.png' }],
      ['imageUrl', { imageUrl: 'https://127.0.0.1:4001/.well-known/jwks.json' }],
      ['imageUrl', { imageUrl: 'https://localhost/a.png' }],
      ['imageUrl', { imageUrl: 'https://LocalHost./a.png' }],
      ['imageUrl', { imageUrl: 'https://photos.localhost/a.png' }],
      ['imageUrl', { imageUrl: 'https://10.1.2.3/a.png' }],
      ['imageUrl', { imageUrl: 'https://172.16.0.1/a.png' }],
      ['imageUrl', { imageUrl: 'https://172.31.255.255/a.png' }],
      ['imageUrl', { imageUrl: 'https://192.168.1.1/a.png' }],
      ['imageUrl', { imageUrl: 'https://169.254.169.254/latest/meta-data' }],
      ['imageUrl', { imageUrl: 'https://0.0.0.0/a.png' }],
      ['imageUrl', { imageUrl: 'https://0x7f.1/a.png' }],
      ['imageUrl', { imageUrl: 'https://2130706433/a.png' }],
      ['imageUrl', { imageUrl: 'https://[::1]/a.png' }],
      ['imageUrl', { imageUrl: 'https://[::]/a.png' }],
      ['imageUrl', { imageUrl: 'https://[fe80::1]/a.png' }],
      ['imageUrl', { imageUrl: 'https://[fd12:3456::1]/a.png' }],
      ['imageUrl', { imageUrl: 'https://[::ffff:127.0.0.1]/a.png' }],
      ['imageUrl', { imageUrl: 'https://[::ffff:c0a8:101]/a.png' }],
      // The URL parser drops a tab and escapes U+0001, but the URL would be stored as sent.
      ['imageUrl', { imageUrl: 'https://img.example/a\t.png' }],
      ['imageUrl', { imageUrl: 'https://img.example/a\u0001.png' }],
      ['imageUrl', { imageUrl: 'https://img.example/a b.png' }],
      ['imageUrl', { imageUrl: 'https://img.example/a\u00A0b.png' }],
      // Names that resolve only inside a network, and IPv6 ranges that reach one.
      ['imageUrl', { imageUrl: 'https://router/a.png' }],
      ['imageUrl', { imageUrl: 'https://metadata.google.internal/computeMetadata/v1/' }],
      ['imageUrl', { imageUrl: 'https://kubernetes.default.svc/a.png' }],
      ['imageUrl', { imageUrl: 'https://[fec0::1]/a.png' }],
      ['imageUrl', { imageUrl: 'https://[::ffff:0:7f00:1]/a.png' }],
    ])('refuses a bad %s naming the field', (field, overrides) => {
      const attempt = () => Product.register(aRegistration(overrides));
      expect(attempt).toThrow(InvalidInput);
      expect(() => attempt()).toThrow(expect.objectContaining({ details: { field } }));
    });
  });

  describe('deleting by the seller', () => {
    it('soft-deletes the product and records ProductDeleted with reason DELETED_BY_SELLER', () => {
      const product = aProductOnSale();
      product.deleteBySeller(SELLER, now);
      expect(product.pullEvents()).toEqual([
        {
          type: 'ProductDeleted',
          aggregateId: 'p-1',
          occurredAt: now,
          payload: { productId: 'p-1', sellerId: SELLER, reason: 'DELETED_BY_SELLER' },
        },
      ]);
      expect(product.snapshot()).toMatchObject({ deletedAt: now, deletionReason: 'DELETED_BY_SELLER' });
    });

    it('is refused with NOT_PRODUCT_OWNER for anyone else, changing nothing', () => {
      const product = aProductOnSale();
      expect(() => product.deleteBySeller('someone-else', now)).toThrow(NotProductOwner);
      expect(product.isDeleted).toBe(false);
      expect(product.pullEvents()).toEqual([]);
    });

    it('is refused with PRODUCT_SOLD once the product is sold', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.pullEvents();
      expect(() => product.deleteBySeller(SELLER, now)).toThrow(ProductAlreadySold);
      expect(product.pullEvents()).toEqual([]);
    });

    it('is refused with PRODUCT_NOT_FOUND when already deleted', () => {
      const product = aProductOnSale();
      product.deleteBySeller(SELLER, now);
      product.pullEvents();
      expect(() => product.deleteBySeller(SELLER, now)).toThrow(ProductNotFound);
    });
  });

  describe('payment facts', () => {
    it('a completed payment sells the product to that purchase (ProductSold)', () => {
      const product = aProductOnSale();
      expect(product.markSold(paid('purchase-1', 10), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({
        status: 'SOLD',
        soldToPurchaseId: 'purchase-1',
        deals: [{ purchaseId: 'purchase-1', completedSequence: 10, cancelledSequence: null }],
      });
      expect(product.pullEvents()).toEqual([
        {
          type: 'ProductSold',
          aggregateId: 'p-1',
          occurredAt: now,
          payload: { productId: 'p-1', sellerId: SELLER, purchaseId: 'purchase-1' },
        },
      ]);
    });

    it('a cancelled payment of the purchase that sold it puts the product back on sale (ProductPutBackOnSale)', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.pullEvents();
      expect(product.putBackOnSale(paid('purchase-1', 20), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
      expect(product.pullEvents().map((event) => event.type)).toEqual(['ProductPutBackOnSale']);
    });

    it('a completion arriving after its own cancellation leaves the product on sale', () => {
      const product = aProductOnSale();
      expect(product.putBackOnSale(paid('purchase-1', 20), sellerStays)).toBe(false);
      expect(product.markSold(paid('purchase-1', 10), sellerStays)).toBe(false);
      expect(product.snapshot()).toMatchObject({
        status: 'ON_SALE',
        deals: [{ purchaseId: 'purchase-1', completedSequence: 10, cancelledSequence: 20 }],
      });
      expect(product.pullEvents()).toEqual([]);
    });

    it('the same fact seen twice is applied once', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      expect(product.markSold(paid('purchase-1', 10), sellerStays)).toBe(false);
      expect(product.pullEvents()).toHaveLength(1);
    });

    it('a later purchase that completed after an earlier one was cancelled wins, whatever the arrival order', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.markSold(paid('purchase-2', 30), sellerStays); // purchase-1's cancellation (seq 20) has not arrived yet
      product.pullEvents();
      // the sale passes to purchase-2: one ProductSold names it, the product never was on sale
      expect(product.putBackOnSale(paid('purchase-1', 20), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'purchase-2' });
      expect(product.pullEvents()).toMatchObject([
        { type: 'ProductSold', payload: { purchaseId: 'purchase-2' } },
      ]);
    });

    it("cancelling another purchase's payment leaves the sale standing", () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-2', 30), sellerStays);
      expect(product.putBackOnSale(paid('purchase-1', 40), sellerStays)).toBe(false);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'purchase-2' });
    });

    it('a deleted product refuses a completed payment (ProductSaleRejected) and ignores a cancelled one', () => {
      const product = aProductOnSale();
      product.deleteBySeller(SELLER, now);
      product.pullEvents();
      expect(product.markSold(paid('purchase-1', 10), sellerStays)).toBe(true);
      expect(product.snapshot().status).toBe('ON_SALE');
      expect(product.pullEvents()).toMatchObject([
        {
          type: 'ProductSaleRejected',
          payload: { productId: 'p-1', purchaseId: 'purchase-1', reason: 'PRODUCT_DELETED' },
        },
      ]);
      expect(product.putBackOnSale(paid('purchase-1', 20), sellerStays)).toBe(false);
      expect(product.pullEvents()).toEqual([]);
    });
  });

  describe('payment facts about different purchases, in whatever order they arrive', () => {
    it('a late completion of a failed purchase, then its refund, leave the product sold to the paid one (C(P1), C(P0), X(P0))', () => {
      // given P1 paid and the product sold to it
      const product = aProductOnSale();
      product.markSold(paid('P1', 10), sellerStays);
      product.pullEvents();
      // when P0 (failed: its authorization timed out) is charged late, recorded completed, then refunded
      product.markSold(paid('P0', 15), sellerStays);
      product.putBackOnSale(paid('P0', 25), sellerStays);
      // then P1's deal still stands, and nobody was told otherwise
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'P1' });
      expect(product.pullEvents()).toEqual([]);
    });

    it('both deals cancelled leave the product on sale, even when one cancellation arrives after a later one (C(P0)@5, C(P1)@10, X(P0)@25, X(P1)@20)', () => {
      const product = aProductOnSale();
      product.markSold(paid('P0', 5), sellerStays);
      product.markSold(paid('P1', 10), sellerStays);
      product.putBackOnSale(paid('P0', 25), sellerStays);
      product.putBackOnSale(paid('P1', 20), sellerStays); // redelivered after P0's, though older
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
      expect(product.pullEvents().at(-1)).toMatchObject({
        type: 'ProductPutBackOnSale',
        payload: { purchaseId: 'P1' },
      });
    });

    it('a cancellation seen before its completion is remembered: the completion does not sell (X(P)@20, C(P)@10)', () => {
      const product = aProductOnSale();
      expect(product.putBackOnSale(paid('P', 20), sellerStays)).toBe(false);
      expect(product.markSold(paid('P', 10), sellerStays)).toBe(false);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
      expect(product.pullEvents()).toEqual([]);
    });

    it('a cancellation of another purchase, newer in the stream, does not make an older cancellation stale', () => {
      // P1 sold it; P2's unrelated, newer cancellation came first, then P1's own cancellation
      const product = aProductOnSale();
      product.markSold(paid('P1', 10), sellerStays);
      product.putBackOnSale(paid('P2', 30), sellerStays);
      product.pullEvents();
      expect(product.putBackOnSale(paid('P1', 20), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
    });
  });

  describe('a failed purchase (PurchaseFailed) is never a deal, whichever of its facts comes first', () => {
    it('a failure before its late charge: the charge and its refund sell nothing (F(P0)@5, C(P0)@6, X(P0)@7)', () => {
      const product = aProductOnSale();
      expect(product.markPurchaseFailed(paid('P0', 5), sellerStays)).toBe(false);
      expect(product.markPurchaseFailed(paid('P0', 5), sellerStays)).toBe(false); // redelivered
      expect(product.markSold(paid('P0', 6), sellerStays)).toBe(false);
      expect(product.putBackOnSale(paid('P0', 7), sellerStays)).toBe(false);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
      expect(product.snapshot().deals).toEqual([
        { purchaseId: 'P0', completedSequence: 6, cancelledSequence: 7, failedSequence: 5, completedAt: now },
      ]);
      expect(product.pullEvents()).toEqual([]);
    });

    it('a late charge heard first sells, and its failure ends the sale at once (C(P0)@6, F(P0)@5)', () => {
      const product = aProductOnSale();
      product.markSold(paid('P0', 6), sellerStays);
      product.pullEvents();
      expect(product.markPurchaseFailed(paid('P0', 5), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
      expect(product.pullEvents()).toMatchObject([
        { type: 'ProductPutBackOnSale', payload: { purchaseId: 'P0' } },
      ]);
    });

    it('a failed purchase’s late charge ahead of the paid buyer’s never takes the sale (F(P0)@5, C(P0)@6, C(P1)@8)', () => {
      const product = aProductOnSale();
      product.markPurchaseFailed(paid('P0', 5), sellerStays);
      product.markSold(paid('P0', 6), sellerStays);
      product.markSold(paid('P1', 8), sellerStays);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'P1' });
      expect(product.pullEvents()).toMatchObject([{ type: 'ProductSold', payload: { purchaseId: 'P1' } }]);
    });

    it('the failure of a withdrawn seller’s standing deal deletes the item, as its cancellation would', () => {
      const product = aProductOnSale();
      product.markSold(paid('P0', 6), sellerStays);
      product.pullEvents();
      product.markPurchaseFailed(paid('P0', 7), { withdrawn: true });
      expect(product.isDeleted).toBe(true);
      expect(product.pullEvents()).toMatchObject([
        { type: 'ProductDeleted', payload: { reason: 'SELLER_WITHDRAWN' } },
      ]);
    });

    it('a seller’s withdrawal refuses no failed purchase’s late charge: it is no deal, and payment refunds it already', () => {
      const product = aProductOnSale();
      product.markPurchaseFailed(paid('P0', 5), sellerStays);
      product.markSold(paid('P0', 6), sellerStays);
      expect(product.refuseSalesCompletedSince(new Date(now.getTime() - 1_000), now)).toBe(0);
      expect(product.pullEvents()).toEqual([]);
    });
  });

  describe('a sale stored without its deal (an old replica sold it around the product_deals migration)', () => {
    const soldWithoutDeal = () =>
      Product.restore({ ...aProductOnSale().snapshot(), status: 'SOLD', soldToPurchaseId: 'P1', deals: [] });

    it('stands sold to that purchase when another purchase’s late charge is refunded', () => {
      const product = soldWithoutDeal();
      expect(product.putBackOnSale(paid('P0', 60), sellerStays)).toBe(false);
      expect(product.pullEvents()).toEqual([]);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'P1' });
    });

    it('is not sold to a failed purchase whose late charge completes', () => {
      const product = soldWithoutDeal();
      expect(product.markSold(paid('P0', 61), sellerStays)).toBe(false);
      expect(product.pullEvents()).toEqual([]);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'P1' });
    });

    it('goes back on sale when that purchase itself is cancelled', () => {
      const product = soldWithoutDeal();
      expect(product.putBackOnSale(paid('P1', 62), sellerStays)).toBe(true);
      expect(product.pullEvents()).toMatchObject([
        { type: 'ProductPutBackOnSale', payload: { purchaseId: 'P1' } },
      ]);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
    });
  });

  describe('facts from before product_deals (a migrated product’s floor, at 57)', () => {
    const migrated = (state: Partial<ReturnType<Product['snapshot']>> = {}) =>
      Product.restore({ ...aProductOnSale().snapshot(), dealsFromSequence: 57, ...state });

    it('a completion at or below the floor of a purchase with no deal does not sell: its cancellation came first', () => {
      // PaymentCancelled(Y)@57 was handled before the migration, by the rule of the latest fact
      const product = migrated();
      expect(product.markSold(paid('Y', 50), sellerStays)).toBe(false);
      expect(product.pullEvents()).toEqual([]);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null, deals: [] });
    });

    it('a fact above the floor applies, whatever the purchase', () => {
      const product = migrated();
      expect(product.markSold(paid('Z', 58), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({
        status: 'SOLD',
        soldToPurchaseId: 'Z',
        dealsFromSequence: 57,
      });
    });

    it('a fact below the floor about the purchase whose deal was carried over applies', () => {
      const product = migrated({
        status: 'SOLD',
        soldToPurchaseId: 'P1',
        deals: [
          {
            purchaseId: 'P1',
            completedSequence: 57,
            cancelledSequence: null,
            failedSequence: null,
            completedAt: null,
          },
        ],
      });
      expect(product.putBackOnSale(paid('P1', 40), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({ status: 'ON_SALE', soldToPurchaseId: null });
    });

    it('a product with no floor (listed since) takes every fact', () => {
      const product = migrated({ dealsFromSequence: null });
      expect(product.markSold(paid('W', 3), sellerStays)).toBe(true);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'W' });
    });
  });

  describe('the seller withdrawing', () => {
    it('deletes a product on sale with reason SELLER_WITHDRAWN', () => {
      const product = aProductOnSale();
      product.removeBecauseSellerWithdrew(now);
      expect(product.pullEvents()).toEqual([
        {
          type: 'ProductDeleted',
          aggregateId: 'p-1',
          occurredAt: now,
          payload: { productId: 'p-1', sellerId: SELLER, reason: 'SELLER_WITHDRAWN' },
        },
      ]);
      expect(product.isDeleted).toBe(true);
    });

    it('keeps a sold product: it is the record of a completed deal', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.pullEvents();
      expect(product.removeBecauseSellerWithdrew(now)).toBe(false);
      expect(product.isDeleted).toBe(false);
      expect(product.pullEvents()).toEqual([]);
    });

    it('deletes a sold product whose deal is cancelled after the seller left, instead of putting it back on sale', () => {
      // given a product sold, then its seller withdrawn (the sold product was kept)
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.removeBecauseSellerWithdrew(now);
      product.pullEvents();
      // when the payment that sold it is cancelled
      const changed = product.putBackOnSale(paid('purchase-1', 20), { withdrawn: true });
      // then it is removed the way the seller's unsold listings were, never on sale again
      expect(changed).toBe(true);
      expect(product.pullEvents()).toEqual([
        {
          type: 'ProductDeleted',
          aggregateId: 'p-1',
          occurredAt: now,
          payload: { productId: 'p-1', sellerId: SELLER, reason: 'SELLER_WITHDRAWN' },
        },
      ]);
      expect(product.snapshot()).toMatchObject({
        status: 'ON_SALE',
        soldToPurchaseId: null,
        deletedAt: now,
        deletionReason: 'SELLER_WITHDRAWN',
      });
    });

    it('a withdrawn seller’s product cancelled twice, or by a stale fact, is deleted once', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.pullEvents();
      product.putBackOnSale(paid('purchase-1', 20), { withdrawn: true });
      product.pullEvents();
      expect(product.putBackOnSale(paid('purchase-1', 20), { withdrawn: true })).toBe(false);
      expect(product.putBackOnSale(paid('purchase-1', 30), { withdrawn: true })).toBe(false);
      expect(product.pullEvents()).toEqual([]);
    });

    it('a completion of another purchase, older than the cancellation that deleted the product, is still refused: that buyer is refunded', () => {
      // given a withdrawn seller's product deleted when the deal that sold it (seq 10) was cancelled (seq 20)
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.putBackOnSale(paid('purchase-1', 20), { withdrawn: true });
      product.pullEvents();
      // when another buyer's completion, placed on the stream before that cancellation, comes now
      const changed = product.markSold(paid('purchase-2', 15), { withdrawn: true });
      // then that sale is refused, so purchase cancels it and payment refunds the buyer
      expect(changed).toBe(true);
      expect(product.pullEvents()).toMatchObject([
        { type: 'ProductSaleRejected', payload: { purchaseId: 'purchase-2', reason: 'PRODUCT_DELETED' } },
      ]);
    });

    it('a withdrawn seller’s sold product is never sold to another buyer, even before its deal’s cancellation arrives', () => {
      // given a product sold (seq 10), then its seller withdrawn (the sold product was kept)
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.pullEvents();
      // when another buyer's completion (seq 12) comes before purchase-1's cancellation (seq 13)
      const changed = product.markSold(paid('purchase-2', 12), { withdrawn: true });
      // then that sale is refused and the product stays with its deal, to be deleted once it is cancelled
      expect(changed).toBe(true);
      expect(product.pullEvents()).toMatchObject([
        { type: 'ProductSaleRejected', payload: { purchaseId: 'purchase-2' } },
      ]);
      expect(product.snapshot()).toMatchObject({
        status: 'SOLD',
        soldToPurchaseId: 'purchase-1',
        deletedAt: null,
      });
      expect(product.putBackOnSale(paid('purchase-1', 13), { withdrawn: true })).toBe(true);
      expect(product.pullEvents()).toMatchObject([
        { type: 'ProductDeleted', payload: { reason: 'SELLER_WITHDRAWN' } },
      ]);
    });

    it('the completion that sold a withdrawn seller’s product, seen again, changes nothing', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-1', 10), sellerStays);
      product.pullEvents();
      expect(product.markSold(paid('purchase-1', 10), { withdrawn: true })).toBe(false);
      expect(product.pullEvents()).toEqual([]);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: 'purchase-1' });
    });

    it('cancelling a payment that did not sell it leaves a withdrawn seller’s sold product alone', () => {
      const product = aProductOnSale();
      product.markSold(paid('purchase-2', 30), sellerStays);
      product.pullEvents();
      expect(product.putBackOnSale(paid('purchase-1', 40), { withdrawn: true })).toBe(false);
      expect(product.snapshot()).toMatchObject({ status: 'SOLD', deletedAt: null });
    });

    it('refuses a sale whose payment completed at or after the given time, once, and keeps one completed before', () => {
      const at = (ms: number) => new Date(now.getTime() + ms);
      const product = aProductOnSale();
      product.markSold({ purchaseId: 'after', sequence: 10, occurredAt: at(4), now }, sellerStays);
      product.pullEvents();
      expect(product.refuseSalesCompletedSince(at(5), now)).toBe(0); // completed 1 ms before: a deal
      expect(product.refuseSalesCompletedSince(at(4), now)).toBe(1); // the same millisecond: refused
      expect(product.snapshot()).toMatchObject({
        status: 'SOLD',
        soldToPurchaseId: 'after',
        deletedAt: null,
      });
      expect(product.pullEvents()).toEqual([
        {
          type: 'ProductSaleRejected',
          aggregateId: 'p-1',
          occurredAt: now,
          payload: { productId: 'p-1', sellerId: SELLER, purchaseId: 'after', reason: 'PRODUCT_DELETED' },
        },
      ]);
      // Its refund then deletes the product, the seller being withdrawn; nothing is left to refuse.
      expect(product.putBackOnSale(paid('after', 20), { withdrawn: true })).toBe(true);
      expect(product.isDeleted).toBe(true);
      expect(product.refuseSalesCompletedSince(at(0), now)).toBe(0);
    });

    it('does not refuse a completion with no time (recorded before completed_at was kept)', () => {
      const product = Product.restore({
        ...aProductOnSale().snapshot(),
        status: 'SOLD',
        soldToPurchaseId: 'old',
        deals: [
          {
            purchaseId: 'old',
            completedSequence: 3,
            cancelledSequence: null,
            failedSequence: null,
            completedAt: null,
          },
        ],
      });
      expect(product.refuseSalesCompletedSince(new Date(0), now)).toBe(0);
    });
  });
});
