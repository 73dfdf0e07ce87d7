import type { ServiceMap } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import { SubgraphStatusFailure } from '../../src/http/subgraph-status-failure.js';
import { EntityHydration } from '../../src/subscriptions/entity-hydration.js';
import { purchaseStatusChanged } from '../../src/subscriptions/live-events.js';
import { SubscriptionExecutor } from '../../src/subscriptions/subscription-executor.js';
import {
  aDeal,
  asMember,
  aStreamEvent,
  entities,
  logger,
  planOf,
  ScriptedSubgraph,
  thePlanner,
} from '../support/live.fixtures.js';

/** An executor over `purchase` alone whose entity loads are retried twice, at once. */
const retryingTwice = (purchase: ScriptedSubgraph) =>
  new SubscriptionExecutor(thePlanner(), { purchase }, logger, new EntityHydration({ purchase }, [0, 0]));

function given() {
  const deal = aDeal();
  const purchase = new ScriptedSubgraph(
    entities(({ id }) => ({
      __typename: 'Purchase',
      id,
      paidAt: '2026-11-25T10:00:00.000Z',
      product: { __typename: 'Product', id: deal.productId },
    })),
  );
  const product = new ScriptedSubgraph(
    entities(({ id }) => ({ __typename: 'Product', id, title: 'Eggplant lamp' })),
  );
  const services: ServiceMap = { purchase, product };
  const executor = new SubscriptionExecutor(
    thePlanner(),
    services,
    logger,
    new EntityHydration(services, [0, 0]),
  );
  const placed = aStreamEvent('PurchasePlaced', { ...deal, priceKrw: 12_000, paymentId: 'pay-1' }, 41);
  return { deal, purchase, product, executor, placed };
}

