-- CreateTable
CREATE TABLE "RateBucket" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "tokens" REAL NOT NULL,
    "at" BIGINT NOT NULL,
    "took" INTEGER NOT NULL
);

