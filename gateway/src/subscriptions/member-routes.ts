import type { DomainEventMessage } from '@gaji/contracts';
import { liveFields, type StreamEvent } from './live-events.js';

type Listener = (event: StreamEvent) => void;

/** Every member some live field would deliver this event to (the union of their audiences). */
export function concernedMembers(event: DomainEventMessage): Set<string> {
  const members = new Set<string>();
  for (const live of Object.values(liveFields)) {
    if (!live.events.includes(event.type)) continue;
    for (const member of live.audience(event)) members.add(member);
  }
  return members;
}

/**
 * Live subscriptions indexed by the member they belong to: an event reaches only the
 * subscriptions of the members it concerns, so its cost grows with its recipients, not with the
 * number of open sockets (10,000 idle ones cost nothing per event). Each subscription still checks
 * its own field's events and audience; the index only spares it the events that are not its own.
 */
export class MemberRoutes {
  private readonly byMember = new Map<string, Set<Listener>>();
  private count = 0;

  /** `source`: the gateway's one stream reader (EventFanout). */
  constructor(source: { subscribe(listener: Listener): () => void }) {
    source.subscribe((streamEvent) => this.route(streamEvent));
  }

  subscribe(memberId: string, listener: Listener): () => void {
    let listeners = this.byMember.get(memberId);
    if (!listeners) this.byMember.set(memberId, (listeners = new Set()));
    listeners.add(listener);
    this.count++;
    return () => {
      if (!listeners.delete(listener)) return;
      this.count--;
      if (listeners.size === 0) this.byMember.delete(memberId);
    };
  }

  get subscriberCount(): number {
    return this.count;
  }

  private route(streamEvent: StreamEvent): void {
    for (const member of concernedMembers(streamEvent.event)) {
      const listeners = this.byMember.get(member);
      if (listeners) for (const listener of listeners) listener(streamEvent);
    }
  }
}
