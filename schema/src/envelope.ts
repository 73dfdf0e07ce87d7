import { z } from 'zod';

/**
 * The wire format of every domain event. Producers build it, consumers parse it, and both sides
 * validate the payload against the contract of its type and version (see ./events).
 */
export const eventEnvelopeSchema = z.object({
  /** Unique per event; also the JetStream msgID, so the server drops duplicates on re-publish. */
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  /** Ties every event of one business flow together (the purchase id for the purchase flow). */
  correlationId: z.string().min(1),
  /** The id of the event (or command) that caused this one; null for an event a person started. */
  causationId: z.string().min(1).nullable(),
  payload: z.unknown(),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;
