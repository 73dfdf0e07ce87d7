import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenReadModel, ReadModelFiles } from '../../../application/ports/read-model-files.js';
import { openMyPageDatabase } from './sqlite-database.js';
import { SqliteProjectionStore } from './sqlite-projection.store.js';

const POINTER = 'current.json';

/**
 * `MYPAGE_DATA_DIR` of one replica: read-model files `mypage-<timestamp>-<random>.db` and the
 * pointer `current.json` ({ "file": "<name>" }) naming the one in use. The pointer is replaced by
 * write-then-rename, so a reader sees the old name or the new one, never a torn file.
 */
export class ReadModelDirectory implements ReadModelFiles {
  constructor(readonly dir: string) {}

  pathOf(name: string): string {
    return join(this.dir, name);
  }

  newName(): string {
    return `mypage-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}.db`;
  }

  async createFresh(): Promise<OpenReadModel> {
    await mkdir(this.dir, { recursive: true });
    const name = this.newName();
    const db = await openMyPageDatabase(this.pathOf(name));
    return { name, store: new SqliteProjectionStore(db.writer), close: () => db.close() };
  }

  /** The file the pointer names, or undefined before the first start. */
  async current(): Promise<string | undefined> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, POINTER), 'utf8')) as { file?: unknown };
      return typeof parsed.file === 'string' && /^[\w.-]+\.db$/.test(parsed.file) ? parsed.file : undefined;
    } catch {
      return undefined;
    }
  }

  async pointTo(name: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temporary = join(this.dir, `${POINTER}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temporary, JSON.stringify({ file: name, switchedAt: new Date().toISOString() }) + '\n');
    await rename(temporary, join(this.dir, POINTER));
  }

  /** Deletes a read-model file that is no longer current (with its WAL and shared-memory files). */
  async remove(name: string): Promise<void> {
    await Promise.all(
      ['', '-wal', '-shm', '-journal'].map((suffix) => rm(this.pathOf(name) + suffix, { force: true })),
    );
  }
}
