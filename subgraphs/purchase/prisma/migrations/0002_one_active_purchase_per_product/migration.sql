-- Hand-written: Prisma's schema language has no partial unique index.
-- At most one purchase per product may be in progress or paid. Of twenty buyers racing for one
-- product, the database lets exactly one insert through; the others get a unique violation,
-- which the repository turns into PRODUCT_NOT_AVAILABLE.
CREATE UNIQUE INDEX "purchases_one_active_per_product" ON "purchases" ("product_id") WHERE "status" IN ('PENDING', 'PAID');
