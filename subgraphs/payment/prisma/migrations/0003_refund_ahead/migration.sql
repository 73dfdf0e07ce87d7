-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "cancellation_announced" BOOLEAN NOT NULL DEFAULT true;

