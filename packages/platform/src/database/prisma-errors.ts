/** True for a unique-constraint violation (Prisma error P2002): a race the database settled. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
