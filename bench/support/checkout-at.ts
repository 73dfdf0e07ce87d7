import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '@gaji/testkit';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The tree of `commit`, ready to run, under `<tmpdir>/gaji-bench-checkouts/<commit>` (outside the
 * repository, so no test runner, linter or type check of ours ever reads it): its files
 * (`git archive`, so this repository's worktrees and index are untouched), its dependencies
 * (`npm ci` from the npm registry, as `.ci/run` installs ours) and its generated clients. Made once
 * and kept; undefined when this clone does not hold the commit (a shallow clone).
 */
export function checkoutAt(commit: string): string | undefined {
  const dir = join(tmpdir(), 'gaji-bench-checkouts', commit);
  const ready = join(dir, '.ready');
  if (existsSync(ready)) return dir;
  try {
    execFileSync('git', ['-C', ROOT, 'cat-file', '-e', `${commit}^{commit}`], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.error(`[bench] preparing a checkout of ${commit} in ${dir} (npm ci, generate)`);
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${commit} | tar -x -C "${dir}"`], { stdio: 'inherit' });
  // Only the npm registry is reached (npm ci): Prisma's CLI (in that tree's generate) sends no
  // checkpoint, and no OTLP exporter or Apollo telemetry is inherited from the shell.
  const quiet = {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'] as ('ignore' | 'inherit')[],
    env: childEnv({ CHECKPOINT_DISABLE: '1' }),
  };
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], quiet);
  execFileSync('npm', ['run', 'generate'], quiet);
  writeFileSync(ready, `${new Date().toISOString()}\n`);
  return dir;
}

/** The full hash of `ref` (a commit, short hash, tag or branch of this clone), or undefined. */
export function commitOf(ref: string): string | undefined {
  try {
    return execFileSync('git', ['-C', ROOT, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}
