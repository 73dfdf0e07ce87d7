import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../src/database/prisma-errors.js';
import { isStoreUnavailable } from '../src/graphql/errors.js';

// Shapes as Prisma 6.19 with @prisma/adapter-pg raised them against a real server (closed port,
// a database refusing connections, a terminated backend).
const adapterError = (cause: Record<string, unknown>) =>
  Object.assign(new Error(String(cause.message ?? cause.kind)), { name: 'DriverAdapterError', cause });
const knownRequestError = (code: string, driverAdapterError?: unknown) =>
  Object.assign(new Error('Invalid invocation'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: { driverAdapterError },
  });

describe('store unavailability', () => {
  it('a closed port, a database not accepting connections, a terminated connection and an exhausted pool are unavailability', () => {
    expect(
      isDatabaseUnavailable(knownRequestError('P1001', { cause: { kind: 'DatabaseNotReachable' } })),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(
        adapterError({
          kind: 'postgres',
          originalCode: '55000',
          severity: 'FATAL',
          message: 'not currently accepting connections',
        }),
      ),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(
        knownRequestError('P2010', {
          name: 'DriverAdapterError',
          cause: { kind: 'postgres', originalCode: '57P01', severity: 'FATAL' },
        }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(knownRequestError('P2024'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('a query the database refused for what it said is not unavailability', () => {
    expect(isDatabaseUnavailable(knownRequestError('P2002'))).toBe(false);
    expect(
      isDatabaseUnavailable(
        knownRequestError('P2010', { cause: { kind: 'postgres', originalCode: '42P01', severity: 'ERROR' } }),
      ),
    ).toBe(false);
    expect(isStoreUnavailable(new Error('boom'))).toBe(false);
  });

  it('a NATS connection that is closed or a request nobody answered is unavailability', () => {
    class ClosedConnectionError extends Error {
      override name = 'ClosedConnectionError';
    }
    expect(
      isStoreUnavailable(new Error('publish failed', { cause: new ClosedConnectionError('closed') })),
    ).toBe(true);
    // As Apollo hands over what a context function threw.
    const wrapped = new GraphQLError('Context creation failed', {
      originalError: new ClosedConnectionError('closed'),
    });
    expect(isStoreUnavailable(wrapped)).toBe(true);
  });
});
