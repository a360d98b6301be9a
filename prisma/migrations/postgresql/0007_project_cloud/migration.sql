-- CreateTable
CREATE TABLE "ProjectCloud" (
    "projectId" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectCloud_pkey" PRIMARY KEY ("projectId")
);

