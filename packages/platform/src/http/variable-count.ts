/**
 * The most variables one request may send. Our largest operation declares a handful; GraphQL
 * ignores the ones an operation does not declare, but every value sent is still walked — the
 * gateway's response-cache key, Apollo Gateway's result shaping (it copies the variables into an
 * object of its own), a subgraph's parse — so 60,000 unused keys in a 1 MB body cost ten times what
 * one 1 MB string does (docs/security.md).
 */
export const MAX_VARIABLES = 100;

/** Whether a parsed POST body's `variables` object has more than MAX_VARIABLES keys. */
export function sendsTooManyVariables(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('variables' in body)) return false;
  const { variables } = body;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return false;
  let count = 0;
  for (const key in variables) if (Object.hasOwn(variables, key) && ++count > MAX_VARIABLES) return true;
  return false;
}
