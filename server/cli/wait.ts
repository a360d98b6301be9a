/**
 * `--wait`: follows an operation live over socket.io (never by polling) until the stack's own
 * event says it is over. Subscribing with the last notification id seen before the operation
 * makes the server replay anything that happened in between, so a fast operation is not
 * missed; one look at the stack after subscribing covers an operation that ended with no
 * event to show for it.
 */
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../realtime/protocol";
import { isStackLevelEvent } from "../engine/convergence/events";
import { CliFailure, EXIT } from "./exit";
import { formatNotification, type NotificationLike } from "./eventLog";
import { unreachable } from "./client";

export type StackOperation = "CREATE" | "UPDATE" | "DELETE" | "CHECK" | "CANCEL";
export type Verdict = "wait" | "ok" | "failed";

/**
 * What the stack's own state means for the operation being waited on. A failed create or
 * update that rolls back is not over until the rollback is; it failed either way. A cancel
 * succeeds when its rollback completes, or when the cancelled create stops without one.
 */
export function verdict(op: StackOperation, rollback: boolean, action: string, status: string): Verdict {
  if (status === "IN_PROGRESS") return "wait";
  if (action === "ROLLBACK") return op === "CANCEL" && status === "COMPLETE" ? "ok" : "failed";
  if (action === "DELETE" && op !== "DELETE") return status === "COMPLETE" ? "failed" : "wait";
  switch (op) {
    case "DELETE":
    case "CHECK":
      return action === op ? (status === "COMPLETE" ? "ok" : "failed") : "wait";
    case "CREATE":
    case "UPDATE":
      if (action !== op) return "wait";
      if (status === "COMPLETE") return "ok";
      return rollback ? "wait" : "failed";
    case "CANCEL":
      if (action !== "CREATE" && action !== "UPDATE") return "wait";
      return status === "FAILED" && rollback ? "wait" : "ok";
  }
}

export interface StackState {
  action: string;
  status: string;
  reason: string;
}

export interface WaitRequest {
  url: string;
  /** The socket's credentials, as the API calls send them. */
  auth: { token: string; project: string | undefined };
  stackId: string;
  operation: StackOperation;
  /** Whether a failure of the operation starts a rollback. */
  rollback: boolean;
  /** The last notification id seen before the operation started (0 for a new stack). */
  afterId: number;
  /** Debug messages are shown too (else events and warnings only). */
  debug?: boolean;
  /** Receives each event and warning line as it arrives. */
  onLine(line: string): void;
  /** The stack as it is now, or "gone" once deleted; read once, after subscribing. */
  currentState(): Promise<StackState | "gone">;
  /** How long to wait for the closing event once the stack is seen finished without one. */
  graceMs?: number;
}

export interface WaitResult {
  ok: boolean;
  /** e.g. CREATE_COMPLETE, ROLLBACK_COMPLETE. */
  stackStatus: string;
  /** The stack's status reason; for an operation that rolled back, the reason it failed. */
  reason: string;
}

export async function waitForStack(req: WaitRequest): Promise<WaitResult> {
  // Loaded here: only --wait needs it, and every command pays for what it loads.
  const { io: connectSocket } = await import("socket.io-client");
  return new Promise<WaitResult>((resolve, reject) => {
    let lastId = req.afterId;
    let connected = false;
    let checked = false;
    let failure: string | undefined;
    let grace: NodeJS.Timeout | undefined;
    let done = false;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(req.url, { path: "/socket.io", reconnectionAttempts: 10, auth: req.auth });

    const finish = (result: WaitResult | CliFailure) => {
      if (done) return;
      done = true;
      clearTimeout(grace);
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
      if (result instanceof CliFailure) reject(result);
      else resolve(result);
    };

    /** Returns true when the operation is over. */
    const judge = (state: StackState): boolean => {
      if (done) return true;
      const v = verdict(req.operation, req.rollback, state.action, state.status);
      if (state.status === "FAILED" && failure === undefined) failure = state.reason;
      if (v === "wait") return false;
      const reason = state.action === "ROLLBACK" && failure !== undefined ? failure : state.reason;
      finish({ ok: v === "ok", stackStatus: `${state.action}_${state.status}`, reason });
      return true;
    };

    const isOwnEvent = (n: NotificationLike) =>
      isStackLevelEvent(n) && n.stackId === req.stackId;

    socket.on("notifications", (msg: { stackId: string; items: NotificationLike[] }) => {
      if (msg.stackId !== req.stackId) return;
      for (const n of msg.items) {
        if (n.id <= lastId) continue;
        lastId = n.id;
        const line = formatNotification(n, { debug: req.debug });
        if (line) req.onLine(line);
        if (isOwnEvent(n) && judge({ action: n.action ?? "", status: n.status ?? "", reason: n.reason ?? "" })) return;
      }
    });

    socket.on("connect", () => {
      connected = true;
      // On a reconnect too: resume from the last id printed, so nothing is shown twice.
      socket.emit("subscribe", { stackId: req.stackId, afterId: lastId }, (ack: { ok?: boolean; error?: string }) => {
        if (ack?.error) return finish(new CliFailure(`cannot follow the stack: ${ack.error}`, EXIT.api));
        if (!checked) {
          checked = true;
          void lookOnce();
        }
      });
    });
    socket.on("connect_error", (e: Error & { type?: string }) => {
      // A refusal by the server (no valid session, say) is final; a transport error is not reaching it.
      if (e.type !== "TransportError" && e.message) return finish(new CliFailure(`cannot follow the stack: ${e.message}`, EXIT.api));
      if (!connected) finish(unreachable(req.url));
    });
    socket.io.on("reconnect_failed", () => finish(unreachable(req.url)));

    /** The stack may have finished before we listened, with its events already replayed or never sent. */
    const lookOnce = async () => {
      let state: StackState | "gone";
      try {
        state = await req.currentState();
      } catch (e) {
        return finish(e instanceof CliFailure ? e : new CliFailure((e as Error).message, EXIT.api));
      }
      const final: StackState =
        state === "gone" ? { action: "DELETE", status: "COMPLETE", reason: "the stack no longer exists" } : state;
      if (verdict(req.operation, req.rollback, final.action, final.status) === "wait") return;
      // Its closing event is normally on its way; give it a moment so the log is complete.
      grace = setTimeout(() => judge(final), req.graceMs ?? 2000);
    };
  });
}
