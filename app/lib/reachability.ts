"use client";
import { useSyncExternalStore } from "react";

/**
 * Whether the Kiln server answers, as this tab last found, from two signs: the live connection
 * (down from when it drops until it connects again) and requests (down from one that got no
 * answer until one is answered). The connection coming back clears both: the server answered.
 */
const down = { socket: false, fetch: false };
let reachable = true;
const listeners = new Set<() => void>();

export function setReachable(source: keyof typeof down, now: boolean) {
  down[source] = !now;
  if (source === "socket" && now) down.fetch = false;
  const next = !down.socket && !down.fetch;
  if (next === reachable) return;
  reachable = next;
  for (const l of listeners) l();
}

/** A fetch that threw rather than answered: the server (or the network to it) is down. */
export const isNetworkFailure = (e: unknown) => e instanceof TypeError || (e instanceof Error && /failed to fetch|networkerror|load failed/i.test(e.message));

export function useReachable(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => reachable,
    () => true,
  );
}
