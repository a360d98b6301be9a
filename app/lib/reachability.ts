"use client";
import { useSyncExternalStore } from "react";

/**
 * Whether the Kiln server answers, as this tab last found: the live connection dropping or a
 * request failing for want of a network answer makes it unreachable; the connection coming
 * back or any answer at all makes it reachable again.
 */
let reachable = true;
const listeners = new Set<() => void>();

export function setReachable(now: boolean) {
  if (now === reachable) return;
  reachable = now;
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
