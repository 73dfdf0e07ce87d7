import { readFileSync } from 'node:fs';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { withSecurityFeaturesEnforcedByGateway } from '../../gateway/src/auth/security-features.js';
import { supergraphPath } from '../../gateway/src/composition/subgraph-registry.js';
import { measureOperation } from '../../gateway/src/limits/operation-measuring.js';
import { SubscriptionPlanner } from '../../gateway/src/subscriptions/subscription-planner.js';
import { sql } from './sql.js';

/**
 * What the security suite's answer-size tests share (list, text and My Page bounds): a timed POST,
 * the longest list in an answer, the gateway's own weighing of a query, and a seller's listings
 * written as rows.
 */

export interface TimedAnswer {
  status: number;
  text: string;
  bytes: number;
  ms: number;
}

export async function timedPost(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<TimedAnswer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, text, bytes: Buffer.byteLength(text), ms: performance.now() - started };
}

/**
 * `query` answered while a `{ __typename }` goes every 100 ms beside it: how long everybody else
 * waits (the worst of those, and how many were sent).
 */
export async function answeredWhileProbing(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ answer: TimedAnswer; worstProbeMs: number; probes: number }> {
  const pending = timedPost(url, query, variables);
  let done = false;
  const cheap: number[] = [];
  const probing = (async () => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      cheap.push((await timedPost(url, '{ __typename }')).ms);
    }
  })();
  const answer = await pending;
  done = true;
  await probing;
  return { answer, worstProbeMs: Math.max(0, ...cheap), probes: cheap.length };
}

/** The longest list anywhere in an answer: none may be longer than the cost rule took it to be. */
export function longestList(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestList));
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestList));
  return 0;
}

let schema: ReturnType<typeof gatewaySchema> | undefined;
function gatewaySchema() {
  return new SubscriptionPlanner(withSecurityFeaturesEnforcedByGateway(readFileSync(supergraphPath, 'utf8')))
    .schema;
}

/** What the gateway's cost rule weighs `source` at, with `variables`. */
export function costOf(source: string, variables: Record<string, unknown> = {}): number {
  schema ??= gatewaySchema();
  const document = parse(source);
  const operation = document.definitions[0] as OperationDefinitionNode;
  if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('the first definition is no operation');
  return measureOperation(schema, document, operation, variables).cost;
}

/**
 * `count` listings of `sellerId`, one a second older than the last, written as rows: through the
 * API they would take minutes under the real rate limits.
 */
export async function listingsAsRows(
  productDatabaseUrl: string,
  sellerId: string,
  description: string,
  count: number,
  title?: string,
): Promise<void> {
  await sql(
    productDatabaseUrl,
    `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at)
     SELECT gen_random_uuid(), $1, coalesce($5, 'Listing ' || n), $2, 1000 + n, to_timestamp(($3::bigint - n * 1000) / 1000.0)
     FROM generate_series(1, $4::int) AS n`,
    [sellerId, description, Date.now(), count, title ?? null],
  );
}
