import { AsyncLocalStorage } from 'node:async_hooks';

/** Which flow an event belongs to, and what caused it. */
export interface Causation {
  correlationId: string;
  causationId: string | null;
}

const current = new AsyncLocalStorage<Causation>();

/**
 * Runs `work` with `causation` as the cause of every event it records. The consumer sets it to
 * the incoming event (same correlation id, causation id = that event's id), so a policy's events
 * stay tied to the flow that triggered them without every use case passing ids around.
 */
export function withCausation<T>(causation: Causation, work: () => Promise<T>): Promise<T> {
  return current.run(causation, work);
}

export function currentCausation(): Causation | undefined {
  return current.getStore();
}
