-- AlterTable
ALTER TABLE "order_line" ADD COLUMN     "commission" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "subOrderId" UUID;

-- AlterTable
ALTER TABLE "order_return" ADD COLUMN     "shipBackCarrier" TEXT,
ADD COLUMN     "shipBackTrackingNumber" TEXT,
ADD COLUMN     "shippedBackAt" TIMESTAMPTZ(3),
ADD COLUMN     "subOrderId" UUID;

-- CreateTable
CREATE TABLE "commission_rule" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "vendorId" UUID,
    "categoryId" UUID,
    "rateBps" INTEGER NOT NULL DEFAULT 0,
    "fixedAmount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "commission_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sub_order" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "currency" TEXT NOT NULL,
    "subtotal" INTEGER NOT NULL,
    "shippingShare" INTEGER NOT NULL DEFAULT 0,
    "taxShare" INTEGER NOT NULL DEFAULT 0,
    "commission" INTEGER NOT NULL,
    "vendorNet" INTEGER NOT NULL,
    "carrier" TEXT,
    "trackingNumber" TEXT,
    "cancelReason" TEXT,
    "confirmedAt" TIMESTAMPTZ(3),
    "shippedAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sub_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vendor_ledger_entry" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "subOrderId" UUID,
    "payoutId" UUID,
    "disputeId" UUID,
    "reference" TEXT NOT NULL,
    "availableAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vendor_ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "provider" TEXT NOT NULL,
    "providerRef" TEXT,
    "failureReason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "paidAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dispute" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "subOrderId" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "openedByType" TEXT NOT NULL,
    "openedById" TEXT,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "vendorResponse" TEXT,
    "resolution" TEXT,
    "refundAmount" INTEGER,
    "refundId" UUID,
    "respondedAt" TIMESTAMPTZ(3),
    "escalatedAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dispute_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "commission_rule_storeId_vendorId_categoryId_idx" ON "commission_rule"("storeId", "vendorId", "categoryId");

-- CreateIndex
CREATE INDEX "sub_order_storeId_vendorId_createdAt_idx" ON "sub_order"("storeId", "vendorId", "createdAt");

-- CreateIndex
CREATE INDEX "sub_order_storeId_status_createdAt_idx" ON "sub_order"("storeId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "sub_order_storeId_number_key" ON "sub_order"("storeId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "sub_order_orderId_vendorId_key" ON "sub_order"("orderId", "vendorId");

-- CreateIndex
CREATE INDEX "vendor_ledger_entry_storeId_vendorId_createdAt_idx" ON "vendor_ledger_entry"("storeId", "vendorId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "vendor_ledger_entry_storeId_reference_key" ON "vendor_ledger_entry"("storeId", "reference");

-- CreateIndex
CREATE INDEX "payout_storeId_vendorId_createdAt_idx" ON "payout"("storeId", "vendorId", "createdAt");

-- CreateIndex
CREATE INDEX "payout_storeId_status_createdAt_idx" ON "payout"("storeId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "dispute_storeId_vendorId_createdAt_idx" ON "dispute"("storeId", "vendorId", "createdAt");

-- CreateIndex
CREATE INDEX "dispute_subOrderId_idx" ON "dispute"("subOrderId");

-- CreateIndex
CREATE INDEX "order_line_subOrderId_idx" ON "order_line"("subOrderId");

-- AddForeignKey
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_subOrderId_fkey" FOREIGN KEY ("subOrderId") REFERENCES "sub_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_return" ADD CONSTRAINT "order_return_subOrderId_fkey" FOREIGN KEY ("subOrderId") REFERENCES "sub_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commission_rule" ADD CONSTRAINT "commission_rule_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commission_rule" ADD CONSTRAINT "commission_rule_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commission_rule" ADD CONSTRAINT "commission_rule_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sub_order" ADD CONSTRAINT "sub_order_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sub_order" ADD CONSTRAINT "sub_order_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sub_order" ADD CONSTRAINT "sub_order_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_ledger_entry" ADD CONSTRAINT "vendor_ledger_entry_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_ledger_entry" ADD CONSTRAINT "vendor_ledger_entry_subOrderId_fkey" FOREIGN KEY ("subOrderId") REFERENCES "sub_order"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_ledger_entry" ADD CONSTRAINT "vendor_ledger_entry_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "payout"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_ledger_entry" ADD CONSTRAINT "vendor_ledger_entry_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout" ADD CONSTRAINT "payout_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout" ADD CONSTRAINT "payout_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_subOrderId_fkey" FOREIGN KEY ("subOrderId") REFERENCES "sub_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
