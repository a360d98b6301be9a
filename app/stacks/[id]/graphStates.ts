import { telling, toneOf } from "../../lib/status";
import type { LiveResource } from "./useLiveStack";

/** Active while the dependent is worked on, satisfied once the dependency has completed. */
export function edgeState(from: LiveResource | undefined, to: LiveResource | undefined): "active" | "satisfied" | "waiting" {
  if (to?.status === "IN_PROGRESS") return "active";
  return from && toneOf(from.status, from.action) === "complete" ? "satisfied" : "waiting";
}

/** A resource's hover text on the graph: its state, and why when the reason says something. */
export function resourceTitle(r: LiveResource): string {
  const state = `${r.action}_${r.status}`;
  const reason = telling(r.reason);
  const now = reason ? `${r.name} ${state}: ${reason}` : `${r.name} (${r.type}) ${state}`;
  return r.failure && r.status !== "FAILED" ? `${now}\nbefore that ${r.failure.action}_FAILED: ${r.failure.reason}` : now;
}
