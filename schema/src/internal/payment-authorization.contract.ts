import { z } from 'zod';

/**
 * The one synchronous call between contexts: purchase asks payment to charge the buyer for a
 * purchase (docs/decisions/0004-purchase-payment.md). Both sides use this contract — purchase to
 * send and to read the answer, payment to check the request and to answer — so the shape of the
 * call and the meaning of every refusal live here, once. The caller proves who it is with a
 * service token signed for each request (docs/decisions/0008-service-identity.md); a member's
 * access token is refused.
 */

// Ids of other contexts are opaque to payment, but printable: a NUL or a space never reaches a database.
const contextId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const paymentAuthorization = {
  version: 1,
  /** The service that calls, and the one that answers (the service token's `sub` and `aud`). */
  caller: 'purchase',
  callee: 'payment',
  method: 'POST',
  path: '/internal/payments',
  /** Required header: the purchase id, which is the correlation id of the whole purchase flow. */
  correlationHeader: 'gaji-correlation-id',
  /**
   * What purchase asks for. The purchase id is the idempotency key: the same request again answers
   * the same payment. Shape and size only; payment's domain owns the rules (a chargeable amount).
   */
  request: z.object({
    purchaseId: contextId,
    productId: contextId,
    buyerId: contextId,
    sellerId: contextId,
    amountKrw: z.number().int(),
  }),
  /** 200: the buyer was charged (or had been, for this purchase id). */
  response: z.object({
    paymentId: z.string(),
    purchaseId: z.string(),
    status: z.enum(['COMPLETED', 'CANCELLED']),
    amountKrw: z.number().int(),
  }),
} as const;

/** `GET /internal/payments/:purchaseId` — reconciliation: did a call that timed out charge after all? */
export const paymentLookup = {
  version: 1,
  caller: 'purchase',
  callee: 'payment',
  method: 'GET',
  path: (purchaseId: string) => `/internal/payments/${encodeURIComponent(purchaseId)}`,
  params: z.object({ purchaseId: contextId }),
  response: z.object({
    paymentId: z.string(),
    purchaseId: z.string(),
    productId: z.string(),
    buyerId: z.string(),
    sellerId: z.string(),
    status: z.enum(['COMPLETED', 'CANCELLED']),
    amountKrw: z.number().int(),
    completedAt: z.iso.datetime(),
    cancelledAt: z.iso.datetime().nullable(),
  }),
} as const;

/**
 * `POST /internal/payments/:purchaseId/refund` — the buyer cancelled this purchase (purchase has
 * committed PurchaseCancelled): refund its payment now. The PurchaseCancelled event asks for the
 * same refund; this call makes it happen before the product can be sold again, also while NATS is
 * away. No body. Idempotent: a payment already refunded answers as it is, and the provider
 * refunds a charge once. PaymentCancelled follows when PurchaseCancelled reaches payment, so the
 * stream keeps the cause first. 200 with the payment, CANCELLED (a 200 with any other status
 * breaks the contract: it is not a refund); 404 `PAYMENT_NOT_FOUND` when nothing was charged.
 */
export const paymentRefund = {
  version: 1,
  caller: 'purchase',
  callee: 'payment',
  method: 'POST',
  path: (purchaseId: string) => `/internal/payments/${encodeURIComponent(purchaseId)}/refund`,
  params: z.object({ purchaseId: contextId }),
  response: paymentLookup.response.extend({ status: z.literal('CANCELLED') }),
} as const;

/**
 * What a refusal means to the caller:
 * - `declined`: the purchase cannot be paid (nothing was charged); the buyer is told so.
 * - `unavailable`: payment or its provider is away; counts against the caller's circuit breaker,
 *   and the buyer may retry shortly.
 * - `caller-fault`: the request itself is wrong (a bug or a key payment does not trust); retrying
 *   the same request cannot help, and payment's health is not in question.
 * - `not-found`: a lookup found no payment for the purchase.
 */
export type RefusalMeaning = 'declined' | 'unavailable' | 'caller-fault' | 'not-found';

