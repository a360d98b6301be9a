/**
 * The `/agent` socket.io namespace: where Kiln's agents connect, one connection per server.
 *
 * Who may use it, event by event:
 *  - handshake: whoever holds a server's credential (`auth: {server, credential}`); nothing
 *    else counts (a browser's session cookie or token is not an agent credential). An unknown
 *    server and a wrong credential are refused with the same message; refusals from one
 *    address are throttled as sign-ins are.
 *  - `metadata` (to the agent): that server's deployments, on connect and whenever they change.
 *    Config content can hold secrets: it goes to that server's connections only.
 *  - `signal`: only for that server's deployments, checked again by the service on each call.
 *  - `log`: only for that server's deployments; bounded in size and rate.
 * A connection ends when its credential stops working (the server resource was deleted).
 * A credential opens a few connections at a time, at a bounded pace, and its connections share
 * one log rate: whoever holds it cannot flood the stack's events by opening more.
 */
import type { Database } from "../store/database";
import type { Namespace, Server, Socket } from "socket.io";
import type { Logger } from "pino";
import type { NotificationInput, Notifier } from "../engine/ports";
import { ProjectRateLimit } from "../identity/projectRateLimit";
import { SignInThrottle } from "../identity/signInThrottle";
import { maskText } from "../engine/template/hiddenValues";
import { cutLine, deploymentLogReason } from "./deploymentLogLine";
import type { MetadataChanges } from "../notify/processSignals";
import type { AgentPresence } from "./agentPresence";

/** The services the gateway stands in front of (server/services/software.ts). */
export interface AgentBackend {
  /** Throws a refusal (see isRefusal) for an unknown server or a wrong credential. Its serverId is the id deployments name the server by. */
  metadata(serverId: string, credential: string): Promise<{ serverId: string; projectId: string; transport: string; version: string; deployments: unknown[] }>;
  /** `entryId` is the metadata entry's id; only that server's deployments. */
  signal(serverId: string, credential: string, entryId: string, body: Record<string, unknown>): Promise<{ status: string }>;
  /** Where a metadata entry's log lines go (a deployment resource of that server), or undefined. */
  logTarget(serverId: string, entryId: string): Promise<LogTarget | undefined>;
  /** The server's own resource, for its connect/disconnect messages. */
  serverResource(serverId: string): Promise<ResourceRef | undefined>;
  /** The error says "no" (refused, not found, bad input), as opposed to "not now". */
  isRefusal(err: unknown): boolean;
}

export interface ResourceRef {
  stackId: string;
  resourceName: string;
  resourceType: string;
  physicalResourceId: string;
}

/** A deployment resource, and the texts its stack shows masked (the values of hidden parameters). */
export interface LogTarget extends ResourceRef {
  secrets: string[];
}

export const AGENT_LIMITS = {
  /** Lines per `log` event; a longer batch is dropped whole. */
  maxBatchLines: 500,
  /** Characters per `log` event. */
  maxBatchChars: 256 * 1024,
  /** Lines per second a connection may log, on average, and in one burst. */
  linesPerSecond: 200,
  burstLines: 1000,
  maxIdChars: 200,
  /** Connections of one server at once (in this process): an agent and a few still timing out. */
  maxConnectionsPerServer: 5,
  /** Connections one server may open a minute, and in one burst (each is told in the stack's events). */
  connectsPerMinute: 30,
} as const;

export const REFUSED = "Refused: unknown server or wrong credential";

interface AgentData {
  serverId: string;
  credential: string;
  projectId: string;
  transport: string;
  version: string;
  deployments: unknown[];
}

export interface AgentGatewayDeps {
  backend: AgentBackend;
  changes: MetadataChanges;
  presence: AgentPresence;
  notifier: Notifier;
  log: Logger;
  /** Where refused connections per address and connections per server are counted, shared by every process. */
  db: Database;
}

const room = (serverId: string) => `server:${serverId}`;

