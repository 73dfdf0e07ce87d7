import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GraphQLDataSource } from '@apollo/gateway';
import {
  eventContracts,
  parseDomainEvent,
  type DomainEventMessage,
  type EventPayload,
  type EventType,
} from '@gaji/contracts';
import type { RequestContext } from '@gaji/platform/graphql';
import { createLogger } from '@gaji/platform/logging';
import { parse } from 'graphql';
import { withSecurityFeaturesEnforcedByGateway } from '../../src/auth/security-features.js';
import { supergraphPath } from '../../src/composition/subgraph-registry.js';
import type { StreamEvent } from '../../src/subscriptions/live-events.js';
import { SubscriptionPlanner, type SubscriptionPlan } from '../../src/subscriptions/subscription-planner.js';

export const logger = createLogger('gateway-test', 'silent');

/** The committed supergraph, as the gateway executes it. */
export const supergraphSdl = withSecurityFeaturesEnforcedByGateway(readFileSync(supergraphPath, 'utf8'));

let planner: SubscriptionPlanner | undefined;
/** One planner for a test file: building one composes the query planner (a few hundred ms). */
export const thePlanner = () => (planner ??= new SubscriptionPlanner(supergraphSdl));

export function planOf(source: string): SubscriptionPlan {
  return thePlanner().plan(parse(source), source);
}

/** Object mother: a domain event as the stream reader hands it over, checked against its contract. */
export function aStreamEvent<T extends EventType>(
  type: T,
  payload: EventPayload<T>,
  sequence: number,
): StreamEvent {
  const event: DomainEventMessage = parseDomainEvent({
    id: randomUUID(),
    type,
    version: 1,
    aggregateType: eventContracts[type].aggregateType,
    aggregateId: randomUUID(),
    occurredAt: '2026-11-25T10:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    payload,
  });
  return { sequence, event };
}

export const aDeal = () => ({
  purchaseId: randomUUID(),
  productId: randomUUID(),
  buyerId: randomUUID(),
  sellerId: randomUUID(),
});

export const asMember = (memberId: string): RequestContext => ({
  identity: { memberId, scopes: ['member'], token: `token-of-${memberId}` },
});

type Answer = (request: { query: string; variables: Record<string, unknown> }) => {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/**
 * A subgraph standing in for the real one in unit tests: answers what the test scripts, remembers
 * every request and the token it was sent with, and can be made unreachable.
 */
export class ScriptedSubgraph implements GraphQLDataSource<RequestContext> {
  readonly requests: { query: string; variables: Record<string, unknown>; token?: string }[] = [];
  unreachableFor = 0;

  constructor(private readonly answer: Answer) {}

  async process(options: Parameters<GraphQLDataSource<RequestContext>['process']>[0]) {
    const query = options.request.query ?? '';
    const variables = options.request.variables ?? {};
    const token = (options.context as RequestContext | undefined)?.identity?.token;
    this.requests.push({ query, variables, ...(token ? { token } : {}) });
    if (this.unreachableFor > 0) {
      this.unreachableFor--;
      throw new Error('connect ECONNREFUSED');
    }
    return this.answer({ query, variables });
  }
}

/** `_entities` answers, one per representation, from a function of the representation. */
export const entities =
  (of: (representation: Record<string, unknown>) => Record<string, unknown> | null): Answer =>
  ({ variables }) => ({
    data: {
      _entities: (variables.representations as Record<string, unknown>[]).map((representation) =>
        of(representation),
      ),
    },
  });
