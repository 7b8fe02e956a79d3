-- AlterTable
ALTER TABLE "order" ADD COLUMN     "clientReference" TEXT;

-- CreateTable
CREATE TABLE "favorite" (
    "customerId" UUID NOT NULL,
    "entityId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "favorite_pkey" PRIMARY KEY ("customerId","entityId")
);

-- CreateTable
CREATE TABLE "product_review" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "entityId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "orderId" UUID,
    "rating" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "authorName" TEXT,
    "reply" TEXT,
    "repliedAt" TIMESTAMPTZ(3),
    "publishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "product_review_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "favorite_customerId_createdAt_idx" ON "favorite"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "favorite_entityId_idx" ON "favorite"("entityId");

-- CreateIndex
CREATE INDEX "product_review_entityId_status_createdAt_idx" ON "product_review"("entityId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "product_review_storeId_status_createdAt_idx" ON "product_review"("storeId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "product_review_entityId_customerId_key" ON "product_review"("entityId", "customerId");

-- AddForeignKey
ALTER TABLE "favorite" ADD CONSTRAINT "favorite_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "favorite" ADD CONSTRAINT "favorite_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "catalog_entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_review" ADD CONSTRAINT "product_review_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "catalog_entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_review" ADD CONSTRAINT "product_review_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Added by hand: ratings are 1..5 and statuses those of the moderation table, whatever writes the row.
ALTER TABLE "product_review" ADD CONSTRAINT "product_review_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
ALTER TABLE "product_review" ADD CONSTRAINT "product_review_status_check" CHECK ("status" IN ('pending', 'published', 'hidden'));
