-- CreateTable
CREATE TABLE "FailedAttempt" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL,

    CONSTRAINT "FailedAttempt_pkey" PRIMARY KEY ("key")
);

