import { readFileSync } from 'node:fs';
import pg from 'pg';

/** The table name of every model in a Prisma schema (its @@map, else the model name). */
export function tablesOfPrismaSchema(schemaPath: string): string[] {
  const schema = readFileSync(schemaPath, 'utf8');
  return [...schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)].map(
    ([, name, body]) => /@@map\("([^"]+)"\)/.exec(body ?? '')?.[1] ?? name!,
  );
}

/** Tables that exist in the public schema of `databaseUrl`. */
export async function tablesIn(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    return rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}
