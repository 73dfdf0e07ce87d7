/**
 * True for a unique-constraint violation: a race the database settled. The model API reports it as
 * P2002; a raw statement (a write with its events in one statement, saveWithEventsInOneStatement)
 * as P2010 carrying the driver adapter's UniqueConstraintViolation.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (e.code === 'P2002') return true;
  return e.code === 'P2010' && e.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation';
}

// Prisma's codes for "the database could not be reached / the connection broke / no connection
// came free in time".
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024']);
// Driver adapter kinds of the same.
const UNREACHABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
]);
// PostgreSQL: connection exceptions (class 08), the server shutting down or starting (57P01–57P03),
// too many connections; 55000 at connection time is a database not accepting connections.
const UNREACHABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * True when `error` says the database cannot be reached right now (refused, dropped, shutting
 * down, pool exhausted) rather than that a query was wrong: the caller should be told to retry
 * (SERVICE_UNAVAILABLE), not that something broke. Looks through Prisma's wrappers and causes.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as {
    code?: unknown;
    errorCode?: unknown;
    kind?: unknown;
    originalCode?: unknown;
    severity?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && (UNREACHABLE_PRISMA_CODES.has(code) || UNREACHABLE_NODE_CODES.has(code))) return true;
  if (typeof e.errorCode === 'string' && UNREACHABLE_PRISMA_CODES.has(e.errorCode)) return true;
  if (typeof e.kind === 'string' && UNREACHABLE_ADAPTER_KINDS.has(e.kind)) return true;
  if (e.kind === 'postgres') {
    const sqlState = typeof e.originalCode === 'string' ? e.originalCode : code;
    if (sqlState && UNREACHABLE_SQLSTATE.test(sqlState)) return true;
    if (sqlState === '55000' && e.severity === 'FATAL') return true;
  }
  if (
    typeof e.message === 'string' &&
    /Connection terminated|Client has encountered a connection error/.test(e.message)
  )
    return true;
  return (
    isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)
  );
}
