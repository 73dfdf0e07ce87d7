import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateServiceKeys } from '@gaji/platform/auth';

/** The services that call internal routes, and so hold a signing key of their own. */
const CALLERS = ['purchase'] as const;

/**
 * Service identity for the embedded system: generated once into .data/service-keys.json (readable
 * by this user only) and reused on every start, unless the environment provides the keys
 * (SERVICE_SIGNING_KEY for a caller, TRUSTED_SERVICE_KEYS for the receivers), as production does.
 */
export async function embeddedServiceKeys(dataDir: string): Promise<{
  signingKeys: Record<string, string>;
  trustedKeys: string;
}> {
  const file = join(dataDir, 'service-keys.json');
  if (existsSync(file))
    return JSON.parse(readFileSync(file, 'utf8')) as Awaited<ReturnType<typeof embeddedServiceKeys>>;
  const keys = await generateServiceKeys(CALLERS);
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}
