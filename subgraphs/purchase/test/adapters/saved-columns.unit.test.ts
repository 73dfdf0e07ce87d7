import { describe, expect, it } from 'vitest';
import { Prisma } from '../../src/adapters/outbound/prisma/generated/client.js';
import { SAVED_PURCHASE_COLUMNS } from '../../src/adapters/outbound/prisma/prisma-purchase.repository.js';

// save() lists its columns by hand (one statement of data-modifying CTEs): a field added to
// schema.prisma compiles and is never written unless it joins the list or is left out here, for a reason.
describe('the purchase repository writes every column', () => {
  it('save() writes every scalar field of Purchase', () => {
    expect(Object.keys(SAVED_PURCHASE_COLUMNS).sort()).toEqual(
      Object.values(Prisma.PurchaseScalarFieldEnum).sort(),
    );
  });
});
