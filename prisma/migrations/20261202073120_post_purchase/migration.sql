-- AlterTable
ALTER TABLE "order" ADD COLUMN     "paymentStatus" TEXT NOT NULL DEFAULT 'unpaid';

-- AlterTable
ALTER TABLE "order_line" ADD COLUMN     "cancelledQuantity" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "returnedQuantity" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "payment" ADD COLUMN     "capturedAmount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "capturedAt" TIMESTAMPTZ(3),
ADD COLUMN     "reference" TEXT,
ADD COLUMN     "returnId" UUID;

-- AlterTable (orderId filled from the refund's payment before it becomes NOT NULL)
ALTER TABLE "refund" ADD COLUMN     "orderId" UUID,
ADD COLUMN     "returnId" UUID,
ADD COLUMN     "settledAt" TIMESTAMPTZ(3);
UPDATE "refund" r SET "orderId" = p."orderId" FROM "payment" p WHERE p.id = r."paymentId";
UPDATE "refund" SET "settledAt" = "createdAt" WHERE status = 'succeeded';
ALTER TABLE "refund" ALTER COLUMN "orderId" SET NOT NULL;

-- Payment statuses of the lifecycle table: succeeded was a capture, cancelled a void. What was
-- captured is the whole amount (partial captures did not exist before).
UPDATE "payment" SET status = 'captured' WHERE status = 'succeeded';
UPDATE "payment" SET status = 'voided' WHERE status = 'cancelled';
UPDATE "payment" SET "capturedAmount" = amount, "capturedAt" = "updatedAt"
WHERE status IN ('captured', 'partially_refunded', 'refunded');

-- The order's payment status, from its captured payments and settled refunds.
UPDATE "order" o SET "paymentStatus" = CASE
    WHEN t.captured = 0 THEN 'unpaid'
    WHEN t.settled >= t.captured THEN 'refunded'
    WHEN t.settled > 0 THEN 'partially_refunded'
    ELSE 'paid' END
FROM (
  SELECT p."orderId",
         sum(p."capturedAmount")::int AS captured,
         coalesce(sum((SELECT sum(r.amount) FROM "refund" r WHERE r."paymentId" = p.id AND r.status = 'succeeded')), 0)::int AS settled
  FROM "payment" p GROUP BY p."orderId"
) t
WHERE t."orderId" = o.id;

-- Quantities that can never go out of range, whatever code path writes them.
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_quantities_check"
  CHECK ("fulfilledQuantity" >= 0 AND "cancelledQuantity" >= 0 AND "returnedQuantity" >= 0
         AND "fulfilledQuantity" + "cancelledQuantity" <= quantity AND "returnedQuantity" <= "fulfilledQuantity");
ALTER TABLE "payment" ADD CONSTRAINT "payment_amounts_check"
  CHECK ("capturedAmount" >= 0 AND "capturedAmount" <= amount AND "refundedAmount" >= 0 AND "refundedAmount" <= "capturedAmount");

-- AlterTable
ALTER TABLE "fulfillment" ADD COLUMN     "returnId" UUID;

-- CreateTable
CREATE TABLE "order_return" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "reason" TEXT NOT NULL,
    "rmaNumber" TEXT,
    "restocked" BOOLEAN,
    "warehouseId" UUID,
    "priceDifference" INTEGER,
    "rejectionReason" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "receivedAt" TIMESTAMPTZ(3),
    "rejectedAt" TIMESTAMPTZ(3),
    "refundedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "order_return_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_return_line" (
    "id" UUID NOT NULL,
    "returnId" UUID NOT NULL,
    "orderLineId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "newVariantId" UUID,
    "newEntityId" UUID,
    "newSku" TEXT,
    "newUnitPrice" INTEGER,

    CONSTRAINT "order_return_line_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "order_return_orderId_kind_idx" ON "order_return"("orderId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "order_return_storeId_rmaNumber_key" ON "order_return"("storeId", "rmaNumber");

-- CreateIndex
CREATE INDEX "order_return_line_returnId_idx" ON "order_return_line"("returnId");

-- CreateIndex
CREATE INDEX "order_return_line_orderLineId_idx" ON "order_return_line"("orderLineId");

-- CreateIndex
CREATE INDEX "refund_orderId_idx" ON "refund"("orderId");

-- CreateIndex
CREATE INDEX "refund_paymentId_idx" ON "refund"("paymentId");

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "order_return"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund" ADD CONSTRAINT "refund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund" ADD CONSTRAINT "refund_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "order_return"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fulfillment" ADD CONSTRAINT "fulfillment_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "order_return"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_return" ADD CONSTRAINT "order_return_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_return_line" ADD CONSTRAINT "order_return_line_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "order_return"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_return_line" ADD CONSTRAINT "order_return_line_orderLineId_fkey" FOREIGN KEY ("orderLineId") REFERENCES "order_line"("id") ON DELETE CASCADE ON UPDATE CASCADE;


ALTER TABLE "order_return_line" ADD CONSTRAINT "order_return_line_quantity_check" CHECK (quantity > 0);
