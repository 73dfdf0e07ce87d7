import { describe, expect, it } from 'vitest';
import { groupedLoader, keyedLoader } from '../src/graphql/per-request.js';

const ID = '5f0c2b8e-1d3a-4c5b-9e7f-0a1b2c3d4e5f';

describe('per-request loaders', () => {
  it('find a row asked for by an upper-case uuid, which the database answers lower-case', async () => {
    // Given a store that, like PostgreSQL, finds a uuid in any case and answers it lower-case
    const find = async (keys: readonly string[]) =>
      keys.filter((key) => key.toLowerCase() === ID).map(() => ({ id: ID, sellerId: ID }));

    // When one request loads the id in both spellings
    const byId = keyedLoader({}, 'products', find, (row) => row.id);
    const bySeller = groupedLoader({}, 'products-by-seller', find, (row) => row.sellerId);

    // Then each spelling finds the row
    await expect(byId.loadMany([ID.toUpperCase(), ID])).resolves.toEqual([
      { id: ID, sellerId: ID },
      { id: ID, sellerId: ID },
    ]);
    await expect(bySeller.load(ID.toUpperCase())).resolves.toEqual([{ id: ID, sellerId: ID }]);
  });

  it('leave keys that are not uuids as they are', async () => {
    const loader = keyedLoader(
      {},
      'names',
      async (keys: readonly string[]) => keys.map((name) => ({ name })),
      (row) => row.name,
    );
    await expect(loader.load('Gaji')).resolves.toEqual({ name: 'Gaji' });
  });
});
