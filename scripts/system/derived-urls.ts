/**
 * Addresses the services read besides the subgraphs' GraphQL URLs, each with a default on the
 * default ports (4001, 4002, 4004). Moving only MEMBER_URL…PAYMENT_URL would leave these on the
 * old ports — the gateway would fetch member's keys from 4001 and refuse every token (401) — so
 * npm start derives each from its subgraph's URL, unless it is set itself.
 */
const DERIVED = [
  {
    variable: 'MEMBER_JWKS_URL',
    from: 'MEMBER_URL',
    derive: (url: URL) => new URL('/.well-known/jwks.json', url),
  },
  { variable: 'PRODUCT_INTERNAL_URL', from: 'PRODUCT_URL', derive: (url: URL) => url.origin },
  { variable: 'PAYMENT_INTERNAL_URL', from: 'PAYMENT_URL', derive: (url: URL) => url.origin },
] as const;

/** The derived variables to pass to every child: only those unset whose subgraph URL is set. */
export function derivedUrls(env: Record<string, string | undefined>): Record<string, string> {
  const derived: Record<string, string> = {};
  for (const { variable, from, derive } of DERIVED) {
    const source = env[from];
    if (env[variable] || !source) continue;
    derived[variable] = String(derive(new URL(source)));
  }
  return derived;
}
