/**
 * Giving up on a job the queue could not finish (it threw, ran past its time budget, or its
 * process died while running it, too many times): what it was converging fails with the
 * queue's reason, so the traversal fails (and rolls back as usual) instead of waiting forever.
 */
import type { ResourceAction, ResourceRecord } from "../ports";
import type { EngineContext } from "./engineContext";
import { message, resourceEvent } from "./events";
import { JOB, WAIT_KEY, withoutWait, type CheckJob, type ResumeJob, type TimeoutJob, type WaitMarker } from "./jobs";
import { parseNode, STACK_NODE } from "./nodes";
import { recheckCurrent } from "./propagate";
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
}

/**
 * Stores a resource's failure (releasing the traversal's lock and any wait), reports it, and
 * fails the traversal when it is still current; a newer traversal waiting for the lock is
 * then handed the resource.
 */
export async function failResource(ctx: EngineContext, stackId: string, traversal: string, row: ResourceRecord, action: ResourceAction, reason: string) {
  const { store, notifier } = ctx.deps;
  const patch: Partial<ResourceRecord> = { action, status: "FAILED", statusReason: reason, convergedTraversal: traversal, data: withoutWait(row.data) };
  if (row.lockTraversal === traversal) await store.unlockResource(row.id, traversal, patch);
  else await store.updateResource(row.id, patch);
  await notifier.notify([
    resourceEvent(row, action, "FAILED", reason, traversal),
    message(stackId, "warning", `${row.name} ${action} failed: ${reason}`, row.name, traversal),
  ]);
  await failTraversal(ctx, stackId, traversal, `Resource ${action} failed: ${reason}`);
  await recheckCurrent(ctx, stackId, row.name);
}
