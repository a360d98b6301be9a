/**
 * Level-triggered recovery: a traversal that has nothing queued for it (the reconciler has
 * seen to that) yet is still current is driven on from what the store shows, whatever lost
 * its jobs. Reads the traversal's sync points and arrivals, and for each node that is ready:
 *  - arrived at none of its successors: queue its check job (it converges the node, or, when
 *    the node had converged, propagates as a redelivered job does);
 *  - arrived at some only (its worker died mid-propagation): record the missing arrivals now;
 *  - its resource waits in this traversal: queue its wake-up, unless a nested stack it waits
 *    for is still converging (that stack wakes it when done).
 * Each ready node is queued at most once, and never one a re-driven predecessor will queue.
 * `claim` is asked once there is something to do: several processes may look at the same
 * traversal, and only the one whose claim wins acts.
 */
import type { JobRequest } from "../ports";
import type { EngineContext } from "./engineContext";
import { JOB, resumeJob, WAIT_KEY, type CheckJob, type WaitMarker } from "./jobs";
import { parseNode } from "./nodes";
import { propagate, type NodeOutput } from "./propagate";
import { outputOf } from "./resourceActions";
import { byName, currentRow } from "./resourceRows";

/** Answers how many nodes it drove on (0: nothing was missing, or another process claimed it). */
export async function redriveTraversal(ctx: EngineContext, stackId: string, traversal: string, claim: () => Promise<boolean>): Promise<number> {
  const { store, queue } = ctx.deps;
  const stack = await store.getStack(stackId);
  if (!stack || stack.status !== "IN_PROGRESS" || stack.currentTraversal !== traversal) return 0;
  const { points, arrived } = await store.traversalState(traversal);
  const arrivedAt = new Map<string, Set<string>>();
  for (const a of arrived) {
    if (!arrivedAt.has(a.predecessor)) arrivedAt.set(a.predecessor, new Set());
    arrivedAt.get(a.predecessor)!.add(a.node);
  }
  const rowsNamed = byName(await store.listResources(stackId));
  const jobs: JobRequest[] = [];
  const partial: { node: string; output: NodeOutput | Record<string, never> }[] = [];
  for (const point of points) {
    if (point.remaining > 0) continue;
    const reached = arrivedAt.get(point.node) ?? new Set();
    if (point.successors.length > 0 && reached.size === point.successors.length) continue;
    const resource = parseNode(point.node)?.resource;
    const rows = (resource !== undefined && rowsNamed.get(resource)) || [];
    const waiting = rows.find((r) => (r.data[WAIT_KEY] as WaitMarker | undefined)?.traversal === traversal);
    if (waiting) {
      const children = await store.childStacks([waiting.id]);
      if (children.some((c) => c.status === "IN_PROGRESS")) continue;
      jobs.push({ kind: JOB.resume, payload: resumeJob(waiting.id, stackId, waiting.data[WAIT_KEY] as WaitMarker) });
      continue;
    }
    if (reached.size > 0) {
      // Converged and partly propagated: finish the propagation (arrivals are recorded once).
      const row = point.node.startsWith("update:") ? currentRow(rows) : undefined;
      partial.push({ node: point.node, output: row ? outputOf(row) : {} });
      continue;
    }
    jobs.push({ kind: JOB.check, payload: { stackId, traversal, node: point.node, takeover: true } satisfies CheckJob });
  }
  if (jobs.length + partial.length === 0 || !(await claim())) return 0;
  for (const p of partial) await propagate(ctx, { stackId, traversal, node: p.node }, p.output);
  await queue.enqueue(jobs);
  return jobs.length + partial.length;
}
