-- Each deal's PurchaseFailed, once seen (its stream sequence): a purchase that failed is never a
-- deal, so its late charge (completed after purchase gave up, then refunded) sells nothing
-- (subgraphs/product/README.md, "Payment facts in any order"). Nullable: no failure was kept before,
-- and replicas of the previous release write deals without it.
-- AlterTable
ALTER TABLE "product_deals" ADD COLUMN     "failed_seq" BIGINT;
