/**
 * Giving up on a job the queue could not finish (it threw, ran past its time budget, or its
 * process died while running it, too many times): what it was converging fails with the
 * queue's reason, so the traversal fails (and rolls back as usual) instead of waiting forever.
 * When the stack's stored data cannot be decrypted, failing it as usual would need that data
 * too: the resource and the stack then fail without it, saying so.
 */
import { StoredDataUnreadable } from "../errors";
import type { ResourceRecord, ResourceState } from "../ports";
import type { EngineContext } from "./engineContext";
import { message, resourceEvent, stackEvent } from "./events";
import { JOB, WAIT_KEY, type CheckBatch, type CheckJob, type ResumeJob, type TimeoutJob, type WaitMarker } from "./jobs";
import { nodeName, parseNode, STACK_NODE } from "./nodes";
import { recheckCurrent } from "./propagate";
import { cleanedUp } from "./checkNode";
import { failResource } from "./resourceActions";
import { currentRow } from "./resourceRows";
import { failTraversal, timeOutTraversal } from "./traversal";

export async function giveUpJob(ctx: EngineContext, kind: string, payload: unknown, reason: string) {
  try {
    await giveUpReading(ctx, kind, payload, reason);
  } catch (e) {
    if (!(e instanceof StoredDataUnreadable)) throw e;
    const at = whereJobRuns(kind, payload);
    // Its reason, not the job's: a job's reason may quote stored values, which cannot be masked unread.
    if (at) await failUnreadable(ctx, at.stackId, at.traversal, at.node, e.message);
  }
}

