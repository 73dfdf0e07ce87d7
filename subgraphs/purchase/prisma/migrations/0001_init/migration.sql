-- CreateEnum
CREATE TYPE "PurchaseStatus" AS ENUM ('PENDING', 'PAID', 'CANCELLED', 'FAILED');

-- CreateTable
CREATE TABLE "purchases" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "buyer_id" UUID NOT NULL,
    "seller_id" UUID NOT NULL,
    "price_krw" INTEGER NOT NULL,
    "status" "PurchaseStatus" NOT NULL,
    "payment_id" UUID,
    "failure_reason" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "paid_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "purchases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_projection" (
    "id" UUID NOT NULL,
    "seller_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "price_krw" INTEGER NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "last_event_seq" BIGINT NOT NULL,

    CONSTRAINT "product_projection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "purchases_buyer_id_idx" ON "purchases"("buyer_id");

-- CreateIndex
CREATE INDEX "purchases_seller_id_idx" ON "purchases"("seller_id");

-- CreateIndex
CREATE INDEX "purchases_product_id_idx" ON "purchases"("product_id");

-- CreateIndex
CREATE INDEX "purchases_status_started_at_idx" ON "purchases"("status", "started_at");

