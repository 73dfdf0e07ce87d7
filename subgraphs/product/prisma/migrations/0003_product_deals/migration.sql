-- Each purchase's payment facts per product replace the product's last payment sequence: facts
-- about different purchases no longer make each other stale (README, "Payment facts in any order").

-- Old replicas keep selling while a new pod migrates. Without this lock the copy below would not
-- see a sale an old replica has written but not yet committed, and that product would stay SOLD
-- with no deal. It waits for every transaction that has touched products, a row lock taken FOR
-- UPDATE included (its holder's later UPDATE still goes ahead of the waiting lock), and holds
-- everything else off until this one commits. ACCESS EXCLUSIVE, not the SHARE ROW EXCLUSIVE that
-- keeps readers going, because ADD COLUMN below needs it: upgrading to it while a replica holds a
-- row lock and waits to write is a deadlock (tried: the migration test's locked-then-written sale).
-- A sale an old replica writes after the commit has no deal: the repository's load tolerates it,
-- and the rollout rule for this release keeps old replicas from consuming by then
-- (docs/operations.md).
-- At most 10 s: a session holding a lock on products (an audit, psql) would otherwise keep the
-- migration waiting with no limit and every reader queued behind it. On timeout the migration
-- rolls back and the pod fails to start; it is tried again on the pod's restart.
SET LOCAL lock_timeout = '10s';
LOCK TABLE "products" IN ACCESS EXCLUSIVE MODE;

-- CreateTable
CREATE TABLE "product_deals" (
    "product_id" UUID NOT NULL,
    "purchase_id" TEXT NOT NULL,
    "completed_seq" BIGINT,
    "cancelled_seq" BIGINT,

    CONSTRAINT "product_deals_pkey" PRIMARY KEY ("product_id","purchase_id")
);

-- The deal a product stands sold to is carried over, or a later cancellation of another purchase
-- would find no open deal and put it back on sale. Its completion's own sequence was not kept;
-- last_payment_seq is at or after it, which matters only to choose between two open deals (a
-- transient state). Facts about purchases that sell nothing now were never kept per purchase and
-- cannot be carried over.
INSERT INTO "product_deals" ("product_id", "purchase_id", "completed_seq", "cancelled_seq")
SELECT "id", "sold_to_purchase_id", COALESCE("last_payment_seq", 0), NULL
  FROM "products"
 WHERE "status" = 'SOLD' AND "sold_to_purchase_id" IS NOT NULL;

-- The old rule's state of every product is kept as its floor (deals_from_seq, never moved by the
-- new code): a fact at or below it about a purchase with no deal was already judged by that rule,
-- which ignored facts older than the latest and kept nothing per purchase. Without it, a
-- cancellation handled before its completion (the product left on sale with only its sequence)
-- would let that completion, arriving now, sell the product to a cancelled purchase.
ALTER TABLE "products" ADD COLUMN "deals_from_seq" BIGINT;
UPDATE "products" SET "deals_from_seq" = "last_payment_seq" WHERE "last_payment_seq" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "product_deals" ADD CONSTRAINT "product_deals_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- last_payment_seq stays (expand, then contract): replicas of the previous release read and write
-- it with every product statement, and go on serving until they are replaced — or come back on a
-- rollback. New code keeps it as they keep it (the greatest sequence of the product's facts), so
-- their stale-fact check still holds; a later release's migration drops it.
