-- CreateTable
CREATE TABLE "StackTrust" (
    "stackId" TEXT NOT NULL,
    "trust" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StackTrust_pkey" PRIMARY KEY ("stackId")
);

