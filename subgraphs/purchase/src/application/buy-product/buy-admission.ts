import type { Admits } from '@gaji/platform/ports';
import { ServiceBusy } from '../../domain/purchase.errors.js';
import type { PurchaseView } from '../ports/purchase-directory.js';
import type { BuyProductCommand } from './buy-product.use-case.js';

interface Buying {
  execute(command: BuyProductCommand): Promise<PurchaseView>;
  /** The outcome of an earlier attempt under the command's key if it was decided, else null. */
  decidedEarlier(command: BuyProductCommand): Promise<PurchaseView | null>;
}

/**
 * Load shedding in front of BuyProduct (docs/decisions/0013): beyond capacity a buy is refused
 * with SERVICE_BUSY and `retryAfterSeconds`, before anything is reserved or charged. How many run
 * at once is learned from their latency (`admission`: the platform's Admission, the gateway's rule too).
 *
 * A refused buy with an idempotency key is first looked up (one read): the retry of a buy already
 * decided cannot add load worth shedding, and is answered with its outcome — the deal, or the
 * failure it had — instead of SERVICE_BUSY. Only an undecided one is refused.
 */
export class BuyAdmission {
  constructor(
    private readonly buy: Buying,
    private readonly admission: Admits,
    private readonly retryAfterSeconds: number,
  ) {}

  async execute(command: BuyProductCommand): Promise<PurchaseView> {
    const leave = await this.admission.enter();
    if (!leave) return this.refuse(command);
    try {
      return await this.buy.execute(command);
    } finally {
      leave();
    }
  }

  private async refuse(command: BuyProductCommand): Promise<PurchaseView> {
    const decided = command.idempotencyKey ? await this.buy.decidedEarlier(command) : null;
    if (decided) return decided;
    throw new ServiceBusy(this.retryAfterSeconds);
  }
}
