import { describe, expect, it } from 'vitest';
import { directUnitOfWork, tickingClock } from '@gaji/testkit';
import { DeleteProduct } from '../../src/application/delete-product/delete-product.use-case.js';
import { FindProducts } from '../../src/application/find-products/find-products.query.js';
import { ListProducts } from '../../src/application/list-products/list-products.query.js';
import { MarkSoldOnPaymentCompleted } from '../../src/application/mark-sold-on-payment-completed/mark-sold-on-payment-completed.policy.js';
import { PutBackOnSaleOnPaymentCancelled } from '../../src/application/put-back-on-sale-on-payment-cancelled/put-back-on-sale-on-payment-cancelled.policy.js';
import { RegisterProduct } from '../../src/application/register-product/register-product.use-case.js';
import { RemoveLateListingOnProductRegistered } from '../../src/application/remove-late-listing-on-product-registered/remove-late-listing-on-product-registered.policy.js';
import { RemoveProductsOnMemberWithdrawn } from '../../src/application/remove-products-on-member-withdrawn/remove-products-on-member-withdrawn.policy.js';
import { InMemoryProducts, InMemoryWithdrawnSellers } from './in-memory-adapters.js';

/** When the payments of these tests completed: before every withdrawal they meet (dated `new Date()`). */
const PAID_AT = new Date('2026-01-01T00:00:00Z');

function given() {
  const products = new InMemoryProducts();
  const withdrawnSellers = new InMemoryWithdrawnSellers();
  const deps = { products, uow: directUnitOfWork, clock: tickingClock() };
  let ids = 0;
  return {
    products,
    withdrawnSellers,
    deps,
    register: new RegisterProduct({ ...deps, withdrawnSellers, newId: () => `p-${++ids}` }),
    remove: new DeleteProduct(deps),
    markSold: new MarkSoldOnPaymentCompleted({ ...deps, withdrawnSellers }),
    putBack: new PutBackOnSaleOnPaymentCancelled({ ...deps, withdrawnSellers }),
    withdraw: new RemoveProductsOnMemberWithdrawn({ ...deps, withdrawnSellers, clockMarginMs: 0 }),
    lateListing: new RemoveLateListingOnProductRegistered({ ...deps, withdrawnSellers }),
    find: new FindProducts(products),
    list: new ListProducts(products),
  };
}

const listing = (title = 'Gaji bicycle') => ({ title, description: 'Barely ridden.', priceKrw: 120_000 });
const types = (products: InMemoryProducts) => products.published.map((event) => event.type);

