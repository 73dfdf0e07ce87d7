import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const webDir = resolve(import.meta.dirname, '../../web');
const builtIndex = join(webDir, 'dist', 'index.html');

/**
 * The gateway serves web/dist when it exists, so the browser tests need a build of the current
 * sources. Builds (in a child process, with the repository's own Vite) only when web/dist is
 * missing or older than any source file; a failed build fails the test instead of testing old code.
 */
export function ensureWebClientBuilt(): void {
  const built = mtimeOf(builtIndex);
  const sources = [
    join(webDir, 'index.html'),
    join(webDir, 'vite.config.ts'),
    join(webDir, 'package.json'),
    ...filesUnder(join(webDir, 'src')),
    ...filesUnder(join(webDir, 'build')),
  ];
  if (built !== undefined && sources.every((file) => (mtimeOf(file) ?? 0) <= built)) return;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
    timeout: 180_000,
    // vitest sets NODE_ENV=test, with which Vite would build React's development bundle.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0)
    throw new Error(
      `vite build of the web client failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
