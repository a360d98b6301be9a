/**
 * The socket.io events between Kiln and its live clients (the browser, `kiln … --wait`), typed
 * once for the gateway and every client. What the server accepts is still checked at run time.
 */
import type { Notification } from "../engine/ports";

/** What a subscribe is answered: an error names what was wrong (a field, or a stack not found). */
export type SubscribeAck = { ok: true } | { error: string };

export interface ServerToClientEvents {
  /** On connecting: the server's version, for a client to notice an upgrade. */
  hello: (msg: { version: string }) => void;
  /** A root stack's notifications (its nested stacks' too), oldest first, none twice. */
  notifications: (msg: { stackId: string; items: Notification[] }) => void;
  /** Top-level stacks of the caller's project that started or finished an operation. */
  "stacks-changed": (msg: { stackIds: string[] }) => void;
}

export interface ClientToServerEvents {
  /** Follow a root stack from after `afterId` (what the client already has). */
  subscribe: (msg: { stackId: string; afterId?: number }, ack?: (answer: SubscribeAck) => void) => void;
  unsubscribe: (stackId: string) => void;
  /** Be told of the project's stack list changing (stacks-changed). */
  "watch-stacks": () => void;
}
