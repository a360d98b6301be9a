-- CreateTable
CREATE TABLE "StackTrust" (
    "stackId" TEXT NOT NULL PRIMARY KEY,
    "trust" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

