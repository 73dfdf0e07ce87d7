-- CreateEnum
CREATE TYPE "ProductStatus" AS ENUM ('ON_SALE', 'SOLD');

-- CreateEnum
CREATE TYPE "ProductDeletionReason" AS ENUM ('DELETED_BY_SELLER', 'SELLER_WITHDRAWN');

-- CreateTable
CREATE TABLE "products" (
    "id" UUID NOT NULL,
    "seller_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "price_krw" INTEGER NOT NULL,
    "image_url" TEXT,
    "status" "ProductStatus" NOT NULL DEFAULT 'ON_SALE',
    "registered_at" TIMESTAMPTZ(3) NOT NULL,
    "sold_to_purchase_id" TEXT,
    "last_payment_seq" BIGINT,
    "deleted_at" TIMESTAMPTZ(3),
    "deletion_reason" "ProductDeletionReason",

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "products_registered_at_id_idx" ON "products"("registered_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "products_seller_id_registered_at_idx" ON "products"("seller_id", "registered_at" DESC);