describe('subscription executor', () => {
  it('answers a selection the event states (cursor, change, status, price) without calling any subgraph', async () => {
    const { deal, purchase, product, executor, placed } = given();
    const plan = planOf(
      'subscription { purchaseStatusChanged { cursor change purchase { id status priceKrw } } }',
    );

    const result = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});

    expect(result).toEqual({
      data: {
        purchaseStatusChanged: {
          cursor: '41',
          change: 'PLACED',
          purchase: { id: deal.purchaseId, status: 'PAID', priceKrw: 12_000 },
        },
      },
    });
    expect(purchase.requests).toEqual([]);
    expect(product.requests).toEqual([]);
  });

  it('loads what the event does not state from the owning subgraph, as the subscriber, then runs the rest of the plan', async () => {
    const { deal, purchase, product, executor, placed } = given();
    const plan = planOf(
      'subscription { purchaseStatusChanged { cursor purchase { id paidAt product { title } } } }',
    );

    const result = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.sellerId), {});

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      purchaseStatusChanged: {
        cursor: '41',
        purchase: {
          id: deal.purchaseId,
          paidAt: '2026-11-25T10:00:00.000Z',
          product: { title: 'Eggplant lamp' },
        },
      },
    });
    expect(purchase.requests).toHaveLength(1);
    expect(purchase.requests[0]).toMatchObject({
      variables: { representations: [{ __typename: 'Purchase', id: deal.purchaseId }] },
      token: `token-of-${deal.sellerId}`,
    });
    expect(product.requests).toHaveLength(1);
  });

  it("one member's devices with the same selection share one load of the entity; another member gets their own", async () => {
    const { deal, purchase, executor, placed } = given();
    const plan = planOf('subscription { purchaseStatusChanged { purchase { id paidAt } } }');

    await Promise.all([
      executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {}),
      executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {}),
      executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.sellerId), {}),
    ]);

    expect(purchase.requests.map((request) => request.token)).toEqual([
      `token-of-${deal.buyerId}`,
      `token-of-${deal.sellerId}`,
    ]);
  });

  it('an entity the subgraph does not return to the subscriber becomes a FORBIDDEN error with the cursor', async () => {
    const deal = aDeal();
    const purchase = new ScriptedSubgraph(entities(() => null));
    const executor = new SubscriptionExecutor(thePlanner(), { purchase }, logger);
    const placed = aStreamEvent('PurchasePlaced', { ...deal, priceKrw: 1_000, paymentId: 'pay-2' }, 7);
    const plan = planOf('subscription { purchaseStatusChanged { purchase { paidAt } } }');

    const result = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});

    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', cursor: '7' }]);
  });

  it("a subgraph's own refusal is passed on with its code and not retried", async () => {
    const deal = aDeal();
    const purchase = new ScriptedSubgraph(() => ({
      errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }],
    }));
    const executor = new SubscriptionExecutor(thePlanner(), { purchase }, logger);
    const placed = aStreamEvent('PurchasePlaced', { ...deal, priceKrw: 1_000, paymentId: 'pay-3' }, 8);
    const plan = planOf('subscription { purchaseStatusChanged { purchase { paidAt } } }');

    const result = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});

    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', cursor: '8' });
    expect(purchase.requests).toHaveLength(1);
  });

  it('an unreachable subgraph is retried; if it stays away the client gets SUBGRAPH_UNAVAILABLE with the cursor', async () => {
    const { deal, purchase, executor, placed } = given();
    const plan = planOf('subscription { purchaseStatusChanged { purchase { paidAt } } }');

    purchase.unreachableFor = 2; // two retries configured: the third attempt succeeds
    const recovered = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});
    expect(recovered.errors).toBeUndefined();
    expect(purchase.requests).toHaveLength(3);

    purchase.unreachableFor = 3;
    const later = aStreamEvent('PurchaseCancelled', deal, 42);
    const failed = await executor.execute(plan, purchaseStatusChanged, later, asMember(deal.buyerId), {});
    expect(failed.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', cursor: '42' });
  });

  it('a selection using operation variables declares them in the entity query and sends the values; other values get their own load', async () => {
    const { deal, purchase, executor, placed } = given();
    const plan = planOf(
      // paidAt is loaded either way: `$b: false` leaves out only what the event states (id).
      'subscription ($b: Boolean!, $unused: Int) { purchaseStatusChanged { purchase { paidAt id @include(if: $b) } } }',
    );

    await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), { b: true });
    await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), { b: false });

    expect(purchase.requests).toHaveLength(2);
    expect(purchase.requests[0]!.query).toMatch(
      /query LiveEntity\(\$representations: \[_Any!\]!, \$b: Boolean!\)/,
    );
    expect(purchase.requests[0]!.query).not.toContain('$unused');
    expect(purchase.requests.map((request) => request.variables.b)).toEqual([true, false]);
  });

  it('a subscriber variable named $representations is declared and sent as theirs; the entity list goes under another name', async () => {
    const { deal, purchase, executor, placed } = given();
    const plan = planOf(
      'subscription ($representations: Boolean!) { purchaseStatusChanged { purchase { id paidAt @include(if: $representations) } } }',
    );

    await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {
      representations: true,
    });

    const [request] = purchase.requests;
    expect(request!.query).toMatch(
      /query LiveEntity\(\$_representations: \[_Any!\]!, \$representations: Boolean!\) \{ _entities\(representations: \$_representations\)/,
    );
    expect(request!.variables).toEqual({
      representations: true,
      _representations: [{ __typename: 'Purchase', id: deal.purchaseId }],
    });
  });

  it('a variable left out (its default applies) and one sent as null get their own loads', async () => {
    const { deal, purchase, executor, placed } = given();
    const plan = planOf(
      'subscription ($b: Boolean = true) { purchaseStatusChanged { purchase { id paidAt @include(if: $b) } } }',
    );

    await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});
    await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), { b: null });

    expect(purchase.requests).toHaveLength(2);
  });

  it('loads no entity the subscriber skipped — @include(if: false), @skip(if: true), by literal, variable or default, on the field or a fragment around it — and answers the frame without it', async () => {
    // Each loaded the purchase from its subgraph for a field the frame then left out.
    const { deal, purchase, product, executor, placed } = given();
    for (const [source, variables] of [
      ['subscription { purchaseStatusChanged { cursor purchase @include(if: false) { id paidAt } } }', {}],
      ['subscription { purchaseStatusChanged { cursor purchase @skip(if: true) { paidAt } } }', {}],
      [
        'subscription ($with: Boolean!) { purchaseStatusChanged { cursor purchase @include(if: $with) { paidAt product { title } } } }',
        { with: false },
      ],
      [
        'subscription ($skip: Boolean = true) { purchaseStatusChanged { cursor purchase @skip(if: $skip) { paidAt } } }',
        {},
      ],
      [
        'subscription ($with: Boolean!) { purchaseStatusChanged { cursor ... @include(if: $with) { purchase { paidAt } } } }',
        { with: false },
      ],
    ] as const) {
      const result = await executor.execute(
        planOf(source),
        purchaseStatusChanged,
        placed,
        asMember(deal.buyerId),
        variables,
      );
      expect(result, source).toEqual({ data: { purchaseStatusChanged: { cursor: '41' } } });
    }
    expect(purchase.requests).toEqual([]);
    expect(product.requests).toEqual([]);
  });

  it('answers from the event alone when the fields it does not state are skipped, and loads them when included', async () => {
    const { deal, purchase, executor, placed } = given();
    const plan = planOf(
      'subscription ($more: Boolean!) { purchaseStatusChanged { purchase { id paidAt @include(if: $more) } } }',
    );

    const without = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {
      more: false,
    });
    expect(without).toEqual({
      data: { purchaseStatusChanged: { purchase: { id: deal.purchaseId } } },
    });
    expect(purchase.requests).toEqual([]);

    const withMore = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {
      more: true,
    });
    expect(withMore.data).toEqual({
      purchaseStatusChanged: {
        purchase: { id: deal.purchaseId, paidAt: '2026-11-25T10:00:00.000Z' },
      },
    });
    expect(purchase.requests).toHaveLength(1);
  });

  it('a 408, 421, 425 or 429 from the subgraph is "not now": retried, then SUBGRAPH_UNAVAILABLE', async () => {
    const { deal, placed } = given();
    for (const status of [408, 421, 425, 429]) {
      const purchase = new ScriptedSubgraph(() => {
        throw new SubgraphStatusFailure('purchase', status, {});
      });
      const executor = retryingTwice(purchase);
      const plan = planOf('subscription { purchaseStatusChanged { purchase { paidAt } } }');

      const result = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});

      expect(result.errors?.[0]?.extensions, String(status)).toEqual({
        code: 'SUBGRAPH_UNAVAILABLE',
        cursor: '41',
      });
      expect(purchase.requests, String(status)).toHaveLength(3);
    }
  });

  it.each(['SERVICE_UNAVAILABLE', 'REQUEST_TIMEOUT', 'SERVICE_BUSY'])(
    'a subgraph answering %s (its "not now", passed on by the data source whatever the status) is retried, then passed on',
    async (code) => {
      const { deal, placed } = given();
      let refusals = 2;
      const paid = entities(({ id }) => ({ __typename: 'Purchase', id, paidAt: '2026-11-25T10:00:00.000Z' }));
      const purchase = new ScriptedSubgraph((request) =>
        refusals-- > 0
          ? { errors: [{ message: 'Try again shortly.', extensions: { code, retryAfterSeconds: 5 } }] }
          : paid(request),
      );
      const executor = retryingTwice(purchase);
      const plan = planOf('subscription { purchaseStatusChanged { purchase { paidAt } } }');

      const recovered = await executor.execute(
        plan,
        purchaseStatusChanged,
        placed,
        asMember(deal.buyerId),
        {},
      );
      expect(recovered.errors).toBeUndefined();
      expect(purchase.requests).toHaveLength(3);

      refusals = 3;
      const later = aStreamEvent('PurchaseCancelled', deal, 42);
      const failed = await executor.execute(plan, purchaseStatusChanged, later, asMember(deal.buyerId), {});
      expect(failed.errors?.[0]?.extensions).toEqual({ code, cursor: '42' });
      expect(purchase.requests).toHaveLength(6);
    },
  );

  it("a subgraph's 4xx refusal of the entity query is not retried, and is passed on with its own code", async () => {
    const { deal, placed } = given();
    const purchase = new ScriptedSubgraph(() => {
      throw new SubgraphStatusFailure('purchase', 400, {
        errors: [
          {
            message: 'Variable "$n" is not defined by operation "LiveEntity".',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
    });
    const refusing = retryingTwice(purchase);
    const plan = planOf('subscription { purchaseStatusChanged { purchase { paidAt } } }');

    const result = await refusing.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});

    expect(result.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', cursor: '41' });
    expect(purchase.requests).toHaveLength(1);
  });

  it.each([
    [401, 'Unauthorized'],
    [403, { errors: [{ message: 'RBAC: access denied' }] }],
  ])(
    "an uncoded %i refused the gateway's call, not the subscriber: INTERNAL_SERVER_ERROR at once, not retried",
    async (status, body) => {
      const { deal, placed } = given();
      const purchase = new ScriptedSubgraph(() => {
        throw new SubgraphStatusFailure('purchase', status, body);
      });
      const refusing = retryingTwice(purchase);
      const plan = planOf('subscription { purchaseStatusChanged { purchase { paidAt } } }');

      const result = await refusing.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});

      expect(result.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', cursor: '41' });
      expect(purchase.requests).toHaveLength(1);
    },
  );
});
