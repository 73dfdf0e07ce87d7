import { InvalidToken, type Identity, type TokenVerifier } from './access-token.js';

/** A member who withdrew, or one session that was logged out. */
export type Revocation =
  | { kind: 'member'; memberId: string; at: Date }
  | { kind: 'session'; memberId: string; sessionId: string; at: Date };

type Listener = (revocation: Revocation) => void;

/**
 * The access tokens that are signed and unexpired but no longer honoured: every token of a member
 * who withdrew, every token of a logged-out session. Fed by the event stream (revocation-feed.ts)
 * and consulted after the signature has been verified. An entry is forgotten once every token it
 * could concern has expired anyway (the maximum token lifetime after the revocation), so the list
 * stays as small as the revocations of the last quarter hour.
 */
export class RevocationList {
  private readonly members = new Map<string, number>();
  private readonly sessions = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private prunedAt = 0;

  constructor(
    private readonly retainMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(revocation: Revocation): void {
    const until = revocation.at.getTime() + this.retainMs;
    if (until <= this.now()) return; // every token it concerns has expired already
    if (revocation.kind === 'member') this.members.set(revocation.memberId, until);
    else this.sessions.set(revocation.sessionId, until);
    for (const listener of this.listeners) listener(revocation);
    this.prune();
  }

  isRevoked(identity: Pick<Identity, 'memberId' | 'sessionId'>): boolean {
    const now = this.now();
    const member = this.members.get(identity.memberId);
    if (member !== undefined && member > now) return true;
    const session = identity.sessionId ? this.sessions.get(identity.sessionId) : undefined;
    return session !== undefined && session > now;
  }

  /** Called for each revocation as it arrives (the gateway closes the sockets it concerns). */
  onRevoked(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.members.size + this.sessions.size;
  }

  private prune(): void {
    const now = this.now();
    if (now - this.prunedAt < 60_000) return;
    this.prunedAt = now;
    for (const map of [this.members, this.sessions])
      for (const [key, until] of map) if (until <= now) map.delete(key);
  }
}

/** A verifier that also refuses revoked tokens, checked after the signature and the claims. */
export function refusingRevoked(verify: TokenVerifier, revocations: RevocationList): TokenVerifier {
  return async (token) => {
    const identity = await verify(token);
    if (revocations.isRevoked(identity)) throw new InvalidToken('revoked');
    return identity;
  };
}
