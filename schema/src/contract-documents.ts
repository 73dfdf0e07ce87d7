import { z } from 'zod';
import { eventEnvelopeSchema } from './envelope.js';
import { eventContracts, type EventType } from './events/index.js';
import {
  paymentAuthorization,
  paymentLookup,
  paymentRefund,
  paymentRefusals,
} from './internal/payment-authorization.contract.js';
import { productLookup, productLookupRefusals } from './internal/product-lookup.contract.js';

/**
 * Every event contract as a JSON Schema document, keyed by file name (`<Type>.v<N>.json`). These
 * are committed under schema/events/ so that a change to any payload shows up in review, and a
 * test fails when the code and the committed documents disagree: change a payload compatibly
 * (add an optional field) and regenerate, or incompatibly and publish a new version.
 */
export function contractDocuments(): Record<string, unknown> {
  const documents: Record<string, unknown> = { 'envelope.json': z.toJSONSchema(eventEnvelopeSchema) };
  for (const type of Object.keys(eventContracts) as EventType[]) {
    const contract = eventContracts[type];
    documents[`${type}.v${contract.version}.json`] = {
      title: type,
      description: `${type} v${contract.version}, published by the ${contract.context} context on <prefix>.${contract.context}.${type}.v${contract.version}`,
      aggregateType: contract.aggregateType,
      payload: z.toJSONSchema(contract.payload),
    };
  }
  return documents;
}

/**
 * The internal HTTP contracts (purchase → payment, purchase → product) as JSON Schema documents, committed under
 * schema/internal/ for the same reason: a change to the call or to a refusal's meaning is reviewed.
 */
export function internalContractDocuments(): Record<string, unknown> {
  const common = { caller: paymentAuthorization.caller, callee: paymentAuthorization.callee };
  return {
    [`PaymentAuthorization.v${paymentAuthorization.version}.json`]: {
      title: 'PaymentAuthorization',
      description: 'purchase asks payment to charge the buyer; the purchase id is the idempotency key',
      ...common,
      method: paymentAuthorization.method,
      path: paymentAuthorization.path,
      requiredHeaders: [paymentAuthorization.correlationHeader, 'authorization (a service token)'],
      request: z.toJSONSchema(paymentAuthorization.request),
      response: z.toJSONSchema(paymentAuthorization.response),
      refusals: paymentRefusals,
    },
    [`PaymentLookup.v${paymentLookup.version}.json`]: {
      title: 'PaymentLookup',
      description: 'purchase looks up the payment of a purchase (reconciliation after a timeout)',
      ...common,
      method: paymentLookup.method,
      path: paymentLookup.path(':purchaseId'),
      params: z.toJSONSchema(paymentLookup.params),
      response: z.toJSONSchema(paymentLookup.response),
      refusals: paymentRefusals,
    },
    [`PaymentRefund.v${paymentRefund.version}.json`]: {
      title: 'PaymentRefund',
      description:
        'purchase asks payment to refund a purchase the buyer cancelled, before the product can be sold again',
      ...common,
      method: paymentRefund.method,
      path: paymentRefund.path(':purchaseId'),
      params: z.toJSONSchema(paymentRefund.params),
      response: z.toJSONSchema(paymentRefund.response),
      refusals: paymentRefusals,
    },
    [`ProductLookup.v${productLookup.version}.json`]: {
      title: 'ProductLookup',
      description: 'purchase asks product about a product its projection has not heard of yet',
      caller: productLookup.caller,
      callee: productLookup.callee,
      method: productLookup.method,
      path: productLookup.path(':productId'),
      params: z.toJSONSchema(productLookup.params),
      response: z.toJSONSchema(productLookup.response),
      refusals: productLookupRefusals,
    },
  };
}
