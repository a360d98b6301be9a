/**
 * Whether a server's agent is connected, how, and when it was last heard from: one row per
 * server in the AgentPresence table, written by the agent gateway, read by the UI. Written with
 * the store's statements (on SQLite, the one writing connection), never through Prisma.
 */
import type { Database } from "../store/database";
import { execute, sql } from "../store/sql";

export interface AgentConnection {
  serverId: string;
  projectId: string;
  /** This connection's id (socket.io's): only it may mark the agent disconnected. */
  connectionId: string;
  /** socket.io's transport ("websocket", "polling"). */
  transport: string;
  address: string;
}

export interface AgentPresence {
  connected(c: AgentConnection): Promise<void>;
  /** The agent sent something: "last seen" moves on (at most once every few seconds). */
  seen(serverId: string): Promise<void>;
  disconnected(serverId: string, connectionId: string): Promise<void>;
}

/** "Last seen" is written at most this often per server. */
const SEEN_EVERY_MS = 5_000;

export class StoredAgentPresence implements AgentPresence {
  private readonly lastWritten = new Map<string, number>();

  constructor(private readonly db: Database) {}

  async connected(c: AgentConnection) {
    const now = new Date();
    await execute(
      this.db,
      sql`INSERT INTO "AgentPresence" ("serverId", "projectId", "connected", "connectionId", "transport", "address", "connectedAt", "lastSeenAt")
          VALUES (${c.serverId}, ${c.projectId}, ${true}, ${c.connectionId}, ${c.transport}, ${c.address}, ${now}, ${now})
          ON CONFLICT ("serverId") DO UPDATE SET "projectId" = excluded."projectId", "connected" = excluded."connected",
            "connectionId" = excluded."connectionId", "transport" = excluded."transport", "address" = excluded."address",
            "connectedAt" = excluded."connectedAt", "lastSeenAt" = excluded."lastSeenAt"`,
    );
    this.lastWritten.set(c.serverId, now.getTime());
  }

  async seen(serverId: string) {
    const now = Date.now();
    if (now - (this.lastWritten.get(serverId) ?? 0) < SEEN_EVERY_MS) return;
    this.lastWritten.set(serverId, now);
    if (this.lastWritten.size > 100_000) this.lastWritten.delete(this.lastWritten.keys().next().value!);
    await execute(this.db, sql`UPDATE "AgentPresence" SET "lastSeenAt" = ${new Date(now)} WHERE "serverId" = ${serverId}`);
  }

  async disconnected(serverId: string, connectionId: string) {
    const now = new Date();
    await execute(
      this.db,
      sql`UPDATE "AgentPresence" SET "connected" = ${false}, "lastSeenAt" = ${now}, "disconnectedAt" = ${now}
          WHERE "serverId" = ${serverId} AND "connectionId" = ${connectionId}`,
    );
  }

  /** For the UI: the agent of each of these servers, if one ever connected. */
  async of(serverIds: string[]) {
    return this.db.prisma.agentPresence.findMany({ where: { serverId: { in: serverIds } } });
  }
}