describe('product use cases', () => {
  it('registering stores the product on sale for the signed-in seller and records ProductRegistered', async () => {
    const { register, products } = given();
    const view = await register.execute({ ...listing(), sellerId: 'kim' });
    expect(view).toMatchObject({
      id: 'p-1',
      sellerId: 'kim',
      status: 'ON_SALE',
      imageUrl: null,
      deletedAt: null,
    });
    expect(types(products)).toEqual(['ProductRegistered']);
  });

  it('registering an absurd price is refused and stores nothing', async () => {
    const { register, products } = given();
    await expect(
      register.execute({ ...listing(), priceKrw: 5_000_000_000, sellerId: 'kim' }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'priceKrw' } });
    expect(products.rows.size).toBe(0);
    expect(products.published).toEqual([]);
  });

  it('the seller deleting their product hides it from listings but keeps it for references', async () => {
    const { register, remove, products, find, list } = given();
    const { id } = await register.execute({ ...listing(), sellerId: 'kim' });
    await remove.execute({ productId: id, requesterId: 'kim' });

    expect(types(products)).toEqual(['ProductRegistered', 'ProductDeleted']);
    expect(await find.listed(id)).toBeNull();
    expect((await list.execute({ filter: {}, first: 10, after: null })).items).toEqual([]);
    expect((await find.byIds([id]))[0]?.deletedAt).toBeInstanceOf(Date);
  });

  it('deleting an unknown product fails with PRODUCT_NOT_FOUND; deleting someone else’s with NOT_PRODUCT_OWNER', async () => {
    const { register, remove, products } = given();
    const { id } = await register.execute({ ...listing(), sellerId: 'kim' });
    await expect(remove.execute({ productId: 'nope', requesterId: 'kim' })).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
    });
    await expect(remove.execute({ productId: id, requesterId: 'lee' })).rejects.toMatchObject({
      code: 'NOT_PRODUCT_OWNER',
    });
    expect(types(products)).toEqual(['ProductRegistered']);
  });

  it('a completed payment sells the product; its cancellation puts it back on sale', async () => {
    const { register, markSold, putBack, find, products } = given();
    const { id } = await register.execute({ ...listing(), sellerId: 'kim' });

    expect(await markSold.execute({ productId: id, purchaseId: 'buy-1' }, 10, PAID_AT)).toBe('APPLIED');
    expect((await find.listed(id))?.status).toBe('SOLD');
    expect(await putBack.execute({ productId: id, purchaseId: 'buy-1' }, 20, PAID_AT)).toBe('APPLIED');
    expect((await find.listed(id))?.status).toBe('ON_SALE');
    expect(types(products)).toEqual(['ProductRegistered', 'ProductSold', 'ProductPutBackOnSale']);
  });

  it('a completion arriving after a newer cancellation is ignored, because the cancellation was remembered', async () => {
    const { register, markSold, putBack, find, products } = given();
    const { id } = await register.execute({ ...listing(), sellerId: 'kim' });

    expect(await putBack.execute({ productId: id, purchaseId: 'buy-1' }, 20, PAID_AT)).toBe('IGNORED');
    expect(await markSold.execute({ productId: id, purchaseId: 'buy-1' }, 10, PAID_AT)).toBe('IGNORED');
    expect((await find.listed(id))?.status).toBe('ON_SALE');
    expect(types(products)).toEqual(['ProductRegistered']);
  });

  it('a payment fact about an unknown product is reported as such and changes nothing', async () => {
    const { markSold, products } = given();
    expect(await markSold.execute({ productId: 'ghost', purchaseId: 'buy-1' }, 1, PAID_AT)).toBe(
      'UNKNOWN_PRODUCT',
    );
    expect(products.rows.size).toBe(0);
  });

  it('a withdrawing seller loses every product on sale, one ProductDeleted each, and keeps what was sold', async () => {
    const { register, markSold, withdraw, find, products } = given();
    const a = await register.execute({ ...listing('a'), sellerId: 'kim' });
    const b = await register.execute({ ...listing('b'), sellerId: 'kim' });
    const sold = await register.execute({ ...listing('sold'), sellerId: 'kim' });
    const other = await register.execute({ ...listing('other'), sellerId: 'lee' });
    await markSold.execute({ productId: sold.id, purchaseId: 'buy-1' }, 5, PAID_AT);

    expect(await withdraw.execute({ memberId: 'kim' }, new Date())).toEqual({ removed: 2, refused: 0 });
    const deleted = products.published.filter((event) => event.type === 'ProductDeleted');
    expect(deleted.map((event) => event.aggregateId).sort()).toEqual([a.id, b.id].sort());
    expect(
      deleted.every(
        (event) => event.type === 'ProductDeleted' && event.payload.reason === 'SELLER_WITHDRAWN',
      ),
    ).toBe(true);
    expect((await find.listed(sold.id))?.status).toBe('SOLD');
    expect(await find.listed(other.id)).not.toBeNull();
  });

  it('a sold product whose deal is cancelled after its seller withdrew is deleted, not put back on sale', async () => {
    // given kim's product sold, then kim withdrawn (the sold product is kept)
    const { register, markSold, withdraw, putBack, find, products } = given();
    const sold = await register.execute({ ...listing('sold'), sellerId: 'kim' });
    await markSold.execute({ productId: sold.id, purchaseId: 'buy-1' }, 5, PAID_AT);
    expect(await withdraw.execute({ memberId: 'kim' }, new Date())).toEqual({ removed: 0, refused: 0 });
    // when the buyer's payment is cancelled, then when the cancellation is redelivered
    expect(await putBack.execute({ productId: sold.id, purchaseId: 'buy-1' }, 6, PAID_AT)).toBe('APPLIED');
    expect(await putBack.execute({ productId: sold.id, purchaseId: 'buy-1' }, 6, PAID_AT)).toBe('IGNORED');
    // then it left the market as kim's unsold listings did: one ProductDeleted, SELLER_WITHDRAWN
    expect(await find.listed(sold.id)).toBeNull();
    expect(types(products)).toEqual(['ProductRegistered', 'ProductSold', 'ProductDeleted']);
    expect(products.published.at(-1)).toMatchObject({ payload: { reason: 'SELLER_WITHDRAWN' } });
  });

  it('a product cancelled back on sale before its seller’s withdrawal is handled is deleted by the withdrawal', async () => {
    const { register, markSold, withdraw, putBack, find, products } = given();
    const sold = await register.execute({ ...listing('sold'), sellerId: 'kim' });
    await markSold.execute({ productId: sold.id, purchaseId: 'buy-1' }, 5, PAID_AT);
    expect(await putBack.execute({ productId: sold.id, purchaseId: 'buy-1' }, 6, PAID_AT)).toBe('APPLIED');
    expect(await withdraw.execute({ memberId: 'kim' }, new Date())).toEqual({ removed: 1, refused: 0 });
    expect(await find.listed(sold.id)).toBeNull();
    expect(types(products)).toEqual([
      'ProductRegistered',
      'ProductSold',
      'ProductPutBackOnSale',
      'ProductDeleted',
    ]);
  });

  it('a withdrawn seller can list nothing more, and running the clean-up again removes nothing twice', async () => {
    const { register, withdraw, products } = given();
    await register.execute({ ...listing('a'), sellerId: 'kim' });
    expect(await withdraw.execute({ memberId: 'kim' }, new Date())).toEqual({ removed: 1, refused: 0 });
    expect(await withdraw.execute({ memberId: 'kim' }, new Date())).toEqual({ removed: 0, refused: 0 });
    await expect(register.execute({ ...listing('after'), sellerId: 'kim' })).rejects.toMatchObject({
      code: 'SELLER_WITHDRAWN',
    });
    expect(products.rows.size).toBe(1);
  });

  it('a listing that slipped in around the withdrawal is removed when its ProductRegistered arrives', async () => {
    const { register, withdraw, lateListing, products, find } = given();
    const registered = (product: { id: string }, sellerId: string) => ({
      ...listing(),
      imageUrl: null,
      productId: product.id,
      sellerId,
    });
    const early = await register.execute({ ...listing('before the clean-up'), sellerId: 'kim' });
    const other = await register.execute({ ...listing('someone else'), sellerId: 'lee' });
    expect(await lateListing.execute(registered(early, 'kim'))).toBe(0); // kim has not withdrawn: nothing to do

    await withdraw.execute({ memberId: 'kim' }, new Date());
    // The race: a registration whose check ran before the withdrawal was recorded commits after it.
    const late = await register.execute({ ...listing('slipped through'), sellerId: 'lee' });
    products.rows.set(late.id, { ...products.rows.get(late.id)!, sellerId: 'kim' });

    expect(await lateListing.execute(registered(late, 'kim'))).toBe(1);
    expect(await find.listed(late.id)).toBeNull();
    expect(await find.listed(early.id)).toBeNull();
    expect(await find.listed(other.id)).not.toBeNull();
    expect(await lateListing.execute(registered(late, 'kim'))).toBe(0); // and again: idempotent
  });

  it('a withdrawal refuses the sales paid after it, or within the clock margin before it, and no other', async () => {
    const { register, markSold, products, withdrawnSellers, deps } = given();
    const withdrawAt = new Date('2026-06-01T12:00:00.000Z');
    const paidAt = (ms: number) => new Date(withdrawAt.getTime() + ms);
    const withdraw = new RemoveProductsOnMemberWithdrawn({ ...deps, withdrawnSellers, clockMarginMs: 100 });
    const sold = async (title: string, ms: number) => {
      const { id } = await register.execute({ ...listing(title), sellerId: 'kim' });
      await markSold.execute({ productId: id, purchaseId: `buy-${title}` }, 1, paidAt(ms));
      return id;
    };
    await sold('well before', -101);
    await sold('within the margin', -100);
    await sold('after', 4);

    expect(await withdraw.execute({ memberId: 'kim' }, withdrawAt)).toEqual({ removed: 0, refused: 2 });
    const refused = products.published.flatMap((event) =>
      event.type === 'ProductSaleRejected' ? [event.payload.purchaseId] : [],
    );
    expect(refused.sort()).toEqual(['buy-after', 'buy-within the margin']);
  });

  it('listing pages newest first and filters by status, seller and text', async () => {
    const { register, markSold, list } = given();
    const first = await register.execute({ ...listing('Old lamp'), sellerId: 'kim' });
    await register.execute({ ...listing('Blue BICYCLE'), sellerId: 'lee' });
    await register.execute({ ...listing('Newest desk'), sellerId: 'kim' });
    await markSold.execute({ productId: first.id, purchaseId: 'buy-1' }, 1, PAID_AT);

    const page1 = await list.execute({ filter: {}, first: 2, after: null });
    expect(page1.items.map((p) => p.title)).toEqual(['Newest desk', 'Blue BICYCLE']);
    expect(page1.hasNextPage).toBe(true);
    const last = page1.items[1]!;
    const page2 = await list.execute({ filter: {}, first: 2, after: last });
    expect(page2).toMatchObject({ items: [{ title: 'Old lamp' }], hasNextPage: false });

    expect(
      (await list.execute({ filter: { status: 'SOLD' }, first: 10, after: null })).items.map((p) => p.title),
    ).toEqual(['Old lamp']);
    expect(
      (await list.execute({ filter: { sellerId: 'lee' }, first: 10, after: null })).items.map((p) => p.title),
    ).toEqual(['Blue BICYCLE']);
    expect(
      (await list.execute({ filter: { search: '  bicycle ' }, first: 10, after: null })).items.map(
        (p) => p.title,
      ),
    ).toEqual(['Blue BICYCLE']);
  });

  it('a search typed as jamo (NFD, macOS) finds a title typed as syllables (NFC, Android), and the reverse', async () => {
    const { register, list } = given();
    await register.execute({ ...listing('가지 자전거'), sellerId: 'kim' });
    await register.execute({
      ...listing('\u1100\u1161\u110C\u1175 \u110E\u1162\u11A8\u1109\u1161\u11BC'),
      sellerId: 'lee',
    });
    const titlesFound = async (search: string) =>
      (await list.execute({ filter: { search }, first: 10, after: null })).items.map((p) => p.title);
    expect(await titlesFound('\u1100\u1161\u110C\u1175')).toEqual(['가지 책상', '가지 자전거']);
    expect(await titlesFound('책상')).toEqual(['가지 책상']);
  });
});