/** Every refusal of the internal payments API: its code, HTTP status and meaning. */
export const paymentRefusals = {
  BAD_USER_INPUT: { status: 400, meaning: 'caller-fault' },
  /** The body nests objects or arrays more than `maxDepth` deep (the platform's internalRouter). */
  JSON_TOO_DEEP: { status: 400, meaning: 'caller-fault' },
  SERVICE_UNAUTHENTICATED: { status: 401, meaning: 'caller-fault' },
  /** The body is in a charset other than UTF-8 (the platform's internalRouter). */
  UNSUPPORTED_CHARSET: { status: 415, meaning: 'caller-fault' },
  /** The body is larger than the route's limit, given as `limit` (the platform's internalRouter). */
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'caller-fault' },
  PAYMENT_DECLINED: { status: 402, meaning: 'declined' },
  PAYMENT_NOT_FOUND: { status: 404, meaning: 'not-found' },
  /** The purchase gave up on this purchase id (PurchaseFailed) before it was paid. */
  PAYMENT_VOIDED: { status: 409, meaning: 'declined' },
  /** The purchase id was already paid with other terms: an idempotency key is never reused. */
  PAYMENT_MISMATCH: { status: 409, meaning: 'declined' },
  PAYMENT_PROVIDER_UNAVAILABLE: { status: 503, meaning: 'unavailable' },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: 'unavailable' },
} as const satisfies Record<string, { status: number; meaning: RefusalMeaning }>;

export type PaymentRefusalCode = keyof typeof paymentRefusals;

/** The body of every refusal: a stable code, a message, and details such as the offending `field`. */
export const refusalBody = z
  .object({ code: z.string(), message: z.string(), field: z.string().optional() })
  .catchall(z.unknown());

export const isPaymentRefusalCode = (code: string): code is PaymentRefusalCode =>
  Object.hasOwn(paymentRefusals, code);

/** A refusal of the internal payments API, as the caller reads it. */
export interface Refusal {
  kind: 'refused';
  meaning: RefusalMeaning;
  code: string;
  message: string;
}

/** How the caller reads an answer of the authorize call. */
export type AuthorizationAnswer =
  { kind: 'paid'; payment: z.infer<typeof paymentAuthorization.response> } | Refusal;

export type AuthorizationRequest = z.infer<typeof paymentAuthorization.request>;

/** How the caller reads an answer of the refund call: the refunded payment, or a refusal. */
export type RefundAnswer = { kind: 'refunded'; payment: z.infer<typeof paymentRefund.response> } | Refusal;

/**
 * Reads an answer of the authorize call. A refusal's meaning comes from its code; an answer that
 * breaks the contract is `caller-fault` when it is a 4xx or a 200 (payment's API and the caller
 * disagree) and `unavailable` when it is a 5xx (a proxy, a crash).
 */
export function readAuthorizationAnswer(status: number, body: unknown): AuthorizationAnswer {
  const answer = readAnswer(paymentAuthorization.response, status, body);
  return answer.kind === 'ok' ? { kind: 'paid', payment: answer.payment } : answer;
}

/** Reads an answer of the refund call, by the same rules. */
export function readRefundAnswer(status: number, body: unknown): RefundAnswer {
  const answer = readAnswer(paymentRefund.response, status, body);
  return answer.kind === 'ok' ? { kind: 'refunded', payment: answer.payment } : answer;
}

/** A 200 is the payment by `response` (else a contract break); anything else a refusal. */
function readAnswer<Payment>(
  response: z.ZodType<Payment>,
  status: number,
  body: unknown,
): { kind: 'ok'; payment: Payment } | Refusal {
  if (status !== 200) return readRefusal(status, body);
  const payment = response.safeParse(body);
  if (payment.success) return { kind: 'ok', payment: payment.data };
  return {
    kind: 'refused',
    meaning: 'caller-fault',
    code: 'CONTRACT_VIOLATION',
    message: payment.error.message,
  };
}

/** Any refusal of the internal payments API: its meaning comes from its code and status. */
function readRefusal(status: number, body: unknown): Refusal {
  const refusal = refusalBody.safeParse(body);
  const code = refusal.success ? refusal.data.code : `HTTP_${status}`;
  const message = refusal.success ? refusal.data.message : 'the answer broke the internal payments contract';
  const known = isPaymentRefusalCode(code) ? paymentRefusals[code] : undefined;
  const meaning: RefusalMeaning =
    status >= 500 ? 'unavailable' : known?.status === status ? known.meaning : meaningOfStatus(status);
  return { kind: 'refused', meaning, code, message };
}

/** A refusal without a known code means what every code of its status means, if they agree. */
function meaningOfStatus(status: number): RefusalMeaning {
  const meanings = new Set(
    Object.values(paymentRefusals)
      .filter((refusal) => refusal.status === status)
      .map((refusal) => refusal.meaning),
  );
  const [only] = meanings;
  return meanings.size === 1 && only ? only : 'caller-fault';
}
