/**
 * Giving up on a job the queue could not finish (it threw, ran past its time budget, or its
 * process died while running it, too many times): what it was converging fails with the
 * queue's reason, so the traversal fails (and rolls back as usual) instead of waiting forever.
 */
import type { EngineContext } from "./engineContext";
import { JOB, WAIT_KEY, type CheckJob, type ResumeJob, type TimeoutJob, type WaitMarker } from "./jobs";
import { parseNode, STACK_NODE } from "./nodes";
import { recheckCurrent } from "./propagate";
import { failResource } from "./resourceActions";
import { currentRow } from "./resourceRows";
import { failTraversal, timeOutTraversal } from "./traversal";

export async function giveUpJob(ctx: EngineContext, kind: string, payload: unknown, reason: string) {
  if (kind === JOB.check) {
    const job = payload as CheckJob;
    return giveUpNode(ctx, job.stackId, job.traversal, job.node, reason);
  }
  if (kind === JOB.resume) {
    const job = payload as ResumeJob;
    const row = await ctx.deps.store.getResource(job.resourceId);
    const marker = (row?.data[WAIT_KEY] as WaitMarker | undefined) ?? (job.traversal && job.node ? { traversal: job.traversal, node: job.node } : undefined);
    const stackId = row?.stackId ?? job.stackId;
    if (!marker || !stackId) return;
    return giveUpNode(ctx, stackId, marker.traversal, marker.node, reason);
  }
  if (kind === JOB.timeout) {
    const job = payload as TimeoutJob;
    return timeOutTraversal(ctx, job.stackId, job.traversal, `Stack timeout: ${reason}`);
  }
}

async function giveUpNode(ctx: EngineContext, stackId: string, traversal: string, node: string, reason: string) {
  const stack = await ctx.deps.store.getStack(stackId);
  if (!stack) return;
  const current = stack.currentTraversal === traversal;
  const parsed = parseNode(node);
  if (node === STACK_NODE || !parsed) return failTraversal(ctx, stackId, traversal, reason);
  const rows = await ctx.deps.store.findResources(stackId, parsed.resource);
  // An overtaken traversal's job may still hold its resource's lock: released here, or the
  // traversal that overtook it steps back from that resource until it times out.
  const row = rows.find((r) => r.lockTraversal === traversal) ?? (current ? currentRow(rows) : undefined);
  if (!row) return failTraversal(ctx, stackId, traversal, `resources.${parsed.resource}: ${reason}`);
  const action = row.action === "INIT" ? (parsed.kind === "cleanup" ? "DELETE" : "CREATE") : row.action;
  await failResource(ctx, stackId, traversal, row, action, `resources.${row.name}: ${reason}`);
  // The traversal that overtook it stepped back from the locked resource: hand it over now. Not
  // when it was current: a rollback it starts is queued after the unlock, and queueing its
  // leaves again could run one twice at once.
  if (!current) await recheckCurrent(ctx, stackId, row.name);
}
