-- CreateTable
CREATE TABLE "ProjectCloud" (
    "projectId" TEXT NOT NULL PRIMARY KEY,
    "credentials" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

