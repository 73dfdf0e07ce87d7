import { createServiceTokenSigner, generateServiceKeys } from '@gaji/platform/auth';
import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPurchase, aPurchaseEnvelope, PaymentRig } from '../payment-rig.js';

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
    const answer = await rig.authorizeAsPurchase(purchase);

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
    const first = await rig.authorizeAsPurchase(purchase);
    const second = await rig.authorizeAsPurchase(purchase);

    expect(second).toEqual(first);
    expect(await rig.rows(purchase.purchaseId)).toHaveLength(1);
    expect(await rig.paymentEvents(purchase.purchaseId)).toHaveLength(1);
  });

  it('ten identical requests at once end with one payment that all ten callers get', async () => {
    const purchase = aPurchase();
    const chargesBefore = rig.provider.chargeCount;
    const answers = await Promise.all(Array.from({ length: 10 }, () => rig.authorizeAsPurchase(purchase)));

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((answer) => answer.body.paymentId)).size).toBe(1);
    expect(await rig.rows(purchase.purchaseId)).toHaveLength(1);
    expect(await rig.paymentEvents(purchase.purchaseId)).toHaveLength(1);
    expect(rig.provider.chargeCount - chargesBefore).toBe(1);
  });

  it("a member's own access token answers 401 SERVICE_UNAUTHENTICATED: no member can charge or sell someone's product", async () => {
    // The forgery that was found: a member paying 1 KRW for someone else's listing, as their own buyer and seller.
    const me = aPurchase().buyerId;
    const forged = { ...aPurchase(), buyerId: me, sellerId: me, amountKrw: 1 };
    const correlation = { 'gaji-correlation-id': forged.purchaseId };
    const expired = await rig.issuer.sign(me, { expiresInSeconds: -60 });
    for (const authorization of [
      `Bearer ${await rig.token(me)}`,
      `Bearer ${expired}`,
      undefined,
      'Bearer not-a-token',
      'Basic abc',
    ]) {
      const answer = await rig.authorize(
        forged,
        authorization ? { ...correlation, authorization } : correlation,
      );
      expect(answer).toMatchObject({ status: 401, body: { code: 'SERVICE_UNAUTHENTICATED' } });
    }
    expect(await rig.rows(forged.purchaseId)).toEqual([]);
    expect(rig.provider.chargeFor(forged.purchaseId)).toBeUndefined();
  });

  it("purchase's signature for one request does not carry over to another body, path or method", async () => {
    const signed = aPurchase();
    const tampered = { ...signed, amountKrw: 1 };
    const signature = await rig.purchaseSignature('POST', '/internal/payments', JSON.stringify(signed));
    const correlation = { 'gaji-correlation-id': signed.purchaseId };
    expect(await rig.authorize(tampered, { ...signature, ...correlation })).toMatchObject({
      status: 401,
      body: { code: 'SERVICE_UNAUTHENTICATED' },
    });
    expect(await rig.lookUp(signed.purchaseId, signature)).toMatchObject({ status: 401 });
    expect(await rig.rows(signed.purchaseId)).toEqual([]);
  });

  it('a key payment does not trust, or a trusted key of a service not allowed here, is refused', async () => {
    const purchase = aPurchase();
    const body = JSON.stringify(purchase);
    const strangers = await generateServiceKeys(['purchase', 'product']);
    for (const caller of ['purchase', 'product'] as const) {
      const sign = createServiceTokenSigner(JSON.parse(strangers.signingKeys[caller] ?? '{}'));
      const token = await sign('payment', { method: 'POST', path: '/internal/payments', body });
      const answer = await rig.authorize(body, {
        authorization: `Bearer ${token}`,
        'gaji-correlation-id': purchase.purchaseId,
      });
      expect(answer).toMatchObject({ status: 401, body: { code: 'SERVICE_UNAUTHENTICATED' } });
    }
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
        ...(await rig.purchaseSignature(
          'POST',
          '/internal/payments',
          JSON.stringify({ ...purchase, ...overrides }),
        )),
        'gaji-correlation-id': purchase.purchaseId,
      },
    );
    expect(answer).toMatchObject({ status: 400, body: { code: 'BAD_USER_INPUT', field } });
    // In words — the schema's naming the field, or the domain's own — never zod's ("Invalid input: …").
    const { message } = answer.body as { message: string };
    expect(message).toMatch(new RegExp(`^(${field} (must|is) .*|The .*)\\.$`));
  });

  it('malformed JSON or a missing Gaji-Correlation-Id answers 400 BAD_USER_INPUT', async () => {
    const purchase = aPurchase();
    const malformed = '{"purchaseId":';
    expect(
      await rig.authorize(malformed, {
        ...(await rig.purchaseSignature('POST', '/internal/payments', malformed)),
        'gaji-correlation-id': purchase.purchaseId,
      }),
    ).toMatchObject({
      status: 400,
      body: { code: 'BAD_USER_INPUT' },
    });
    const signed = await rig.purchaseSignature('POST', '/internal/payments', JSON.stringify(purchase));
    expect(await rig.authorize(purchase, signed)).toMatchObject({
      status: 400,
      body: { code: 'BAD_USER_INPUT', field: 'Gaji-Correlation-Id' },
    });
  });

  it('a body nested more than 64 deep, signed by purchase or not, answers 400 JSON_TOO_DEEP before anything reads it, and charges nothing', async () => {
    // 5,000 levels of arrays are 10 KB, within the 16 KB an internal body may have.
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const purchase = aPurchase();
    const terms = JSON.stringify(purchase);
    const bodies = {
      'an extra field': `${terms.slice(0, -1)},"extra":${deep}}`,
      'the purchase id': terms.replace(`"${purchase.purchaseId}"`, deep),
      'the whole body': deep,
    };
    const correlation = { 'gaji-correlation-id': purchase.purchaseId };
    const tooDeep = {
      status: 400,
      body: { code: 'JSON_TOO_DEEP', maxDepth: 64, message: expect.stringContaining('64') },
    };
    for (const [where, body] of Object.entries(bodies)) {
      const signed = await rig.purchaseSignature('POST', '/internal/payments', body);
      expect
        .soft(await rig.authorize(body, { ...signed, ...correlation }), `${where}, signed`)
        .toMatchObject(tooDeep);
      expect.soft(await rig.authorize(body, correlation), `${where}, unsigned`).toMatchObject(tooDeep);
    }
    const refundPath = `/internal/payments/${purchase.purchaseId}/refund`;
    const refund = await fetch(`${rig.service.internalUrl}${refundPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await rig.purchaseSignature('POST', refundPath, deep)),
      },
      body: deep,
    });
    expect.soft({ status: refund.status, body: await refund.json() }, 'refund').toMatchObject(tooDeep);
    expect(await rig.rows(purchase.purchaseId)).toEqual([]);
    expect(rig.provider.chargeFor(purchase.purchaseId)).toBeUndefined();
  });

  it('a body in a charset other than UTF-8, where the depth scan cannot see brackets, answers 415 UNSUPPORTED_CHARSET', async () => {
    const purchase = aPurchase();
    const utf16 = Buffer.from(JSON.stringify(purchase), 'utf16le');
    const signed = await rig.purchaseSignature('POST', '/internal/payments', utf16.toString('latin1'));
    const response = await fetch(`${rig.service.internalUrl}/internal/payments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-16le',
        'gaji-correlation-id': purchase.purchaseId,
        ...signed,
      },
      body: utf16,
    });
    expect({ status: response.status, body: await response.json() }).toMatchObject({
      status: 415,
      body: { code: 'UNSUPPORTED_CHARSET' },
    });
  });

  it('a declined charge answers 402 PAYMENT_DECLINED and stores and publishes nothing', async () => {
    const purchase = aPurchase();
    rig.provider.failureRate = 1;
    try {
      expect(await rig.authorizeAsPurchase(purchase)).toMatchObject({
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
      expect(await rig.authorizeAsPurchase(purchase)).toMatchObject({
        status: 503,
        body: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' },
      });
    } finally {
      rig.provider.outage = false;
    }
    expect(await rig.rows(purchase.purchaseId)).toEqual([]);
    expect((await rig.authorizeAsPurchase(purchase)).status).toBe(200);
  });

  it('reusing a paid purchase id with another amount answers 409 PAYMENT_MISMATCH', async () => {
    const purchase = aPurchase();
    await rig.authorizeAsPurchase(purchase);
    expect(await rig.authorizeAsPurchase({ ...purchase, amountKrw: 1 })).toMatchObject({
      status: 409,
      body: { code: 'PAYMENT_MISMATCH', field: 'amountKrw' },
    });
  });

  it('looking a payment up answers purchase, 404 when there is none, 400 for a malformed id, 401 for a member', async () => {
    const purchase = aPurchase();
    const { body } = await rig.authorizeAsPurchase(purchase);
    expect(await rig.lookUp(purchase.purchaseId)).toEqual({
      status: 200,
      body: {
        paymentId: body.paymentId,
        ...purchase,
        status: 'COMPLETED',
        completedAt: expect.any(String),
        cancelledAt: null,
      },
    });
    expect(await rig.lookUp(aPurchase().purchaseId)).toMatchObject({
      status: 404,
      body: { code: 'PAYMENT_NOT_FOUND' },
    });
    for (const malformed of ['%00', 'a%20b', '%F0%9F%92%A5'])
      expect(await rig.lookUp(malformed)).toMatchObject({
        status: 400,
        body: { code: 'BAD_USER_INPUT', field: 'purchaseId' },
      });
    expect(
      await rig.lookUp(purchase.purchaseId, { authorization: `Bearer ${await rig.token(purchase.buyerId)}` }),
    ).toMatchObject({ status: 401, body: { code: 'SERVICE_UNAUTHENTICATED' } });
  });

  it('refunding a cancelled purchase gives the money back now (200 CANCELLED), and PaymentCancelled follows its PurchaseCancelled, once', async () => {
    const purchase = aPurchase();
    const { body } = await rig.authorizeAsPurchase(purchase);
    const refunded = {
      status: 200,
      body: {
        paymentId: body.paymentId,
        ...purchase,
        status: 'CANCELLED',
        completedAt: expect.any(String),
        cancelledAt: expect.any(String),
      },
    };
    expect(await rig.refund(purchase.purchaseId)).toEqual(refunded);
    expect(rig.provider.chargeFor(purchase.purchaseId)?.refunded).toBe(true);
    // Asked again (a retried cancel): the same answer, nothing more.
    expect(await rig.refund(purchase.purchaseId)).toEqual(refunded);
    // No PaymentCancelled before the PurchaseCancelled that causes it is in the stream.
    expect((await rig.paymentEvents(purchase.purchaseId)).map((event) => event.type)).toEqual([
      'PaymentCompleted',
    ]);
    const cancelled = aPurchaseEnvelope('PurchaseCancelled', purchase);
    await rig.publish(cancelled);
    const marker = aPurchase();
    await rig.authorizeAsPurchase(marker);
    await rig.publish(aPurchaseEnvelope('PurchaseCancelled', marker));
    await eventually(async () => expect((await rig.rows(marker.purchaseId))[0]?.status).toBe('CANCELLED'));

    const events = await rig.paymentEvents(purchase.purchaseId);
    expect(events.map((event) => event.type)).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    // Announced when the cancellation arrived, caused by it, dated when the money went back.
    expect(events[1]).toMatchObject({
      aggregateId: body.paymentId,
      correlationId: purchase.purchaseId,
      causationId: cancelled.id,
      payload: { reason: 'PURCHASE_CANCELLED' },
    });
  });

  it('the refund call racing the PurchaseCancelled event refunds once: one PaymentCancelled per purchase', async () => {
    const purchases = Array.from({ length: 6 }, () => aPurchase());
    for (const purchase of purchases) await rig.authorizeAsPurchase(purchase);
    const answers = await Promise.all(
      purchases.map(async (purchase) => {
        const cancelled = aPurchaseEnvelope('PurchaseCancelled', purchase);
        await rig.publish(cancelled);
        return rig.refund(purchase.purchaseId);
      }),
    );
    expect(answers.map((answer) => [answer.status, answer.body.status])).toEqual(
      Array(6).fill([200, 'CANCELLED']),
    );
    // Either may come first here (the forced race, where the event's refund loses the version race
    // and looks again, is in payment-use-cases.unit.test.ts); every order ends with one refund and
    // one PaymentCancelled after its PurchaseCancelled.
    for (const purchase of purchases)
      await eventually(
        async () =>
          expect((await rig.paymentEvents(purchase.purchaseId)).map((event) => event.type)).toEqual([
            'PaymentCompleted',
            'PaymentCancelled',
          ]),
        20_000,
      );
  });

  it('refunding answers 404 when nothing was charged, 400 for a malformed id, 401 for a member, 503 while the provider is down', async () => {
    expect(await rig.refund(aPurchase().purchaseId)).toMatchObject({
      status: 404,
      body: { code: 'PAYMENT_NOT_FOUND' },
    });
    for (const malformed of ['%00', 'a%20b'])
      expect(await rig.refund(malformed)).toMatchObject({
        status: 400,
        body: { code: 'BAD_USER_INPUT', field: 'purchaseId' },
      });
    const purchase = aPurchase();
    await rig.authorizeAsPurchase(purchase);
    expect(
      await rig.refund(purchase.purchaseId, { authorization: `Bearer ${await rig.token(purchase.buyerId)}` }),
    ).toMatchObject({ status: 401, body: { code: 'SERVICE_UNAUTHENTICATED' } });
    rig.provider.outage = true;
    try {
      expect(await rig.refund(purchase.purchaseId)).toMatchObject({
        status: 503,
        body: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' },
      });
    } finally {
      rig.provider.outage = false;
    }
    expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('COMPLETED');
    expect((await rig.refund(purchase.purchaseId)).body.status).toBe('CANCELLED');
  });
});
