/**
 * @apollo/gateway refuses a supergraph whose @link features are marked `for: SECURITY` — the
 * `@authenticated` and `@requiresScopes` specs — because only Apollo's commercial router enforces
 * them. We enforce them ourselves (authDirectivesPlugin, before any subgraph is called), so the
 * gateway is given the supergraph with those links downgraded to plain, non-critical features.
 * Any other SECURITY feature is left alone and still stops start-up: it would be unenforced.
 */
const ENFORCED_BY_US =
  /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v[\d.]+"), for: SECURITY\)/g;

export function withSecurityFeaturesEnforcedByGateway(supergraphSdl: string): string {
  return supergraphSdl.replace(ENFORCED_BY_US, '$1)');
}
