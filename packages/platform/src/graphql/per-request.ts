import DataLoader from 'dataloader';
import { canonicalId } from '../database/uuid.js';

const scopes = new WeakMap<object, Map<string, unknown>>();

/**
 * One instance per GraphQL request (keyed on the context object), e.g. a DataLoader, so batching
 * and caching never leak between requests or callers.
 */
export function perRequest<T>(context: object, key: string, create: () => T): T {
  let scope = scopes.get(context);
  if (!scope) scopes.set(context, (scope = new Map()));
  if (!scope.has(key)) scope.set(key, create());
  return scope.get(key) as T;
}

/**
 * A key as the database spells it: a client may send a uuid upper-case, which PostgreSQL finds and
 * answers lower-case, so both sides of a loader's match are compared in the one spelling.
 */
const canonical = <K>(key: K): K => (typeof key === 'string' ? (canonicalId(key) as K) : key);

/**
 * A per-request DataLoader over a batch query: every `load(key)` of one request (federation's
 * `_entities` included) becomes one call of `find`, which returns what it found in any order;
 * `keyOf` says which key each answer belongs to, and a key nothing answers loads as null.
 */
export function keyedLoader<V, K = string>(
  context: object,
  name: string,
  find: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V | null> {
  return perRequest(
    context,
    name,
    () =>
      new DataLoader<K, V | null>(async (keys) => {
        const found = new Map((await find(keys)).map((value) => [canonical(keyOf(value)), value]));
        return keys.map((key) => found.get(canonical(key)) ?? null);
      }),
  );
}

/** Like `keyedLoader`, for a key with many answers (a seller's products): each key loads a list. */
export function groupedLoader<V, K = string>(
  context: object,
  name: string,
  find: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V[]> {
  return perRequest(
    context,
    name,
    () =>
      new DataLoader<K, V[]>(async (keys) => {
        const groups = new Map<K, V[]>(keys.map((key) => [canonical(key), []]));
        for (const value of await find(keys)) groups.get(canonical(keyOf(value)))?.push(value);
        return keys.map((key) => groups.get(canonical(key)) ?? []);
      }),
  );
}
