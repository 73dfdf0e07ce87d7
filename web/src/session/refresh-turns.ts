import type { RefreshOutcome } from './cookie-session-api';
import { fields, isSession } from './session';

/** How long a tab listens for other tabs' claims before it presents the refresh cookie. */
const CLAIM_WINDOW_MS = 100;
/** How long a tab that gave way waits for the other's answer: longer than a refresh may take (8 s). */
const ANSWER_TIMEOUT_MS = 10_000;

type Channel = Pick<BroadcastChannel, 'postMessage'>;
type Claim = { kind: 'refresh-claim'; signIn: string; claim: string; inFlight: boolean };
type Answer = { kind: 'refresh-answer'; signIn: string; outcome: RefreshOutcome };

/**
 * Without Web Locks, the tabs on one sign-in take turns with the shared refresh cookie over their
 * channel: two presenting it at once would end the session (the member service takes a refresh
 * token used twice for a stolen one). A tab that wants to refresh claims the turn and listens for a
 * moment; the lowest claim — or one already in flight, which answers every later claim — presents
 * the cookie and tells the others the outcome, which they take as their own. Best effort: a claim
 * delivered later than the window (a tab the browser has suspended) is not seen in time.
 */
export class RefreshTurns {
  private mine: { signIn: string; claim: string; inFlight: boolean; gaveWay: boolean } | undefined;
  private awaiting: { signIn: string; take: (outcome: RefreshOutcome) => void } | undefined;

  constructor(
    private readonly channel: Channel,
    private readonly refresh: () => Promise<RefreshOutcome>,
  ) {}

  /** A message on the tabs' channel; anything but a well-formed claim or answer is ignored. */
  hear(data: unknown): void {
    if (isAnswer(data)) {
      if (this.awaiting?.signIn === data.signIn) this.awaiting.take(data.outcome);
      return;
    }
    const mine = this.mine;
    if (!isClaim(data) || mine?.signIn !== data.signIn) return;
    if (mine.inFlight)
      this.post({ kind: 'refresh-claim', signIn: mine.signIn, claim: mine.claim, inFlight: true });
    else if (data.inFlight || data.claim < mine.claim) mine.gaveWay = true;
  }

  /** The outcome of one refresh of `signIn`'s cookie: this tab's own, or another tab's it waited for. */
  async take(signIn: string): Promise<RefreshOutcome> {
    const mine = { signIn, claim: crypto.randomUUID(), inFlight: false, gaveWay: false };
    this.mine = mine;
    const answered = new Promise<RefreshOutcome>((take) => (this.awaiting = { signIn, take }));
    const awaiting = this.awaiting;
    try {
      this.post({ kind: 'refresh-claim', signIn, claim: mine.claim, inFlight: false });
      const early = await within(answered, CLAIM_WINDOW_MS, undefined);
      if (early) return early; // another tab's refresh of this sign-in has just returned
      if (mine.gaveWay) return await within(answered, ANSWER_TIMEOUT_MS, { kind: 'unavailable' });
      mine.inFlight = true;
      const outcome = await this.refresh().catch((): RefreshOutcome => ({ kind: 'unavailable' }));
      this.post({ kind: 'refresh-answer', signIn, outcome });
      return outcome;
    } finally {
      if (this.mine === mine) this.mine = undefined;
      if (this.awaiting === awaiting) this.awaiting = undefined;
    }
  }

  private post(message: Claim | Answer): void {
    this.channel.postMessage(message);
  }
}

function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function isClaim(data: unknown): data is Claim {
  const { kind, signIn, claim, inFlight } = fields(data);
  return (
    kind === 'refresh-claim' &&
    typeof signIn === 'string' &&
    typeof claim === 'string' &&
    typeof inFlight === 'boolean'
  );
}

function isAnswer(data: unknown): data is Answer {
  const { kind, signIn, outcome } = fields(data);
  if (kind !== 'refresh-answer' || typeof signIn !== 'string') return false;
  const { kind: outcomeKind, session } = fields(outcome);
  return (
    outcomeKind === 'refused' ||
    outcomeKind === 'unavailable' ||
    (outcomeKind === 'refreshed' && isSession(session))
  );
}
