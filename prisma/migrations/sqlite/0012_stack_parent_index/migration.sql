-- CreateIndex
CREATE INDEX "Stack_parentResourceId_idx" ON "Stack"("parentResourceId");

