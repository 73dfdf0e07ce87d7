import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { planOf, thePlanner } from '../support/live.fixtures.js';

describe('subscription planner', () => {
  it('plans the subscription field as a fetch to the subgraph that declares it, and the rest as entity fetches', () => {
    const plan = planOf(
      'subscription { purchaseStatusChanged { cursor purchase { id status product { title } payment { amountKrw } } } }',
    );

    expect(plan.primary.serviceName).toBe('purchase');
    expect(plan.primary.operation).toContain('purchaseStatusChanged');
    const fetched = JSON.stringify(plan.rest);
    expect(fetched).toContain('"serviceName":"product"');
    expect(fetched).toContain('"serviceName":"payment"');
  });

  it('a selection its declaring subgraph answers alone has no rest', () => {
    expect(planOf('subscription { myPageChanged { cursor event occurredAt } }').rest).toBeUndefined();
  });

  it('plans an operation once and serves the same plan for the same text and name', () => {
    const source = 'subscription Live { purchaseStatusChanged { cursor } }';
    const planner = thePlanner();
    expect(planner.plan(parse(source), source, 'Live')).toBe(planner.plan(parse(source), source, 'Live'));
  });

  it('refuses to plan a query: only subscriptions are executed from events', () => {
    const source = '{ products(first: 1) { edges { cursor } } }';
    expect(() => thePlanner().plan(parse(source), source)).toThrow(/not a subscription/);
  });
});
