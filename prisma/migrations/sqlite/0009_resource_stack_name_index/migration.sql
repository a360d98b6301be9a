-- DropIndex
DROP INDEX "Resource_stackId_idx";

-- CreateIndex
CREATE INDEX "Resource_stackId_name_idx" ON "Resource"("stackId", "name");

