-- CreateTable
CREATE TABLE "FailedAttempt" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL
);

