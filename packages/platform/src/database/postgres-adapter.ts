import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { LRUCache } from 'lru-cache';

/**
 * Prisma's PostgreSQL driver adapter as every context uses it: a pool of `max` connections whose
 * statements are prepared once per connection. Each statement gets a name derived from its SQL
 * text, so PostgreSQL parses (and, after a few runs, plans) a statement shape once per connection
 * instead of once per query; the same text always gets the same name, so forgetting a name here
 * (the cache below is bounded) only costs a hash. Statement shapes are few: Prisma's queries and
 * our `$queryRaw` templates take their values as parameters.
 */
export function postgresAdapter(databaseUrl: string, max: number): PrismaPg {
  const names = new LRUCache<string, string>({ max: 1_000 });
  return new PrismaPg(
    { connectionString: databaseUrl, max },
    {
      statementNameGenerator: ({ sql }) => {
        let name = names.get(sql);
        if (name === undefined) {
          name = `gaji_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
          names.set(sql, name);
        }
        return name;
      },
    },
  );
}
