import type { z } from 'zod';
import { memberEvents } from './member.events.js';
import { paymentEvents } from './payment.events.js';
import { productEvents } from './product.events.js';
import { purchaseEvents } from './purchase.events.js';

/**
 * Every domain event of Gaji Market, by its name in the ubiquitous language. Producers and
 * consumers both validate against these; changing a payload incompatibly means a new version.
 */
export const eventContracts = {
  ...memberEvents,
  ...productEvents,
  ...purchaseEvents,
  ...paymentEvents,
} as const;

export type EventType = keyof typeof eventContracts;
export type EventPayload<T extends EventType> = z.infer<(typeof eventContracts)[T]['payload']>;
export type BoundedContext = (typeof eventContracts)[EventType]['context'];

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventContracts, type);

/** `<prefix>.<context>.<EventType>.v<version>`, e.g. `gaji.member.MemberJoined.v1`. */
export function subjectFor(prefix: string, type: EventType): string {
  const contract = eventContracts[type];
  return `${prefix}.${contract.context}.${type}.v${contract.version}`;
}
