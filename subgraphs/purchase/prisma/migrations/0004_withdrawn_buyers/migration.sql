-- CreateTable
CREATE TABLE "withdrawn_buyers" (
    "buyer_id" UUID NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "withdrawn_buyers_pkey" PRIMARY KEY ("buyer_id")
);

