import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformMigrations, runMigrations } from '@gaji/platform/database';

/**
 * Migrates a database as an earlier release left it: the platform's migrations and a context's own
 * folders that sort before `firstNew` (e.g. '0006_composed_listing_text'), copied aside, since the
 * runner applies a directory whole. A migration's test then writes rows the old way and runs every
 * migration (`migrateFully`) to see what the new one does to data in use.
 */
export async function migrateAsBefore(
  url: string,
  context: { namespace: string; directory: string },
  firstNew: string,
): Promise<void> {
  const older = await mkdtemp(join(tmpdir(), `${context.namespace}-migrations-`));
  try {
    for (const folder of (await readdir(context.directory)).filter((name) => name < firstNew))
      await cp(join(context.directory, folder), join(older, folder), { recursive: true });
    await runMigrations(url, [platformMigrations, { namespace: context.namespace, directory: older }]);
  } finally {
    await rm(older, { recursive: true, force: true });
  }
}

/** Every migration of the context, as a release that has them all. */
export function migrateFully(url: string, context: { namespace: string; directory: string }): Promise<void> {
  return runMigrations(url, [platformMigrations, context]).then(() => undefined);
}
