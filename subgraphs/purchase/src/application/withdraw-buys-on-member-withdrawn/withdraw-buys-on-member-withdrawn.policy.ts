import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { PurchaseRepository } from '../ports/purchase.repository.js';
import type { WithdrawnBuyers } from '../ports/withdrawn-buyers.js';

/**
 * MemberWithdrawn, for the member as a buyer: deals closed before they left stand (as a withdrawn
 * seller's SOLD products do), but one paid after — a buy in flight as they withdrew, or one their
 * still-valid token made before this event revoked it — is cancelled, and payment refunds it on
 * PurchaseCancelled; product puts the item back on sale. The buyer is remembered, so a buy of theirs
 * still PENDING now is withdrawn the same way when it is decided paid (`PurchaseToDecide.buyerWithdrawn`).
 * Idempotent: applied again, it records nothing new and finds no PAID deal to cancel.
 * Returns how many deals it cancelled.
 */
export class WithdrawBuysOnMemberWithdrawn {
  constructor(
    private readonly deps: {
      purchases: PurchaseRepository;
      withdrawnBuyers: WithdrawnBuyers;
      uow: UnitOfWork;
      clock: Clock;
      /** See the config's WITHDRAWAL_CLOCK_MARGIN_MS. */
      clockMarginMs: number;
    },
  ) {}

  execute(member: { memberId: string }, withdrawnAt: Date): Promise<number> {
    const { purchases, withdrawnBuyers, uow, clock, clockMarginMs } = this.deps;
    return uow.run(async () => {
      // First, holding the buyer: a decision of theirs under way is waited for, and found decided
      // below; one that starts now waits for this commit and sees the buyer gone. No buy is decided
      // between the two, seen by neither.
      await withdrawnBuyers.record(member.memberId, withdrawnAt);
      // Two clocks date the race: member's the withdrawal, purchase's the payment. A deal dated up
      // to the margin before the withdrawal may in truth have been paid after it: it is withdrawn too.
      const since = new Date(withdrawnAt.getTime() - clockMarginMs);
      const deals = (await purchases.findLiveOfBuyerForUpdate(member.memberId)).filter((purchase) =>
        purchase.paidSince(since),
      );
      for (const deal of deals) {
        deal.withdrawBecauseBuyerLeft(clock.now());
        await purchases.save(deal);
      }
      return deals.length;
    });
  }
}
