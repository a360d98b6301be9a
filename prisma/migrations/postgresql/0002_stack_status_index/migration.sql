-- CreateIndex
CREATE INDEX "Stack_status_idx" ON "Stack"("status");

