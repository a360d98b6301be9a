-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "RawTemplate" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "template" TEXT NOT NULL,
    "files" TEXT NOT NULL DEFAULT '{}',
    "environment" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RawTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Stack" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "name" TEXT NOT NULL,
    "parentResourceId" TEXT,
    "rootStackId" TEXT NOT NULL,
    "stackPath" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT NOT NULL DEFAULT '',
    "templateId" TEXT,
    "prevTemplateId" TEXT,
    "parameters" TEXT NOT NULL DEFAULT '{}',
    "currentTraversal" TEXT,
    "disableRollback" BOOLEAN NOT NULL DEFAULT true,
    "timeoutMins" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Stack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resource" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "stackId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "physicalId" TEXT,
    "action" TEXT NOT NULL DEFAULT 'INIT',
    "status" TEXT NOT NULL DEFAULT 'COMPLETE',
    "statusReason" TEXT NOT NULL DEFAULT '',
    "templateId" TEXT,
    "requires" TEXT NOT NULL DEFAULT '[]',
    "replaces" TEXT,
    "replacedBy" TEXT,
    "lockTraversal" TEXT,
    "convergedTraversal" TEXT,
    "properties" TEXT NOT NULL DEFAULT '{}',
    "attributes" TEXT NOT NULL DEFAULT '{}',
    "data" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncPoint" (
    "traversal" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "stackId" TEXT NOT NULL,
    "remaining" INTEGER NOT NULL,
    "successors" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "SyncPoint_pkey" PRIMARY KEY ("traversal","node")
);

-- CreateTable
CREATE TABLE "SyncArrival" (
    "traversal" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "predecessor" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "SyncArrival_pkey" PRIMARY KEY ("traversal","node","predecessor")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "queue" TEXT NOT NULL DEFAULT 'engine',
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "availableAt" DOUBLE PRECISION NOT NULL,
    "leaseHolder" TEXT,
    "leaseUntil" DOUBLE PRECISION,
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" SERIAL NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "stackId" TEXT NOT NULL,
    "rootStackId" TEXT NOT NULL,
    "stackPath" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "resourceName" TEXT,
    "physicalResourceId" TEXT,
    "resourceType" TEXT,
    "action" TEXT,
    "status" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "traversal" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RawTemplate_projectId_idx" ON "RawTemplate"("projectId");

-- CreateIndex
CREATE INDEX "Stack_rootStackId_idx" ON "Stack"("rootStackId");

-- CreateIndex
CREATE UNIQUE INDEX "Stack_projectId_name_key" ON "Stack"("projectId", "name");

-- CreateIndex
CREATE INDEX "Resource_stackId_idx" ON "Resource"("stackId");

-- CreateIndex
CREATE INDEX "SyncPoint_stackId_idx" ON "SyncPoint"("stackId");

-- CreateIndex
CREATE INDEX "Job_queue_availableAt_idx" ON "Job"("queue", "availableAt");

-- CreateIndex
CREATE INDEX "Event_rootStackId_id_idx" ON "Event"("rootStackId", "id");

-- CreateIndex
CREATE INDEX "Event_stackId_id_idx" ON "Event"("stackId", "id");

