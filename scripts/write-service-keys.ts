/**
 * Writes the service-identity keys (docs/decisions/0008-service-identity.md) into a folder, one
 * file per environment variable, for a deployment to load:
 *
 *   <dir>/SERVICE_SIGNING_KEY.<caller>   the caller's private JWK (mode 0600): a Secret of that caller
 *   <dir>/TRUSTED_SERVICE_KEYS           the callers' public JWKS: for every receiver
 *
 * Kubernetes: `npx tsx scripts/write-service-keys.ts keys/` then create the Secret and ConfigMap
 * (docs/operations.md). compose.yaml runs it in the image (service `service-keys`). The keys are
 * generated once (<dir>/service-keys.json, as `npm start` keeps them) and reused on later runs.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { embeddedServiceKeys } from './system/service-keys.js';

const dir = resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: tsx scripts/write-service-keys.ts <dir>');
  process.exit(64);
}
mkdirSync(dir, { recursive: true, mode: 0o700 });
const { signingKeys, trustedKeys } = await embeddedServiceKeys(dir);
for (const [caller, key] of Object.entries(signingKeys)) {
  const file = join(dir, `SERVICE_SIGNING_KEY.${caller}`);
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600);
}
writeFileSync(join(dir, 'TRUSTED_SERVICE_KEYS'), trustedKeys, { mode: 0o644 });
console.log(
  `service keys in ${dir}: ${Object.keys(signingKeys)
    .map((caller) => `SERVICE_SIGNING_KEY.${caller}`)
    .join(', ')}, TRUSTED_SERVICE_KEYS`,
);
