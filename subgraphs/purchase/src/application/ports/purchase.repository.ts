import type { Purchase } from '../../domain/purchase.aggregate.js';

export interface PurchaseToDecide {
  purchase: Purchase;
  productTakenDown: boolean;
  /**
   * Purchase has heard that the buyer withdrew (MemberWithdrawn): a payment confirmed now is after
   * it. Read after the locks, in a statement of its own — a withdrawal committed while the decision
   * waited for them (MemberWithdrawn holds the buyer, and the buyer's live purchases) is seen.
   */
  buyerWithdrawn: boolean;
}

export interface PurchaseRepository {
  findById(id: string): Promise<Purchase | null>;
  /**
   * Loads and locks the purchase until the unit of work ends. Everything that decides a purchase's
   * fate (the payment answer, PaymentCompleted, a refused sale, the sweeper) goes through this, so
   * two deciders never both act on the same PENDING state and record the same fact twice.
   */
  findByIdForUpdate(id: string): Promise<Purchase | null>;
  /**
   * The buy's decision: findByIdForUpdate, and whether purchase's projection has the product taken
   * down (deleted, or removed with its withdrawn seller) — read by the same statement, as of its start.
   * Every decision that can make a purchase PAID goes through this: it also holds the buyer until
   * the unit of work ends, against their withdrawal being recorded (`WithdrawnBuyers.record`) —
   * decisions of one buyer do not wait for each other, only for a withdrawal under way.
   */
  findForDecision(id: string): Promise<PurchaseToDecide | null>;
  /**
   * Saves state and recorded events atomically. Throws ProductNotAvailable when another purchase
   * of the same product is already PENDING or PAID (the partial unique index decides races).
   */
  save(purchase: Purchase): Promise<void>;
  /** The purchase `buyerId` started with this idempotency key, in whatever state it is. */
  findByBuyKey(buyerId: string, idempotencyKey: string): Promise<Purchase | null>;
  /** The deal `buyerId` cancelled with this idempotency key. */
  findByCancelKey(buyerId: string, idempotencyKey: string): Promise<Purchase | null>;
  /**
   * PENDING purchases started more than `ageMs` ago by the store's own clock (not the caller's: the
   * pods that reserve purchases and the one that sweeps them may disagree), oldest first: abandoned
   * by a crashed or timed-out call.
   */
  findPendingOlderThan(ageMs: number, limit: number): Promise<Purchase[]>;
  /**
   * The buyer's PENDING and PAID purchases, locked until the unit of work ends. PENDING ones too: a
   * decision holding one makes this wait, and then see it as decided.
   */
  findLiveOfBuyerForUpdate(buyerId: string): Promise<Purchase[]>;
}
