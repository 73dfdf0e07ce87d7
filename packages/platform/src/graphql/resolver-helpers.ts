import type { z } from 'zod';
import type { Identity } from '../auth/access-token.js';
import { badUserInput, unauthenticated } from './errors.js';
import { ruleBroken } from './input-rules.js';
import type { RequestContext } from './subgraph-server.js';

/**
 * Resolver arguments checked against their zod schema (shape and size; the domain owns the rules).
 * A mismatch is BAD_USER_INPUT naming the `field` and the rule it broke in words, never a 500.
 */
export function parseArgs<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input, { error: ruleBroken });
  if (!result.success) throw badUserInput(result.error);
  return result.data;
}

/**
 * The verified caller, or UNAUTHENTICATED. `@authenticated` already refuses anonymous operations
 * before any resolver runs; this keeps a resolver honest when its field loses the directive.
 */
export function requireIdentity(context: RequestContext): Identity {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

/**
 * `view` when the caller is one of its `parties` (e.g. the buyer and the seller of a deal), null
 * otherwise: nobody else is told anything, not even that it exists.
 */
export function visibleTo<V>(
  view: V | null | undefined,
  context: RequestContext,
  parties: (view: V) => readonly string[],
): V | null {
  const memberId = context.identity?.memberId;
  if (view === null || view === undefined || memberId === undefined) return null;
  return parties(view).includes(memberId) ? view : null;
}