export function attachAgentGateway(io: Server, deps: AgentGatewayDeps): { namespace: Namespace; close: () => void } {
  const { backend, log } = deps;
  const throttle = new SignInThrottle(deps.db, "agent");
  const nsp = io.of("/agent");
  // Per server, in this process: its connections, and the log rate they share.
  const servers = new Map<string, { connections: number; logs: LogLimiter }>();
  // A token bucket keyed by server id (the same bucket as a project's changes).
  const connects = new ProjectRateLimit(deps.db, "agent-connect", AGENT_LIMITS.connectsPerMinute);
  const tooBusy = async (serverId: string): Promise<Error | undefined> => {
    if ((servers.get(serverId)?.connections ?? 0) >= AGENT_LIMITS.maxConnectionsPerServer) {
      return withData(new Error(`Too many connections for this server (at most ${AGENT_LIMITS.maxConnectionsPerServer}); try again later`), { retry: true, retryAfterMs: 30_000 });
    }
    const wait = await connects.take(serverId);
    if (wait) return withData(new Error(`This server connects too often; try again in ${wait} s`), { retry: true, retryAfterMs: wait * 1000 });
    return undefined;
  };

  nsp.use(async (socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { server?: unknown; credential?: unknown };
    const address = socket.handshake.address;
    const wait = await throttle.waitSeconds(address, address).catch((err: unknown) => {
      log.error({ err }, "reading an address's refused connections failed");
      return 0;
    });
    if (wait) return next(withData(new Error(`Too many refused connections from this address; try again in ${wait} s`), { retry: true, retryAfterMs: wait * 1000 }));
    const serverKey = boundedString(auth.server);
    const credential = boundedString(auth.credential);
    const refuse = () => {
      throttle.failed(address, address).catch((err: unknown) => log.error({ err }, "counting a refused connection failed"));
      next(new Error(REFUSED));
    };
    if (!serverKey || !credential) return refuse();
    backend.metadata(serverKey, credential).then(
      async (md) => {
        // From here on the server goes by its own id (its agent may have named its resource's).
        const serverId = md.serverId;
        const busy = await tooBusy(serverId);
        if (busy) return next(busy);
        const data: AgentData = { serverId, credential, projectId: md.projectId, transport: md.transport, version: md.version, deployments: md.deployments };
        socket.data = data;
        next();
      },
      (err: unknown) => {
        if (backend.isRefusal(err)) return refuse();
        log.error({ err }, "checking an agent's credential failed");
        next(withData(new Error("Kiln could not check the credential now"), { retry: true }));
      },
    );
  });

  nsp.on("connection", (socket) => {
    const data = socket.data as AgentData;
    const server = servers.get(data.serverId) ?? { connections: 0, logs: new LogLimiter() };
    servers.set(data.serverId, server);
    server.connections++;
    socket.on("disconnect", () => {
      if (--server.connections === 0) servers.delete(data.serverId);
    });
    // Handshakes at once all pass the check before any is counted: the count decides.
    if (server.connections > AGENT_LIMITS.maxConnectionsPerServer) return void socket.disconnect(true);
    void socket.join(room(data.serverId));
    socket.emit("metadata", { version: data.version, deployments: data.deployments });
    // A change between the handshake's read and joining the room would be missed: read once more.
    refresh(socket);
    const transport = socket.conn.transport.name;
    const seen = () => deps.presence.seen(data.serverId).catch((err: unknown) => log.warn({ err }, "could not record an agent as seen"));
    // The disconnect is written after the connect, however quickly it comes.
    const presenceWritten = deps.presence
      .connected({ serverId: data.serverId, projectId: data.projectId, connectionId: socket.id, transport, address: socket.handshake.address })
      .catch((err: unknown) => log.warn({ err }, "could not record an agent's connection"));
    // Told once written: the stack page reads the agent's state again when it hears this.
    void presenceWritten.then(() => serverMessage(deps, data.serverId, `Kiln's agent connected (${transport}, from ${socket.handshake.address})`));

    socket.on("signal", (entryId: unknown, body: unknown, ack: unknown) => {
      if (typeof ack !== "function") return;
      const answer = ack as (r: unknown) => void;
      const id = boundedString(entryId);
      if (!id || !body || typeof body !== "object" || Array.isArray(body)) {
        return answer({ error: "signal takes (deployment id, JSON object, acknowledgement callback)" });
      }
      void seen();
      backend.signal(data.serverId, data.credential, id, body as Record<string, unknown>).then(
        (r) => answer({ status: r.status }),
        (err: unknown) => {
          if (backend.isRefusal(err)) return answer({ error: (err as Error).message });
          log.error({ err }, "recording an agent's signal failed");
          answer({ error: "Kiln could not record the signal now", retry: true });
        },
      );
    });

    const logs = server.logs;
    const targets = new Map<string, Promise<LogTarget | undefined>>();
    socket.on("log", (entryId: unknown, stream: unknown, lines: unknown) => {
      const id = boundedString(entryId);
      if (!id || (stream !== "stdout" && stream !== "stderr") || !Array.isArray(lines) || !lines.every((l) => typeof l === "string")) return;
      const batch = lines as string[];
      if (batch.length > AGENT_LIMITS.maxBatchLines || batch.reduce((n, l) => n + l.length, 0) > AGENT_LIMITS.maxBatchChars) {
        log.warn({ server: data.serverId, lines: batch.length }, "dropped an oversized log batch from an agent");
        return;
      }
      const allowed = logs.take(batch.length);
      if (!targets.has(id)) {
        if (targets.size > 100) targets.delete(targets.keys().next().value!);
        targets.set(id, backend.logTarget(data.serverId, id).catch(() => undefined));
      }
      void targets.get(id)!.then((target) => {
        if (!target) return;
        const items: NotificationInput[] = batch.slice(0, allowed).map((line) => debugOf(target, deploymentLogReason(stream, cutLine(maskText(line, target.secrets)))));
        const dropped = batch.length - allowed;
        if (dropped && logs.shouldNote()) items.push(debugOf(target, `… lines not shown: more than ${AGENT_LIMITS.linesPerSecond} a second; the whole output comes with the deployment's signal`));
        return deps.notifier.notify(items);
      }).catch((err: unknown) => log.warn({ err }, "could not record an agent's log lines"));
      void seen();
    });

    socket.on("disconnect", (reason) => {
      void presenceWritten
        .then(() => deps.presence.disconnected(data.serverId, socket.id))
        .catch((err: unknown) => log.warn({ err }, "could not record an agent's disconnection"))
        .then(() => serverMessage(deps, data.serverId, `Kiln's agent disconnected (${reason})`));
    });
  });

  // A change anywhere: each connection of that server reads its metadata again (with its own
  // credential, so a revoked one ends the connection) and is sent it when it moved on.
  const refreshing = new WeakMap<Socket, { again: boolean }>();
  const refresh = (socket: Socket) => {
    const running = refreshing.get(socket);
    if (running) return void (running.again = true);
    const state = { again: false };
    refreshing.set(socket, state);
    void (async () => {
      do {
        state.again = false;
        const data = socket.data as AgentData;
        try {
          const md = await backend.metadata(data.serverId, data.credential);
          if (md.version !== data.version && socket.connected) {
            data.version = md.version;
            socket.emit("metadata", { version: md.version, deployments: md.deployments });
          }
        } catch (err) {
          if (backend.isRefusal(err)) {
            socket.disconnect(true);
            return;
          }
          log.warn({ err }, "could not read a server's metadata to push it");
        }
      } while (state.again && socket.connected);
    })().finally(() => refreshing.delete(socket));
  };
  const unsubscribe = deps.changes.subscribe((serverId) => {
    for (const socket of nsp.adapter.rooms.get(room(serverId)) ?? []) {
      const s = nsp.sockets.get(socket);
      if (s) refresh(s);
    }
  });
  return { namespace: nsp, close: unsubscribe };
}

