-- AlterTable
ALTER TABLE "media_asset" ADD COLUMN     "fileName" TEXT,
ADD COLUMN     "sha256" TEXT;

