-- CreateTable
CREATE TABLE "AgentPresence" (
    "serverId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "connected" BOOLEAN NOT NULL DEFAULT false,
    "connectionId" TEXT NOT NULL DEFAULT '',
    "transport" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "connectedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    "disconnectedAt" TIMESTAMP(3),

    CONSTRAINT "AgentPresence_pkey" PRIMARY KEY ("serverId")
);

