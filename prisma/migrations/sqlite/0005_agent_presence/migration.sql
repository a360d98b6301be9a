-- CreateTable
CREATE TABLE "AgentPresence" (
    "serverId" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL DEFAULT 'default',
    "connected" BOOLEAN NOT NULL DEFAULT false,
    "connectionId" TEXT NOT NULL DEFAULT '',
    "transport" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "connectedAt" DATETIME,
    "lastSeenAt" DATETIME,
    "disconnectedAt" DATETIME
);

