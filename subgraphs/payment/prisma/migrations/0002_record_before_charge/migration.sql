-- CreateEnum
CREATE TYPE "ChargeAttemptStatus" AS ENUM ('PENDING', 'CHARGED', 'NOT_CHARGED');

-- CreateTable
CREATE TABLE "charge_attempts" (
    "purchase_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "buyer_id" TEXT NOT NULL,
    "seller_id" TEXT NOT NULL,
    "amount_krw" INTEGER NOT NULL,
    "status" "ChargeAttemptStatus" NOT NULL,
    "provider_reference" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "charge_attempts_pkey" PRIMARY KEY ("purchase_id")
);

-- CreateTable
CREATE TABLE "simulated_provider_charges" (
    "provider_reference" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "buyer_id" TEXT NOT NULL,
    "amount_krw" INTEGER NOT NULL,
    "charged_at" TIMESTAMPTZ(3) NOT NULL,
    "refunded_at" TIMESTAMPTZ(3),

    CONSTRAINT "simulated_provider_charges_pkey" PRIMARY KEY ("provider_reference")
);

-- CreateIndex
CREATE INDEX "charge_attempts_status_started_at_idx" ON "charge_attempts"("status", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "simulated_provider_charges_idempotency_key_key" ON "simulated_provider_charges"("idempotency_key");

