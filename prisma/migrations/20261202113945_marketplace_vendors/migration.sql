-- AlterTable
ALTER TABLE "api_key" ADD COLUMN     "vendorId" UUID;

-- AlterTable
ALTER TABLE "catalog_entity" ADD COLUMN     "vendorId" UUID;

-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "vendorId" UUID;

-- AlterTable
ALTER TABLE "media_asset" ADD COLUMN     "vendorId" UUID;

-- CreateTable
CREATE TABLE "vendor" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "rejectionReason" TEXT,
    "description" TEXT,
    "logoUrl" TEXT,
    "phone" TEXT,
    "website" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vendor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vendor_document" (
    "id" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "mediaAssetId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vendor_document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vendor_review" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "orderId" UUID,
    "rating" INTEGER NOT NULL,
    "body" TEXT,
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "reply" TEXT,
    "repliedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vendor_review_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "vendor_storeId_status_createdAt_idx" ON "vendor"("storeId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "vendor_storeId_slug_key" ON "vendor"("storeId", "slug");

-- CreateIndex
CREATE INDEX "vendor_document_vendorId_createdAt_idx" ON "vendor_document"("vendorId", "createdAt");

-- CreateIndex
CREATE INDEX "vendor_review_vendorId_hidden_createdAt_idx" ON "vendor_review"("vendorId", "hidden", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "vendor_review_vendorId_customerId_key" ON "vendor_review"("vendorId", "customerId");

-- CreateIndex
CREATE INDEX "catalog_entity_vendorId_createdAt_idx" ON "catalog_entity"("vendorId", "createdAt");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog_entity" ADD CONSTRAINT "catalog_entity_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor" ADD CONSTRAINT "vendor_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_document" ADD CONSTRAINT "vendor_document_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_document" ADD CONSTRAINT "vendor_document_mediaAssetId_fkey" FOREIGN KEY ("mediaAssetId") REFERENCES "media_asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_review" ADD CONSTRAINT "vendor_review_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vendor_review" ADD CONSTRAINT "vendor_review_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "media_asset" ADD CONSTRAINT "media_asset_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;
