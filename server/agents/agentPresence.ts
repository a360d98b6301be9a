/** Whether a server's agent is connected, since when, and when it was last heard from. */
export interface AgentConnection {
  serverId: string;
  projectId: string;
  /** socket.io's transport ("websocket", "polling"). */
  transport: string;
  address: string;
}

export interface AgentPresence {
  connected(c: AgentConnection): Promise<void>;
  /** The agent sent something: moves "last seen" on (at most once every few seconds). */
  seen(serverId: string): Promise<void>;
  disconnected(serverId: string): Promise<void>;
}
