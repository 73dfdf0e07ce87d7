import type { ServiceMap } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import { clientErrorFormatter, formatForClient } from '../../src/http/client-errors.js';
import { SubgraphUnreachable } from '../../src/http/subgraph-unavailable.js';
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

type ProductAnswer = ConstructorParameters<typeof ScriptedSubgraph>[0];

/** A frame whose `product` comes from the product subgraph (the plan's `rest`), as the socket sends it. */
async function frameWith(productAnswer: ProductAnswer, production = false) {
  const deal = aDeal();
  const purchase = new ScriptedSubgraph(
    entities(({ id }) => ({
      __typename: 'Purchase',
      id,
      product: { __typename: 'Product', id: deal.productId },
    })),
  );
  const services: ServiceMap = { purchase, product: new ScriptedSubgraph(productAnswer) };
  const executor = new SubscriptionExecutor(
    thePlanner(),
    services,
    logger,
    new EntityHydration(services, [0]),
  );
  const placed = aStreamEvent('PurchasePlaced', { ...deal, priceKrw: 12_000, paymentId: 'pay-1' }, 57);
  const plan = planOf(
    'subscription { purchaseStatusChanged { cursor change purchase { id product { title } } } }',
  );
  const result = await executor.execute(plan, purchaseStatusChanged, placed, asMember(deal.buyerId), {});
  return {
    result,
    errors: formatForClient(clientErrorFormatter(logger, production), result.errors ?? []),
  };
}

const unreachable =
  (reason: string): ProductAnswer =>
  () => {
    throw new SubgraphUnreachable('product', reason);
  };

describe('errors of a live frame', () => {
  it('a subgraph of the rest of the plan refusing connections gives SUBGRAPH_UNAVAILABLE with the cursor', async () => {
    const { errors } = await frameWith(unreachable('connect ECONNREFUSED 127.0.0.1:4002'));
    expect(errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'SUBGRAPH_UNAVAILABLE',
          cursor: '57',
          serviceName: 'product',
        }),
      }),
    ]);
  });

  it('a subgraph of the rest of the plan timing out gives SUBGRAPH_UNAVAILABLE with the cursor', async () => {
    const { errors } = await frameWith(unreachable('Headers Timeout Error'));
    expect(errors[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', cursor: '57' });
  });

  it('a subgraph of the rest of the plan answering an error passes its code on, with the cursor', async () => {
    const { errors } = await frameWith(() => ({
      data: { _entities: [null] },
      errors: [{ message: 'Not yours.', extensions: { code: 'FORBIDDEN' } }],
    }));
    expect(errors[0]).toMatchObject({
      message: 'Not yours.',
      extensions: { code: 'FORBIDDEN', cursor: '57' },
    });
  });

  it('anything else thrown by a fetch is INTERNAL_SERVER_ERROR without its text, with the cursor', async () => {
    const { errors } = await frameWith(() => {
      throw new Error('secret internals at /srv/product');
    });
    expect(errors).toEqual([
      {
        message: 'Something went wrong on our side; please try again.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', cursor: '57' },
      },
    ]);
  });

  it('in production a frame names no internal service, as HTTP answers', async () => {
    const down = await frameWith(unreachable('connect ECONNREFUSED 127.0.0.1:4002'), true);
    expect(down.errors[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', cursor: '57' });
    const refused = await frameWith(
      () => ({
        data: { _entities: [null] },
        errors: [{ message: 'Not yours.', extensions: { code: 'FORBIDDEN' } }],
      }),
      true,
    );
    expect(JSON.stringify([down.errors, refused.errors])).not.toMatch(
      /serviceName|product service|127\.0\.0\.1/,
    );
  });
});
