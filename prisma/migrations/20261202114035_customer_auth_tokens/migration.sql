-- Accounts and auth (issue 13): rememberMe sessions, rotating refresh tokens, signed single-use links.

-- AlterTable
ALTER TABLE "customer_session" ADD COLUMN     "persistent" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "customer_refresh_token" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_refresh_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_auth_link" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "callbackURL" TEXT,
    "pendingPasswordHash" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_auth_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customer_refresh_token_tokenHash_key" ON "customer_refresh_token"("tokenHash");

-- CreateIndex
CREATE INDEX "customer_refresh_token_sessionId_idx" ON "customer_refresh_token"("sessionId");

-- CreateIndex
CREATE INDEX "customer_auth_link_customerId_purpose_idx" ON "customer_auth_link"("customerId", "purpose");

-- AddForeignKey
ALTER TABLE "customer_refresh_token" ADD CONSTRAINT "customer_refresh_token_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "customer_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_auth_link" ADD CONSTRAINT "customer_auth_link_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
