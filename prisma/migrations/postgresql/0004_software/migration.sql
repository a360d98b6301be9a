-- CreateTable
CREATE TABLE "SoftwareConfig" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "name" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "config" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SoftwareConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SoftwareDeployment" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "serverId" TEXT NOT NULL,
    "configId" TEXT NOT NULL,
    "inputValues" TEXT NOT NULL DEFAULT '{}',
    "outputValues" TEXT NOT NULL DEFAULT '{}',
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT NOT NULL DEFAULT '',
    "stackId" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "resourceName" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "signalToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SoftwareDeployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerMetadata" (
    "serverId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "modifiedAt" DOUBLE PRECISION NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ServerMetadata_pkey" PRIMARY KEY ("serverId")
);

-- CreateIndex
CREATE INDEX "SoftwareConfig_projectId_idx" ON "SoftwareConfig"("projectId");

-- CreateIndex
CREATE INDEX "SoftwareDeployment_serverId_idx" ON "SoftwareDeployment"("serverId");

-- CreateIndex
CREATE INDEX "Resource_physicalId_idx" ON "Resource"("physicalId");

