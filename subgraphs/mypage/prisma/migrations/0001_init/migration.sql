-- CreateTable
CREATE TABLE "members" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "nickname" TEXT NOT NULL,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "products" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seller_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "price_krw" INTEGER NOT NULL,
    "image_url" TEXT,
    "status" TEXT NOT NULL,
    "registered_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "purchases" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "product_id" TEXT NOT NULL,
    "product_title" TEXT NOT NULL,
    "price_krw" INTEGER NOT NULL,
    "buyer_id" TEXT NOT NULL,
    "seller_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "paid_at" DATETIME NOT NULL,
    "cancelled_at" DATETIME,
    "refunded_at" DATETIME
);

-- CreateTable
CREATE TABLE "purchase_status_history" (
    "event_id" TEXT NOT NULL PRIMARY KEY,
    "purchase_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "seq" INTEGER NOT NULL,
    CONSTRAINT "purchase_status_history_purchase_id_fkey" FOREIGN KEY ("purchase_id") REFERENCES "purchases" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "applied_events" (
    "event_id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "checkpoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "last_seq" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "products_seller_id_registered_at_idx" ON "products"("seller_id", "registered_at");

-- CreateIndex
CREATE INDEX "purchases_buyer_id_paid_at_idx" ON "purchases"("buyer_id", "paid_at");

-- CreateIndex
CREATE INDEX "purchases_seller_id_paid_at_idx" ON "purchases"("seller_id", "paid_at");

-- CreateIndex
CREATE INDEX "purchases_product_id_idx" ON "purchases"("product_id");

-- CreateIndex
CREATE INDEX "purchase_status_history_purchase_id_seq_idx" ON "purchase_status_history"("purchase_id", "seq");

