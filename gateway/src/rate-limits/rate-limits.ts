import { FailureBackoff } from './failure-backoff.js';
import { consumeOrRefuse, RateLimited } from './rate-limited.error.js';
import type { LimiterFactory } from './rate-limit-store.js';

/** Every limit, configurable (gateway/src/config.ts); the defaults suit people, not scripts. */
export interface RateLimitSettings {
  operationsPerAddressPerMinute: number;
  operationsPerMemberPerMinute: number;
  signUpsPerAddressPerHour: number;
  logInFreeFailuresPerAccount: number;
  logInFreeFailuresPerAddress: number;
  logInMaxBackoffSeconds: number;
  /** How long failed log-ins are remembered. */
  logInFailureWindowSeconds: number;
}

/**
 * The gateway's throttles, each a rate-limiter-flexible counter in the configured store (memory,
 * or a NATS key-value bucket shared by replicas). Every method throws RateLimited when a limit
 * says no.
 */
export class RateLimits {
  private constructor(
    private readonly byAddress: ReturnType<LimiterFactory>,
    private readonly byMember: ReturnType<LimiterFactory>,
    private readonly signUps: ReturnType<LimiterFactory>,
    private readonly logInsByAccount: FailureBackoff,
    private readonly logInsByAddress: FailureBackoff,
    private readonly onRefusal: (limit: string) => void,
  ) {}

  /** `onRefusal` hears the name of every limit that says no (gaji_rate_limit_refusals_total). */
  static create(
    limiter: LimiterFactory,
    settings: RateLimitSettings,
    onRefusal: (limit: string) => void = () => undefined,
  ): RateLimits {
    const backoff = (name: string, freeFailures: number) =>
      new FailureBackoff(
        name,
        limiter(`${name}-failures`, { points: 1_000_000, duration: settings.logInFailureWindowSeconds }),
        limiter(`${name}-lockout`, { points: 1, duration: settings.logInMaxBackoffSeconds }),
        { freeFailures, maxBackoffSeconds: settings.logInMaxBackoffSeconds },
      );
    return new RateLimits(
      limiter('ops-address', { points: settings.operationsPerAddressPerMinute, duration: 60 }),
      limiter('ops-member', { points: settings.operationsPerMemberPerMinute, duration: 60 }),
      limiter('signup-address', { points: settings.signUpsPerAddressPerHour, duration: 3600 }),
      backoff('login-account', settings.logInFreeFailuresPerAccount),
      backoff('login-address', settings.logInFreeFailuresPerAddress),
      onRefusal,
    );
  }

  /** A refusal decided elsewhere (the per-address WebSocket caps), counted with the others. */
  refused(limit: string): void {
    this.onRefusal(limit);
  }

  /** One request (or WebSocket connection, or subscription) from an address. */
  admitAddress(address: string): Promise<void> {
    return this.counted(consumeOrRefuse(this.byAddress, 'operations per address', address));
  }

  /** One operation by a signed-in member, from wherever they are. */
  admitMember(memberId: string): Promise<void> {
    return this.counted(consumeOrRefuse(this.byMember, 'operations per member', memberId));
  }

  admitSignUp(address: string): Promise<void> {
    return this.counted(consumeOrRefuse(this.signUps, 'sign-ups per address', address));
  }

  /** Before checking a password: refused while the address or the account is backing off. */
  async beginLogIn(email: string, address: string): Promise<void> {
    await this.counted(this.logInsByAddress.attempt(address));
    await this.counted(this.logInsByAccount.attempt(accountKey(email)));
  }

  /** The password was right: the account's failures are forgiven, the address is credited one. */
  async logInSucceeded(email: string, address: string): Promise<void> {
    await this.logInsByAccount.succeeded(accountKey(email), true);
    await this.logInsByAddress.succeeded(address, false);
  }

  private async counted(admission: Promise<void>): Promise<void> {
    try {
      await admission;
    } catch (error) {
      if (error instanceof RateLimited) this.onRefusal(error.limit);
      throw error;
    }
  }
}

// The member service normalizes emails the same way before looking them up.
const accountKey = (email: string) => email.trim().toLowerCase();
