import { GraphQLError } from 'graphql';

/**
 * Replays under way, up to a maximum. Each replay reads the stream with a JetStream consumer of
 * its own for as long as it runs (the live fan-out needs none per client), so how many run at
 * once is bounded: per socket, so one client cannot hold many, and per gateway.
 */
export class ReplaySlots {
  private inUse = 0;

  constructor(readonly max: number) {}

  /** A slot, released by calling what it returns (once is enough; more are no-ops), or undefined when all are taken. */
  take(): (() => void) | undefined {
    if (this.inUse >= this.max) return undefined;
    this.inUse += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
    };
  }

  get size(): number {
    return this.inUse;
  }
}

/** Replays one socket may have under way at once; a resubscription past it is refused (RATE_LIMITED). */
export const MAX_REPLAYS_PER_SOCKET = 4;
/** Replays one gateway may have under way at once, over all its sockets (SERVICE_BUSY past it). */
export const MAX_REPLAYS_PER_GATEWAY = 128;

/**
 * A slot of the socket's and one of the gateway's for a replay, or the typed refusal: the client
 * waits `retryAfterSeconds` and subscribes again with the same cursor (nothing is lost meanwhile).
 */
export function takeReplaySlots(socket: ReplaySlots | undefined, gateway: ReplaySlots): () => void {
  const ofSocket = socket ? socket.take() : () => undefined;
  if (!ofSocket)
    throw new GraphQLError(
      `Too many subscriptions resuming at once on this connection (${socket!.max}); try again in 1 s.`,
      { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } },
    );
  const ofGateway = gateway.take();
  if (!ofGateway) {
    ofSocket();
    throw new GraphQLError('Too many subscriptions are resuming right now; try again in 1 s.', {
      extensions: { code: 'SERVICE_BUSY', retryAfterSeconds: 1 },
    });
  }
  return () => {
    ofGateway();
    ofSocket();
  };
}
