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