async function giveUpReading(ctx: EngineContext, kind: string, payload: unknown, reason: string) {
  if (kind === JOB.check) {
    const job = payload as CheckJob;
    return giveUpNode(ctx, job.stackId, job.traversal, job.node, reason);
  }
  if (kind === JOB.checks) return giveUpBatch(ctx, payload as CheckBatch, reason);
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

/**
 * A batch is run again whole until it is given up on, so most of its nodes converged on the
 * way: only the others fail. If none is left to fail, what failed came after their writes
 * (their propagation), and the traversal, which would wait for it forever, fails.
 */
async function giveUpBatch(ctx: EngineContext, batch: CheckBatch, reason: string) {
  const unfinished: string[] = [];
  for (const node of batch.nodes) if (!(await leftAlone(ctx, batch, node))) unfinished.push(node);
  if (!unfinished.length) return failTraversal(ctx, batch.stackId, batch.traversal, reason);
  for (const node of unfinished) await giveUpNode(ctx, batch.stackId, batch.traversal, node, reason);
}

/**
 * Whether giving up on a batch leaves a node alone. An update node: its resource converged in
 * the traversal, waits there (its wake-up finishes it), or is held by another traversal, which
 * hands it over when done (the node stepped back from it and failed nothing). A cleanup node:
 * every row it would delete is gone or held by another traversal.
 */
async function leftAlone(ctx: EngineContext, at: CheckBatch, node: string): Promise<boolean> {
  const parsed = parseNode(node);
  if (!parsed) return false;
  const rows = await ctx.deps.store.findResources(at.stackId, parsed.resource);
  const heldElsewhere = (r: ResourceRecord) => r.lockTraversal !== null && r.lockTraversal !== at.traversal;
  if (parsed.kind === "cleanup") {
    const stack = await ctx.deps.store.getStack(at.stackId);
    return !stack || (await cleanedUp(ctx, stack, parsed.resource, rows)).every(heldElsewhere);
  }
  const row = rows.find((r) => r.lockTraversal === at.traversal) ?? currentRow(rows);
  if (!row) return false;
  if (heldElsewhere(row)) return true;
  return row.convergedTraversal === at.traversal && (row.status !== "IN_PROGRESS" || row.data[WAIT_KEY] !== undefined);
}

async function giveUpNode(ctx: EngineContext, stackId: string, traversal: string, node: string, reason: string) {
  const stack = await ctx.deps.store.getStack(stackId);
  if (!stack) return;
  const current = stack.currentTraversal === traversal;
  const parsed = parseNode(node);
  if (node === STACK_NODE || !parsed) return failTraversal(ctx, stackId, traversal, reason);
  const rows = await ctx.deps.store.findResources(stackId, parsed.resource);
  // An overtaken traversal's job may still hold its resource's lock: released here, or the
  // traversal that overtook it steps back from that resource until it times out. A cleanup
  // node's resource is a row it was to delete, never the copy it keeps.
  const unlocked = !current ? undefined : parsed.kind === "cleanup" ? (await cleanedUp(ctx, stack, parsed.resource, rows))[0] : currentRow(rows);
  const row = rows.find((r) => r.lockTraversal === traversal) ?? unlocked;
  if (!row) return failTraversal(ctx, stackId, traversal, `resources.${parsed.resource}: ${reason}`);
  // A cleanup node deletes, whatever its row last did.
  const action = parsed.kind === "cleanup" ? "DELETE" : row.action === "INIT" ? "CREATE" : row.action;
  await failResource(ctx, stackId, traversal, row, action, `resources.${row.name}: ${reason}`);
  // The traversal that overtook it stepped back from the locked resource: hand it over now. Not
  // when it was current: a rollback it starts is queued after the unlock, and queueing its
  // leaves again could run one twice at once.
  if (!current) await recheckCurrent(ctx, stackId, row.name);
}

/** The node a job converges, from the job alone (a wake-up queued by the cloud's watcher names only its resource). */
function whereJobRuns(kind: string, payload: unknown): { stackId: string; traversal: string; node: string } | undefined {
  if (kind === JOB.check) return payload as CheckJob;
  if (kind === JOB.checks) {
    // Which node of a batch met the unreadable data is not known: the traversal fails, naming none.
    const { stackId, traversal } = payload as CheckBatch;
    return { stackId, traversal, node: STACK_NODE };
  }
  if (kind === JOB.timeout) return { ...(payload as TimeoutJob), node: STACK_NODE };
  const job = payload as ResumeJob;
  if (kind === JOB.resume && job.stackId && job.traversal && job.node) return { stackId: job.stackId, traversal: job.traversal, node: job.node };
  return undefined;
}

/**
 * Fails a node of a stack whose sealed columns this server cannot open, reading and writing none
 * of them: its resource and the stack end FAILED with the reason. No rollback is started (it
 * would need the same data). A nested stack's parent resource, waiting for it, fails the same
 * way: waking it would need its sealed data too.
 */
async function failUnreadable(ctx: EngineContext, stackId: string, traversal: string, node: string, reason: string, known?: ResourceState) {
  const { store, notifier } = ctx.deps;
  const stack = await store.getStackState(stackId);
  if (!stack || stack.currentTraversal !== traversal) return;
  const parsed = node === STACK_NODE ? undefined : parseNode(node);
  const rows = known ? [known] : parsed ? await store.findResourceStates(stackId, parsed.resource) : [];
  const row = rows.find((r) => r.lockTraversal === traversal) ?? currentRow(rows);
  let stackReason = reason;
  if (row && parsed) {
    // What the traversal was doing to it: its job may have failed before it could say. A
    // resource in progress says so itself (a parent resource's node is not in its job).
    const action = row.status === "IN_PROGRESS" && row.lockTraversal === traversal ? row.action : parsed.kind === "cleanup" ? "DELETE" : stack.action;
    const resourceReason = `resources.${row.name}: ${reason}`;
    const patch = { action, status: "FAILED" as const, statusReason: resourceReason, convergedTraversal: traversal };
    if (row.lockTraversal === traversal) await store.unlockResource(row.id, traversal, patch);
    else await store.updateResource(row.id, patch);
    await notifier.notify([
      resourceEvent(row, action, "FAILED", resourceReason, traversal),
      message(stackId, "warning", `${row.name} ${action} failed: ${resourceReason}`, row.name, traversal),
    ]);
    stackReason = `Resource ${action} failed: ${resourceReason}`;
  }
  if (!(await store.updateStack(stackId, { status: "FAILED", statusReason: stackReason, currentTraversal: null }, traversal))) return;
  await notifier.notify([stackEvent(stack, stack.action, "FAILED", stackReason, traversal)]);
  if (!stack.parentResourceId) return;
  const parent = await store.getResourceState(stack.parentResourceId);
  if (!parent?.lockTraversal) return;
  const parentNode = nodeName(parent.action === "DELETE" ? "cleanup" : "update", parent.name);
  await failUnreadable(ctx, parent.stackId, parent.lockTraversal, parentNode, reason, parent);
}
