-- AlterTable
ALTER TABLE "Resource" ADD COLUMN "lockRunner" TEXT;

