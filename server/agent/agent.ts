/**
 * `kiln agent`: one server's agent. It keeps one socket.io connection to Kiln's `/agent`
 * namespace, is pushed the server's deployment metadata on connect and on every change (it
 * never polls), applies each deployment with the DeploymentRunner, and sends live log lines
 * and signals back over the same connection. It reconnects with back-off after a network drop
 * or a Kiln restart, and resumes: unacknowledged signals are sent again, and the metadata
 * pushed on reconnect says what is left to do.
 */
import { io, type Socket } from "socket.io-client";
import { DeploymentRunner, type AgentLog, type KilnLink } from "./deploymentRunner";
import type { DeploymentEntry, HookPlaces } from "./hooks";

export interface AgentSettings {
  /** Kiln's base URL, e.g. https://kiln.example.com */
  url: string;
  serverId: string;
  credential: string;
  places: HookPlaces;
}

/** How long Kiln has to acknowledge a signal before it is sent again. */
const SIGNAL_ACK_MS = 15_000;

/** Why the agent stopped. */
export type AgentEnd = "stopped" | "refused";

export class KilnAgent {
  private readonly socket: Socket;
  private readonly runner: DeploymentRunner;
  private latest: DeploymentEntry[] = [];
  private applying: Promise<void> | undefined;
  private applyAgain = false;
  private stopped = false;
  private readonly resumed: Promise<void>;
  private ended!: (why: AgentEnd) => void;
  readonly done: Promise<AgentEnd>;
  private readonly metadataListeners = new Set<(version: string) => void>();

  constructor(
    private readonly settings: AgentSettings,
    private readonly log: AgentLog,
  ) {
    this.done = new Promise((resolve) => (this.ended = resolve));
    this.socket = io(`${settings.url.replace(/\/+$/, "")}/agent`, {
      path: "/socket.io",
      auth: { server: settings.serverId, credential: settings.credential },
      // A WebSocket at once; long-polling only where a proxy lets no WebSocket through.
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      autoConnect: false,
    });
    this.runner = new DeploymentRunner(settings.places, this.link(), log);
    this.resumed = this.runner.resumeUnfinished().catch((err: unknown) => log("error", `could not resume earlier runs: ${(err as Error).message}`));
    this.wire();
  }

  start() {
    this.socket.connect();
    return this;
  }

  /** Stops taking work; a run in progress goes on and the next agent collects it. */
  stop() {
    this.stopped = true;
    this.runner.stop();
    this.socket.close();
    this.ended("stopped");
  }

  /** Resolves with the version of the next metadata to arrive (tests, bench). */
  nextMetadata(): Promise<string> {
    return new Promise((resolve) => {
      const once = (v: string) => {
        this.metadataListeners.delete(once);
        resolve(v);
      };
      this.metadataListeners.add(once);
    });
  }

  private wire() {
    const { socket, log } = this;
    socket.on("connect", () => {
      log("info", "connected to Kiln", { url: this.settings.url, server: this.settings.serverId });
      void this.resumed.then(() => this.runner.flushOutbox());
    });
    socket.on("metadata", (metadata: { version?: unknown; deployments?: unknown }) => {
      if (!Array.isArray(metadata?.deployments)) return log("warn", "ignoring metadata without a deployments list");
      const version = String(metadata.version ?? "");
      this.latest = metadata.deployments as DeploymentEntry[];
      for (const listener of [...this.metadataListeners]) listener(version);
      this.applyLatest();
    });
    socket.on("connect_error", (err: Error & { data?: { retry?: boolean; retryAfterMs?: number } }) => {
      // A refusal from Kiln itself ends the connection attempts; a network error does not.
      if (socket.active) return log("warn", `cannot reach Kiln (${err.message}); trying again`);
      if (err.data?.retry) {
        log("warn", `Kiln could not take the connection now (${err.message}); trying again`);
        const after = Math.min(Math.max(Number(err.data.retryAfterMs) || 2_000, 1_000), 15 * 60_000);
        setTimeout(() => this.stopped || socket.connect(), after * (1 + Math.random() * 0.2)).unref();
        return;
      }
      log("error", `Kiln refused this agent: ${err.message}`);
      this.stopped = true;
      this.runner.stop();
      socket.close();
      this.ended("refused");
    });
    socket.on("disconnect", (reason) => {
      log("warn", `disconnected from Kiln (${reason})`);
      // Kiln ended the connection itself (a revoked credential, a restart): connecting again
      // says which; socket.io only reconnects by itself after a network drop. The timer keeps
      // the process alive: with nothing else pending (no run in progress) it would otherwise
      // end half way, neither reconnected nor told it was refused.
      if (reason === "io server disconnect") setTimeout(() => this.stopped || socket.connect(), 500);
    });
  }

  /** Applies the latest metadata; metadata arriving meanwhile makes one more pass. */
  private applyLatest() {
    if (this.applying) {
      this.applyAgain = true;
      return;
    }
    this.applying = (async () => {
      await this.resumed;
      do {
        this.applyAgain = false;
        await this.runner.applyAll(this.latest, (id) => this.latest.some((e) => e?.id === id));
      } while (this.applyAgain);
    })()
      .catch((err: unknown) => this.log("error", `applying deployments failed: ${(err as Error).message}`))
      .finally(() => (this.applying = undefined));
  }

  private link(): KilnLink {
    return {
      connected: () => this.socket.connected,
      signal: async (entryId, body) => {
        try {
          const answer = (await this.socket.timeout(SIGNAL_ACK_MS).emitWithAck("signal", entryId, body)) as { status?: string; error?: string; retry?: boolean };
          if (answer?.error) {
            this.log("warn", `Kiln did not take a signal: ${answer.error}`, { id: entryId });
            return answer.retry ? "retry" : "refused";
          }
          return "ack";
        } catch {
          return "retry";
        }
      },
      log: (entryId, stream, lines) => {
        this.socket.emit("log", entryId, stream, lines);
        return true;
      },
    };
  }
}
