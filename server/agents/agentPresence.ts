/**
 * Whether a server's agent is connected, how, and when it was last heard from: one row per
 * server in the AgentPresence table, written by the agent gateway, read by the UI.
 */
import type { Database } from "../store/database";

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
    const row = { projectId: c.projectId, connected: true, connectionId: c.connectionId, transport: c.transport, address: c.address, connectedAt: now, lastSeenAt: now };
    await this.db.prisma.agentPresence.upsert({ where: { serverId: c.serverId }, create: { serverId: c.serverId, ...row }, update: row });
    this.lastWritten.set(c.serverId, now.getTime());
  }

  async seen(serverId: string) {
    const now = Date.now();
    if (now - (this.lastWritten.get(serverId) ?? 0) < SEEN_EVERY_MS) return;
    this.lastWritten.set(serverId, now);
    if (this.lastWritten.size > 100_000) this.lastWritten.delete(this.lastWritten.keys().next().value!);
    await this.db.prisma.agentPresence.updateMany({ where: { serverId }, data: { lastSeenAt: new Date(now) } });
  }

  async disconnected(serverId: string, connectionId: string) {
    const now = new Date();
    await this.db.prisma.agentPresence.updateMany({ where: { serverId, connectionId }, data: { connected: false, lastSeenAt: now, disconnectedAt: now } });
  }

  /** For the UI: the agent of each of these servers, if one ever connected. */
  async of(serverIds: string[]) {
    return this.db.prisma.agentPresence.findMany({ where: { serverId: { in: serverIds } } });
  }
}
