-- AlterTable
ALTER TABLE "purchases" ADD COLUMN     "cancel_idempotency_key" TEXT,
ADD COLUMN     "idempotency_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "purchases_buyer_id_idempotency_key_key" ON "purchases"("buyer_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "purchases_buyer_id_cancel_idempotency_key_key" ON "purchases"("buyer_id", "cancel_idempotency_key");

