import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** My Page's read model as it is served: the file `current.json` points at. */
export interface MyPageSnapshot {
  file: string;
  purchases: Map<string, string>;
  products: Map<string, string>;
}

/** Null when there is no read model yet (My Page never started here). */
export function readMyPage(dir: string): MyPageSnapshot | null {
  const pointer = join(dir, 'current.json');
  if (!existsSync(pointer)) return null;
  const { file } = JSON.parse(readFileSync(pointer, 'utf8')) as { file: string };
  // Read-only, beside the running service's writer: WAL lets a reader see the last commit.
  const db = new DatabaseSync(join(dir, file), { readOnly: true });
  try {
    const pairs = (sql: string) =>
      new Map((db.prepare(sql).all() as { id: string; status: string }[]).map((row) => [row.id, row.status]));
    return {
      file,
      purchases: pairs('SELECT id, status FROM purchases'),
      products: pairs('SELECT id, status FROM products'),
    };
  } finally {
    db.close();
  }
}
