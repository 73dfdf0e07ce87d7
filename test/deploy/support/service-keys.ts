import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './processes.js';

/**
 * Runs scripts/write-service-keys.ts for real, as an operator (Kubernetes) or compose's
 * `service-keys` does, and returns the files it wrote by name (`SERVICE_SIGNING_KEY.purchase`, …).
 */
export async function writtenServiceKeys(): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'gaji-service-keys-'));
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', repoPath('scripts/write-service-keys.ts'), dir],
        { cwd: repoPath('.') },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    return Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Variables the image's entry point also takes as NAME_FILE (deploy/docker/service.sh). */
export const fileVariables: string[] =
  /^file_variables="([^"]*)"$/m
    .exec(readFileSync(repoPath('deploy/docker/service.sh'), 'utf8'))?.[1]
    ?.split(' ') ?? [];
