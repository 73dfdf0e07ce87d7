-- When each deal's payment completed (PaymentCompleted's occurredAt): a seller's withdrawal dated no later
-- refuses that sale (subgraphs/product/README.md, "Seller withdrawal"). Nullable: deals recorded
-- before it have no time, and replicas of the previous release write deals without it.
-- AlterTable
ALTER TABLE "product_deals" ADD COLUMN     "completed_at" TIMESTAMPTZ(3);

