import pg from 'pg';
import { RELAY_LOCK_KEY } from '@gaji/platform/events';

/**
 * A context's outbox relay held still: its lock taken on a session of our own, so that the events
 * that context commits meanwhile wait in its outbox until `release` ends the session (and the lock
 * with it) — how a test puts a context's events late, e.g. MemberWithdrawn behind a buy.
 */
export async function holdingRelay(databaseUrl: string): Promise<{ release(): Promise<void> }> {
  const session = new pg.Client({ connectionString: databaseUrl });
  await session.connect();
  await session.query('SELECT pg_advisory_lock($1)', [RELAY_LOCK_KEY]);
  return { release: () => session.end() };
}
