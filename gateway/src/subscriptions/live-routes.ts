import type { DomainEventMessage } from '@gaji/contracts';
import { canonicalId } from '@gaji/platform/uuid';
import { liveFields, type LiveField, type StreamEvent } from './live-events.js';

type Listener = (event: StreamEvent) => void;

/**
 * Where an event is routed: `member:<id>` for every member a private live field would deliver it
 * to (the union of their audiences), `product:<id>` when a public live field carries it (anyone
 * watching that product).
 */
export function routesOf(event: DomainEventMessage): Set<string> {
  const keys = new Set<string>();
  for (const live of Object.values(liveFields)) {
    if (!live.events.includes(event.type)) continue;
    if (live.audience === 'anyone') {
      const productId = (event.payload as { productId?: unknown }).productId;
      if (typeof productId === 'string') keys.add(`product:${canonicalId(productId)}`);
    } else for (const member of live.audience(event)) keys.add(`member:${member}`);
  }
  return keys;
}

/**
 * The route a subscription listens on: its member for a private field, the product its arguments
 * name for a public one (productStatusChanged(productId)); none when it names no product. Product
 * ids are keyed in their canonical form on both sides, so `5F0C…` hears the events of `5f0c…`.
 */
export function routeOfSubscription(
  live: LiveField,
  memberId: string | undefined,
  args: Record<string, unknown>,
): string | undefined {
  if (live.audience !== 'anyone') return memberId === undefined ? undefined : `member:${memberId}`;
  return typeof args.productId === 'string' ? `product:${canonicalId(args.productId)}` : undefined;
}

/**
 * Live subscriptions indexed by route: an event reaches only the subscriptions of the members and
 * products it concerns, so its cost grows with its recipients, not with the number of open
 * sockets (10,000 idle ones cost nothing per event). Each subscription still checks its own
 * field's events, audience and arguments; the index only spares it the events that are not its own.
 */
export class LiveRoutes {
  private readonly byRoute = new Map<string, Set<Listener>>();
  private count = 0;

  /** `source`: the gateway's one stream reader (EventFanout). */
  constructor(source: { subscribe(listener: Listener): () => void }) {
    source.subscribe((streamEvent) => this.route(streamEvent));
  }

  subscribe(route: string, listener: Listener): () => void {
    let listeners = this.byRoute.get(route);
    if (!listeners) this.byRoute.set(route, (listeners = new Set()));
    listeners.add(listener);
    this.count++;
    return () => {
      if (!listeners.delete(listener)) return;
      this.count--;
      if (listeners.size === 0) this.byRoute.delete(route);
    };
  }

  get subscriberCount(): number {
    return this.count;
  }

  private route(streamEvent: StreamEvent): void {
    for (const key of routesOf(streamEvent.event)) {
      const listeners = this.byRoute.get(key);
      if (listeners) for (const listener of listeners) listener(streamEvent);
    }
  }
}
