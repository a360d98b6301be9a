"use client";
import type { Notification } from "../../server/engine/ports";
import { getSocket } from "./socket";

export type { Notification };

/**
 * Follows one root stack's notification stream over socket.io. The gateway sends what was
 * missed since `afterId`, then live ones; after a reconnect we subscribe again with the last
 * id seen. Ids already delivered are dropped, so the listener sees every notification once.
 */
export function followStack(rootStackId: string, onItems: (items: Notification[]) => void, afterId = 0): () => void {
  const socket = getSocket();
  const seen = new Set<number>();
  let last = afterId;
  let stopped = false;

  const subscribe = () => {
    if (!stopped) socket.emit("subscribe", { stackId: rootStackId, afterId: last });
  };
  const onNotifications = (msg: { stackId: string; items: Notification[] }) => {
    if (stopped || msg.stackId !== rootStackId) return;
    const fresh: Notification[] = [];
    for (const n of msg.items) {
      if (n.id <= afterId || seen.has(n.id)) continue;
      seen.add(n.id);
      fresh.push(n);
      if (n.id > last) last = n.id;
    }
    if (fresh.length) onItems(fresh);
  };

  socket.on("notifications", onNotifications);
  socket.on("connect", subscribe);
  if (socket.connected) subscribe();
  return () => {
    stopped = true;
    socket.off("notifications", onNotifications);
    socket.off("connect", subscribe);
    if (socket.connected) socket.emit("unsubscribe", rootStackId);
  };
}
