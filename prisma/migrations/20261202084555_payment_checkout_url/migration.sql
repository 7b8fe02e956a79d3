-- AlterTable
ALTER TABLE "payment" ADD COLUMN     "checkoutUrl" TEXT;

-- CreateIndex
CREATE INDEX "order_storeId_email_createdAt_idx" ON "order"("storeId", "email", "createdAt");

