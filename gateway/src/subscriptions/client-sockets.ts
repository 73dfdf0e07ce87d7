import type { Identity, Revocation } from '@gaji/platform/auth';
import { MAX_REPLAYS_PER_SOCKET, ReplaySlots } from './replay-slots.js';
import { SOCKET_CLOSE } from './socket-close.js';

/** What an address's sockets may hold open together (gateway README, docs/security.md). */
export interface LiveLimits {
  maxConnectionsPerAddress: number;
  maxSubscriptionsPerAddress: number;
  /** Cost units of a socket's live subscriptions together. */
  maxLiveCostPerSocket: number;
  /** Cost units of an address's live subscriptions together, over its sockets. */
  maxLiveCostPerAddress: number;
}

/** The cap a subscription refused would have broken, as `gaji_rate_limit_refusals_total` names it. */
export type LiveLimit = 'subscriptions per address' | 'live cost per socket' | 'live cost per address';

/** One open graphql-ws socket: where it came from, who signed in on it, what it subscribed to. */
export interface ClientSocket {
  address: string;
  identity?: Identity;
  /** Its live subscriptions by id, each with its admitted cost (operation-limit units). */
  subscriptions: Map<string, number>;
  /** Its subscriptions replaying from a cursor now, each with a stream consumer of its own. */
  replays: ReplaySlots;
  close(code: number, reason: string): void;
}

/**
 * The sockets this gateway holds, for the per-address caps on connections and subscriptions, and
 * to close at once every socket of a member who withdrew or a session that logged out (4403).
 * Counts are per replica: a socket lives on exactly one, and nothing leaks when one goes down.
 */
export class ClientSockets {
  private readonly byAddress = new Map<string, Set<ClientSocket>>();

  constructor(private readonly limits: LiveLimits) {}

  /** Registers a socket about to open, or answers undefined when its address has too many. */
  open(address: string): ClientSocket | undefined {
    const sockets = this.byAddress.get(address) ?? new Set<ClientSocket>();
    if (sockets.size >= this.limits.maxConnectionsPerAddress) return undefined;
    const socket: ClientSocket = {
      address,
      subscriptions: new Map(),
      replays: new ReplaySlots(MAX_REPLAYS_PER_SOCKET),
      close: () => undefined,
    };
    sockets.add(socket);
    this.byAddress.set(address, sockets);
    return socket;
  }

  /** Sockets registered, over every address. */
  get size(): number {
    let count = 0;
    for (const sockets of this.byAddress.values()) count += sockets.size;
    return count;
  }

  closed(socket: ClientSocket): void {
    const sockets = this.byAddress.get(socket.address);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.byAddress.delete(socket.address);
  }

  /**
   * Counts a subscription against its socket's and address's caps, or answers the cap it would
   * break. Its cost is what its frames may weigh (about 280 bytes of JSON a unit at most: a unit is
   * 100 characters of text), so the costs summed bound the frames one event builds for a socket and
   * for an address, where the count alone let 200 copies of a 10,000-unit subscription stand.
   */
  subscribe(socket: ClientSocket, id: string, cost: number): LiveLimit | undefined {
    let count = 0;
    let addressCost = 0;
    for (const other of this.byAddress.get(socket.address) ?? [])
      for (const each of other.subscriptions.values()) {
        count += 1;
        addressCost += each;
      }
    if (count >= this.limits.maxSubscriptionsPerAddress) return 'subscriptions per address';
    let socketCost = 0;
    for (const each of socket.subscriptions.values()) socketCost += each;
    if (socketCost + cost > this.limits.maxLiveCostPerSocket) return 'live cost per socket';
    if (addressCost + cost > this.limits.maxLiveCostPerAddress) return 'live cost per address';
    socket.subscriptions.set(id, cost);
    return undefined;
  }

  completed(socket: ClientSocket, id: string): void {
    socket.subscriptions.delete(id);
  }

  /** Closes every socket the revocation concerns: the client must sign in again. */
  closeRevoked(revocation: Revocation): void {
    for (const sockets of this.byAddress.values())
      for (const socket of sockets) {
        const identity = socket.identity;
        if (!identity || identity.memberId !== revocation.memberId) continue;
        if (revocation.kind === 'member' || identity.sessionId === revocation.sessionId)
          socket.close(SOCKET_CLOSE.sessionEnded.code, SOCKET_CLOSE.sessionEnded.reason);
      }
  }
}
