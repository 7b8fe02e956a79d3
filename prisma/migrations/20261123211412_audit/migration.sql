-- CreateTable
CREATE TABLE "audit_entry" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "event" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "requestId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_entry_storeId_entityType_entityId_createdAt_idx" ON "audit_entry"("storeId", "entityType", "entityId", "createdAt");

-- CreateIndex
CREATE INDEX "audit_entry_storeId_event_createdAt_idx" ON "audit_entry"("storeId", "event", "createdAt");

-- CreateIndex
CREATE INDEX "audit_entry_storeId_createdAt_idx" ON "audit_entry"("storeId", "createdAt");

