import type { Identity, Revocation } from '@gaji/platform/auth';
import { MAX_REPLAYS_PER_SOCKET, ReplaySlots } from './replay-slots.js';
import { SOCKET_CLOSE } from './socket-close.js';

/** One open graphql-ws socket: where it came from, who signed in on it, what it subscribed to. */
export interface ClientSocket {
  address: string;
  identity?: Identity;
  subscriptions: Set<string>;
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

  constructor(
    private readonly limits: { maxConnectionsPerAddress: number; maxSubscriptionsPerAddress: number },
  ) {}

  /** Registers a socket about to open, or answers undefined when its address has too many. */
  open(address: string): ClientSocket | undefined {
    const sockets = this.byAddress.get(address) ?? new Set<ClientSocket>();
    if (sockets.size >= this.limits.maxConnectionsPerAddress) return undefined;
    const socket: ClientSocket = {
      address,
      subscriptions: new Set(),
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

  /** Counts a subscription against its address, or answers false when the address has too many. */
  subscribe(socket: ClientSocket, id: string): boolean {
    let count = 0;
    for (const other of this.byAddress.get(socket.address) ?? []) count += other.subscriptions.size;
    if (count >= this.limits.maxSubscriptionsPerAddress) return false;
    socket.subscriptions.add(id);
    return true;
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
