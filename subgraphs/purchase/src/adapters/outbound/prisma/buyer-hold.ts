import { Prisma } from './generated/client.js';

/**
 * A buyer held until the transaction ends (a transaction-scoped advisory lock keyed by the buyer):
 * MemberWithdrawn holds its buyer exclusively from before it records the withdrawal and reads their
 * purchases; every decision that can make one of their purchases PAID (the buy's answer,
 * PaymentCompleted) holds the buyer shared before it reads whether they withdrew. So a decision
 * either commits before the withdrawal reads the buyer's purchases — which then sees the deal PAID
 * and cancels it — or reads the withdrawal committed and cancels the deal itself; never between,
 * where the buy was neither seen by the withdrawal nor saw the buyer gone. Decisions of one buyer
 * hold it shared: they never wait for each other.
 *
 * The key is the two-int form: PostgreSQL keeps that lock space apart from the single-bigint one,
 * where the platform's locks are (RELAY_LOCK_KEY, the migrations' lock), so no buyer can ever
 * stand for — and stall — the relay. The first int names this lock among two-int keys (nothing else
 * in purchase's database uses them); the second is the buyer id's hash. Two buyers sharing a hash
 * only take turns more often: a withdrawal is rare and brief.
 */
const BUYER_LOCK_SPACE = 0x50_55_52_43; // "PURC"

/** The key of the buyer in `buyerId`, an SQL expression yielding a uuid (a column or a parameter). */
const keyOf = (buyerId: Prisma.Sql) => Prisma.sql`${BUYER_LOCK_SPACE}::int4, hashtext((${buyerId})::text)`;

/**
 * Holds the buyer of the row `p` shared, as an expression (true) for the locking statement's
 * select list, so that the decision costs no statement of its own. PostgreSQL evaluates the select
 * list below FOR UPDATE: the buyer is held before the statement waits for the purchase's row lock.
 * In that order a withdrawal (holding the buyer, then waiting for the buyer's purchases) and a
 * decision can never wait for each other.
 */
export const HOLD_BUYER_OF_P_SHARED = Prisma.sql`pg_advisory_xact_lock_shared(${keyOf(Prisma.sql`p.buyer_id`)}) IS NOT NULL`;

/** Holds the buyer exclusively: waits for the decisions holding them to commit. */
export const holdBuyerExclusively = (buyerId: string) =>
  Prisma.sql`SELECT pg_advisory_xact_lock(${keyOf(Prisma.sql`${buyerId}::uuid`)})`;
