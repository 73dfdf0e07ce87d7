/** What a payment fact did to a product; policies log it, nobody branches on it. */
export type PaymentOutcome = 'APPLIED' | 'IGNORED' | 'UNKNOWN_PRODUCT';

export interface PaymentFactCommand {
  productId: string;
  purchaseId: string;
  /** The fact's position in the event log (its stream sequence). */
  sequence: number;
}
