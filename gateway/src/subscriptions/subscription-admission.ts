import { assertOperationAllowed, type AuthRequirements, type Identity } from '@gaji/platform/auth';
import { findMalformedText } from '@gaji/platform/graphql';
import { isUuid } from '@gaji/platform/uuid';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  type ExecutionArgs,
  type OperationDefinitionNode,
} from 'graphql';
import { checkOperationLimits, operationMeasures } from '../limits/operation-limits-plugin.js';
import { operationOf } from '../limits/operation-resolution.js';
import type { OperationLimits } from '../limits/operation-limits.js';
import { coded, type SubscriptionDocuments } from './subscription-documents.js';

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /**
   * Read by nothing here, `persistedQuery` included: a subscribe always carries its whole text
   * (graphql-ws closes 4400 on one without a `query` string; an empty one does not parse), and that
   * text is what runs — no hash is trusted and no document stored, so there is nothing a persisted
   * query could abuse. Refusing it broke Apollo
   * Client's persisted-query link over GraphQLWsLink, which sends text and hash over ws and cannot
   * fall back on an error frame (docs/security.md, "Persisted queries").
   */
  extensions?: Record<string, unknown> | null;
}

/** What an admitted subscription carries to `subscribe`: who asked, and what its frames may weigh. */
export interface AdmittedContext {
  identity?: Identity;
  /** Its cost units (operation limits), counted against its socket's and address's live budgets. */
  cost: number;
}

/**
 * Everything a subscription must pass before it runs, in the order HTTP operations pass them:
 * parse, validate, pick the operation (a document with several needs `operationName`), a
 * subscription whose root is one plain field, operation limits, a product id that is a uuid,
 * well-formed text, a valid `after` cursor, and the auth directives. Any refusal is a list of typed
 * errors for that subscription only — the socket and its other subscriptions stay open. Never throws.
 */
export function admitSubscription(
  documents: SubscriptionDocuments,
  payload: SubscribePayload,
  context: { identity?: Identity; requirements: AuthRequirements; limits: OperationLimits },
): ExecutionArgs | readonly GraphQLError[] {
  const admitted = admit(documents, payload, context);
  return Array.isArray(admitted) ? admitted.map(withoutHttp) : admitted;
}

/** The HTTP status an error carries for Apollo Server means nothing on a socket. */
function withoutHttp(error: GraphQLError): GraphQLError {
  if (!error.extensions.http) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes ?? null, extensions });
}

function admit(
  documents: SubscriptionDocuments,
  payload: SubscribePayload,
  context: { identity?: Identity; requirements: AuthRequirements; limits: OperationLimits },
): ExecutionArgs | GraphQLError[] {
  try {
    const document = documents.documentOf(payload.query);
    if (Array.isArray(document)) return document;
    const schema = documents.schema;
    const operation = operationOf(document, payload.operationName ?? undefined);
    if (operation instanceof GraphQLError) return [operation];
    if (operation.operation !== 'subscription')
      return [badRequest('Only subscriptions go over WebSocket; send queries and mutations over HTTP.')];
    const rootProblem = plainRootField(operation);
    if (rootProblem) return [badRequest(rootProblem)];
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, {
      maxErrors: 5,
    });
    if (coerced.errors) return coerced.errors.map((error) => coded(error, 'BAD_USER_INPUT'));
    const variables = coerced.coerced;
    const overLimits = checkOperationLimits(schema, document, operation, variables, context.limits);
    if (overLimits.length > 0) return overLimits;
    const malformed =
      badProductId(operation, variables) ??
      findMalformedText(document, operation, variables) ??
      badCursor(operation, variables);
    if (malformed) return [malformed];
    assertOperationAllowed(schema, document, context.requirements, context.identity);
    return {
      schema: schema,
      document,
      operationName: operation.name?.value ?? null,
      variableValues: variables,
      contextValue: {
        identity: context.identity,
        cost: operationMeasures(schema, document, operation, variables, context.limits).cost,
      } satisfies AdmittedContext,
    };
  } catch (error) {
    return [
      error instanceof GraphQLError
        ? error
        : new GraphQLError('This subscription could not be started.', {
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          }),
    ];
  }
}

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });

/**
 * Events are matched to the one field at the root, so the root must be exactly that: a field,
 * not a fragment, and not conditional (`@skip` / `@include` would leave nothing to deliver).
 */
function plainRootField(operation: OperationDefinitionNode): string | undefined {
  const [root, ...others] = operation.selectionSet.selections;
  if (!root || others.length > 0 || root.kind !== Kind.FIELD)
    return 'A subscription selects exactly one field at its root, written out (no fragment there).';
  if ((root.directives ?? []).length > 0) return 'The root field of a subscription takes no directives.';
  return undefined;
}

/**
 * A product is watched by its id, a uuid: anything else names no product, and its subscription
 * would wait for ever in silence. Refused as `product(id:)` refuses it over HTTP.
 */
function badProductId(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLError | undefined {
  const raw = rootArgument(operation, variables, 'productId');
  if (raw === undefined || raw === null || (typeof raw === 'string' && isUuid(raw))) return undefined;
  return new GraphQLError('productId: not the id of a product.', {
    extensions: { code: 'BAD_USER_INPUT', field: 'productId' },
  });
}

/** `after` is a cursor this API handed out: a stream sequence, a non-negative whole number. */
function badCursor(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLError | undefined {
  const raw = rootArgument(operation, variables, 'after');
  if (raw === undefined || raw === null || raw === '') return undefined; // "": no cursor, as for lists
  if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return undefined;
  return new GraphQLError('after: not a cursor from this subscription.', {
    extensions: { code: 'BAD_USER_INPUT', field: 'after' },
  });
}

/** The value of an argument of the root field: a variable's coerced value, or the literal written. */
function rootArgument(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  name: string,
): unknown {
  const root = operation.selectionSet.selections[0];
  if (root?.kind !== Kind.FIELD) return undefined;
  const value = root.arguments?.find((arg) => arg.name.value === name)?.value;
  if (value?.kind === Kind.VARIABLE) return variables[value.name.value];
  return value?.kind === Kind.STRING || value?.kind === Kind.INT ? value.value : undefined;
}
