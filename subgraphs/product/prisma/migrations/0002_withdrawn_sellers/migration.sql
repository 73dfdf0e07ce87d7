-- CreateTable
CREATE TABLE "withdrawn_sellers" (
    "seller_id" TEXT NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "withdrawn_sellers_pkey" PRIMARY KEY ("seller_id")
);

