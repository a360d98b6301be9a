/** Timing a stack operation by its own final event, as a browser would see it. */
import { isStackLevelEvent } from "../engine/convergence/events";
import type { Notification } from "../engine/ports";
import type { Runtime } from "../services/runtime";

/** Resolves when the stack's own event reaches a final status for `action`. */
export function finished(rt: Runtime, stackName: string, action: string): Promise<Notification> {
  return new Promise((resolve) => {
    const stop = rt.bus.subscribe("*", (batch) => {
      for (const n of batch) {
        if (isStackLevelEvent(n) && n.stackPath === "" && n.resourceName === stackName && n.action === action && (n.status === "COMPLETE" || n.status === "FAILED")) {
          stop();
          resolve(n);
        }
      }
    });
  });
}

export async function timed(rt: Runtime, stackName: string, action: string, start: () => Promise<unknown>) {
  const done = finished(rt, stackName, action);
  const t0 = performance.now();
  await start();
  const n = await done;
  if (n.status !== "COMPLETE") throw new Error(`${stackName} ${action} failed: ${n.reason}`);
  return performance.now() - t0;
}

