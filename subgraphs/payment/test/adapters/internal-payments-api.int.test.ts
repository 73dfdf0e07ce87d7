import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPurchase, PaymentRig } from '../payment-rig.js';

describe('internal payments API (real PostgreSQL, real JetStream)', () => {
  let rig: PaymentRig;
  beforeAll(async () => {
    rig = await PaymentRig.start('payment_http');
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  it('authorizing a purchase answers 200 COMPLETED and publishes one PaymentCompleted correlated to the purchase', async () => {
    const purchase = aPurchase();
    const answer = await rig.authorizeAsBuyer(purchase);

    expect(answer).toEqual({
      status: 200,
      body: {
        paymentId: expect.any(String),
        purchaseId: purchase.purchaseId,
        status: 'COMPLETED',
        amountKrw: 15_000,
      },
    });
    const events = await rig.paymentEvents(purchase.purchaseId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'PaymentCompleted',
      aggregateId: answer.body.paymentId,
      correlationId: purchase.purchaseId,
      causationId: null,
      payload: { ...purchase, paymentId: answer.body.paymentId },
    });
  });

  it('the same request sent again answers the same payment: one row, one charge, one event', async () => {
    const purchase = aPurchase();
    const first = await rig.authorizeAsBuyer(purchase);
    const second = await rig.authorizeAsBuyer(purchase);

    expect(second).toEqual(first);
    expect(await rig.rows(purchase.purchaseId)).toHaveLength(1);
    expect(await rig.paymentEvents(purchase.purchaseId)).toHaveLength(1);
  });

  it('ten identical requests at once end with one payment that all ten callers get', async () => {
    const purchase = aPurchase();
    const chargesBefore = rig.provider.chargeCount;
    const answers = await Promise.all(Array.from({ length: 10 }, () => rig.authorizeAsBuyer(purchase)));

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((answer) => answer.body.paymentId)).size).toBe(1);
    expect(await rig.rows(purchase.purchaseId)).toHaveLength(1);
    expect(await rig.paymentEvents(purchase.purchaseId)).toHaveLength(1);
    expect(rig.provider.chargeCount - chargesBefore).toBe(1);
  });

  it('without a token, or with an invalid or expired one, answers 401 UNAUTHENTICATED and charges nothing', async () => {
    const purchase = aPurchase();
    const expired = await rig.issuer.sign(purchase.buyerId, { expiresInSeconds: -60 });
    const correlation = { 'gaji-correlation-id': purchase.purchaseId };
    for (const authorization of [undefined, 'Bearer not-a-token', `Bearer ${expired}`, 'Basic abc']) {
      const answer = await rig.authorize(
        purchase,
        authorization ? { ...correlation, authorization } : correlation,
      );
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('UNAUTHENTICATED');
    }
    expect(await rig.rows(purchase.purchaseId)).toEqual([]);
    expect(rig.provider.chargeFor(purchase.purchaseId)).toBeUndefined();
  });

  it("paying with another member's token answers 403 FORBIDDEN and charges nothing", async () => {
    const purchase = aPurchase();
    const answer = await rig.authorize(purchase, {
      authorization: `Bearer ${await rig.token(purchase.sellerId)}`,
      'gaji-correlation-id': purchase.purchaseId,
    });
    expect(answer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await rig.rows(purchase.purchaseId)).toEqual([]);
  });

  it.each([
    ['amountKrw', { amountKrw: undefined }],
    ['amountKrw', { amountKrw: '15000' }],
    ['amountKrw', { amountKrw: 0 }],
    ['amountKrw', { amountKrw: 9.5 }],
    ['purchaseId', { purchaseId: '' }],
    ['sellerId', { sellerId: 42 }],
  ])('a body with a bad %s answers 400 BAD_USER_INPUT naming the field', async (field, overrides) => {
    const purchase = aPurchase();
    const answer = await rig.authorize(
      { ...purchase, ...overrides },
      {
        authorization: `Bearer ${await rig.token(purchase.buyerId)}`,
        'gaji-correlation-id': purchase.purchaseId,
      },
    );
    expect(answer).toMatchObject({ status: 400, body: { code: 'BAD_USER_INPUT', field } });
  });

  it('malformed JSON or a missing Gaji-Correlation-Id answers 400 BAD_USER_INPUT', async () => {
    const purchase = aPurchase();
    const authorization = `Bearer ${await rig.token(purchase.buyerId)}`;
    expect(
      await rig.authorize('{"purchaseId":', { authorization, 'gaji-correlation-id': purchase.purchaseId }),
    ).toMatchObject({
      status: 400,
      body: { code: 'BAD_USER_INPUT' },
    });
    expect(await rig.authorize(purchase, { authorization })).toMatchObject({
      status: 400,
      body: { code: 'BAD_USER_INPUT', field: 'Gaji-Correlation-Id' },
    });
  });

  it('a declined charge answers 402 PAYMENT_DECLINED and stores and publishes nothing', async () => {
    const purchase = aPurchase();
    rig.provider.failureRate = 1;
    try {
      expect(await rig.authorizeAsBuyer(purchase)).toMatchObject({
        status: 402,
        body: { code: 'PAYMENT_DECLINED' },
      });
    } finally {
      rig.provider.failureRate = 0;
    }
    expect(await rig.rows(purchase.purchaseId)).toEqual([]);
    expect(await rig.paymentEvents(purchase.purchaseId)).toEqual([]);
  });

  it('a provider outage answers 503 PAYMENT_PROVIDER_UNAVAILABLE; the same purchase pays once it is back', async () => {
    const purchase = aPurchase();
    rig.provider.outage = true;
    try {
      expect(await rig.authorizeAsBuyer(purchase)).toMatchObject({
        status: 503,
        body: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' },
      });
    } finally {
      rig.provider.outage = false;
    }
    expect(await rig.rows(purchase.purchaseId)).toEqual([]);
    expect((await rig.authorizeAsBuyer(purchase)).status).toBe(200);
  });

  it('reusing a paid purchase id with another amount answers 409 PAYMENT_MISMATCH', async () => {
    const purchase = aPurchase();
    await rig.authorizeAsBuyer(purchase);
    expect(await rig.authorizeAsBuyer({ ...purchase, amountKrw: 1 })).toMatchObject({
      status: 409,
      body: { code: 'PAYMENT_MISMATCH', field: 'amountKrw' },
    });
  });

  it('looking a payment up answers its buyer and seller, 403 for others, 404 when there is none, 401 without a token', async () => {
    const purchase = aPurchase();
    const { body } = await rig.authorizeAsBuyer(purchase);
    const as = async (memberId: string) =>
      rig.lookUp(purchase.purchaseId, { authorization: `Bearer ${await rig.token(memberId)}` });

    const expected = {
      paymentId: body.paymentId,
      ...purchase,
      status: 'COMPLETED',
      completedAt: expect.any(String),
      cancelledAt: null,
    };
    expect(await as(purchase.buyerId)).toEqual({ status: 200, body: expected });
    expect(await as(purchase.sellerId)).toEqual({ status: 200, body: expected });
    expect(await as('someone-else')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(
      await rig.lookUp(aPurchase().purchaseId, {
        authorization: `Bearer ${await rig.token(purchase.buyerId)}`,
      }),
    ).toMatchObject({
      status: 404,
      body: { code: 'PAYMENT_NOT_FOUND' },
    });
    expect(await rig.lookUp(purchase.purchaseId)).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
  });
});