function boundedString(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 && v.length <= AGENT_LIMITS.maxIdChars ? v : undefined;
}

function withData(err: Error, data: Record<string, unknown>) {
  return Object.assign(err, { data });
}

function debugOf(target: ResourceRef, reason: string): NotificationInput {
  return { stackId: target.stackId, kind: "debug", resourceName: target.resourceName, resourceType: target.resourceType, physicalResourceId: target.physicalResourceId, reason };
}

async function serverMessage(deps: AgentGatewayDeps, serverId: string, reason: string) {
  try {
    const target = await deps.backend.serverResource(serverId);
    if (target) await deps.notifier.notify([debugOf(target, reason)]);
  } catch (err) {
    deps.log.warn({ err }, "could not tell of an agent's connection");
  }
}

/** A token bucket per connection: lines per second on average, a burst at most. */
class LogLimiter {
  private tokens: number = AGENT_LIMITS.burstLines;
  private last = Date.now();
  private lastNote = 0;

  /** How many of `n` lines may be shown now. */
  take(n: number): number {
    const now = Date.now();
    this.tokens = Math.min(AGENT_LIMITS.burstLines, this.tokens + ((now - this.last) / 1000) * AGENT_LIMITS.linesPerSecond);
    this.last = now;
    const allowed = Math.max(0, Math.min(n, Math.floor(this.tokens)));
    this.tokens -= allowed;
    return allowed;
  }

  /** At most one "lines not shown" note a second. */
  shouldNote(): boolean {
    const now = Date.now();
    if (now - this.lastNote < 1000) return false;
    this.lastNote = now;
    return true;
  }
}
