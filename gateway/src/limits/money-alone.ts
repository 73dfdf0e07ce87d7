import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { rootFields } from './root-fields.js';

/** Mutations that move money. */
const MONEY_MUTATIONS: ReadonlySet<string> = new Set(['buy', 'cancelPurchase']);

/**
 * A mutation that moves money must be its operation's only root field (`__typename` aside). Beside
 * another, its answer is not its own: `buy` is non-null, so one sibling's failure nulls the whole
 * `data` — an outside check's `a: buy(…) b: buy(<sold>)` was charged for `a` and answered
 * `data: null` with only `b`'s PRODUCT_NOT_AVAILABLE. Refused before planning, with
 * `TOO_MANY_ROOT_FIELDS` (limit 1), over HTTP and WebSocket alike.
 */
export function moneyNotAloneError(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): GraphQLError | undefined {
  if (operation.operation !== 'mutation') return undefined;
  const fields = rootFields(document, operation).filter((field) => field.name.value !== '__typename');
  const money = fields.find((field) => MONEY_MUTATIONS.has(field.name.value));
  if (!money || fields.length < 2) return undefined;
  return new GraphQLError(
    `${money.name.value} moves money and must be its operation's only root field; this operation has ${fields.length}. Send each in a request of its own, so that its answer is its own.`,
    { extensions: { code: 'TOO_MANY_ROOT_FIELDS', limit: 1, actual: fields.length, http: { status: 400 } } },
  );
}
