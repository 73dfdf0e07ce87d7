import { describe, expect, it } from 'vitest';
import { Prisma } from '../../src/adapters/outbound/prisma/generated/client.js';
import {
  BEGUN_ATTEMPT_COLUMNS,
  SETTLED_LATER,
  SETTLED_PAYMENT_COLUMNS,
} from '../../src/adapters/outbound/prisma/prisma-charge-attempts.js';

// The charge's write lists its columns by hand (one statement of data-modifying CTEs): a field added
// to schema.prisma compiles and is never written unless it joins the list or is left out here, for a reason.
describe('the charge write stores every column of its payment', () => {
  it('settleWithPayment() writes every scalar field of Payment', () => {
    expect(Object.keys(SETTLED_PAYMENT_COLUMNS).sort()).toEqual(
      Object.values(Prisma.PaymentScalarFieldEnum).sort(),
    );
  });

  it('begin() writes every scalar field of ChargeAttempt but those its settlement sets', () => {
    expect([...Object.keys(BEGUN_ATTEMPT_COLUMNS), ...SETTLED_LATER].sort()).toEqual(
      Object.values(Prisma.ChargeAttemptScalarFieldEnum).sort(),
    );
  });
});
