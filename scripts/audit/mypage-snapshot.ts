import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** My Page's read model as it is served: the file `current.json` points at. */
export interface MyPageSnapshot {
  file: string;
  purchases: Map<string, string>;
  products: Map<string, string>;
}

/**
 * My Page's read model in `dir`. A directory the auditor was pointed at that holds none fails the
 * audit, as an unreadable database does: passing it as "not audited" let a wrong path (or a My Page
 * that never wrote its model) exit 0. `MYPAGE_DATA_DIR=off` is the one way to skip My Page.
 */
export function readMyPage(dir: string): MyPageSnapshot {
  const pointer = join(dir, 'current.json');
  if (!existsSync(pointer))
    throw new Error(`My Page: no read model in ${dir} (no current.json; MYPAGE_DATA_DIR=off skips My Page)`);
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
