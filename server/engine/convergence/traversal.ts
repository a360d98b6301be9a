/**
 * A traversal's life: start (store the graph, make it current, queue the leaves), complete
 * (the stack's sync point was reached) and fail (with rollback when enabled). Making a new
 * traversal current is all it takes for it to overtake an older one: the older one's jobs see
 * they are no longer current and stop propagating.
 */
import type { JobRequest, NotificationInput, StackAction, StackRecord } from "../ports";
import { inSlices, nextTurn, SLICE } from "../pace";
import { blankRow, byName, currentRow } from "./resourceRows";
import { checkGraph, convergenceGraph } from "./convergenceGraph";
import type { EngineContext } from "./engineContext";
import { resourceEvent, stackEvent } from "./events";
import { checkVerdict } from "./stackCheck";
import { JOB, resumeJob, WAIT_KEY, withoutWait, type TimeoutJob, type WaitMarker } from "./jobs";
import { pluginContext } from "./resourceActions";
import type { ActionName } from "../resources/plugin";

export interface TraversalRequest {
  action: StackAction;
  templateId: string | null;
  prevTemplateId: string | null;
  /** Reason shown with the IN_PROGRESS state. */
  reason?: string;
  /**
   * Starts only while `traversal` is still current, in the one write that makes the new one
   * current, after announcing how that one `ended`: a failed traversal hands over to its
   * rollback with no moment in between where a worker dying would leave it failed and not
   * rolled back.
   */
  takesOver?: { traversal: string; ended?: NotificationInput };
  /** The stack's timeout_mins from this operation on, stored as it becomes current; without it, the stack's stays. */
  timeoutMins?: number | null;
}

/** The new traversal's id, or undefined when it did not start (`takesOver` found another current). */
export async function startTraversal(ctx: EngineContext, stack: StackRecord, req: TraversalRequest): Promise<string | undefined> {
  const { store, queue, notifier, clock, newId } = ctx.deps;
  const traversal = newId();
  const def = await ctx.definition(req.templateId, stack);
  const rows = await store.listResources(stack.id);
  const existing = byName(rows);
  if (rows.length + def.resources.size > SLICE) await nextTurn();

  const graph =
    req.action === "CHECK"
      ? checkGraph([...existing.keys()].filter((n) => currentRow(existing.get(n)!)))
      : convergenceGraph(
          new Map([...def.resources.values()].map((r) => [r.name, r.requires])),
          new Map([...existing].map(([name, list]) => [name, [...new Set(list.flatMap((r) => r.requires))]])),
        );

  const now = new Date(clock.now()).toISOString();
  const fresh = req.action === "CHECK" || req.action === "DELETE" ? [] : [...def.resources.values()].filter((r) => !existing.has(r.name)).map((r) => blankRow(newId(), stack.id, r, now));
  await inSlices(fresh, (rows) => store.createResources(rows));

  // The graph is stored before the traversal becomes current, so no job of it can run first.
  const points = graph.nodes.map((n) => ({ traversal, node: n.node, stackId: stack.id, remaining: n.predecessors, successors: n.successors }));
  await inSlices(points, (slice) => store.createSyncPoints(slice));
  // Only batches use the blank rows (runCheckBatch): those of the resources that go in batches.
  ctx.keepGraph(traversal, points, fresh.filter((r) => ctx.actsInStoreOnly(def, r.name)));
  const reason = req.reason ?? `Stack ${req.action} started`;
  const timeoutMins = req.timeoutMins !== undefined ? req.timeoutMins : stack.timeoutMins;
  const current = await store.updateStack(
    stack.id,
    {
      action: req.action,
      status: "IN_PROGRESS",
      statusReason: reason,
      currentTraversal: traversal,
      templateId: req.templateId,
      prevTemplateId: req.prevTemplateId,
      // Only when asked: the stack's own may have been set since `stack` was read.
      ...(req.timeoutMins !== undefined ? { timeoutMins: req.timeoutMins } : {}),
    },
    req.takesOver?.traversal,
  );
  if (!current) {
    ctx.forgetGraph(traversal);
    await store.purgeTraversal(traversal);
    return undefined;
  }
  // Rows another operation stored after this one read the stack's, before this one became
  // current, are in no node of this graph: left out, they would stay (a blank row, or a cloud
  // object nothing deletes) until the next operation. The graph is drawn again, over what is
  // there now, by a traversal that takes over from this one. Even a create can meet this: an
  // update may come while the stack's row is stored and its create not yet current. A check
  // deletes nothing, so it has nothing to redraw for.
  if (req.action !== "CHECK") {
    const known = new Set([...rows, ...fresh].map((r) => r.id));
    if ((await store.listResourceIds(stack.id)).some((r) => !known.has(r.id) && !existing.has(r.name))) {
      ctx.forgetGraph(traversal);
      const redrawn = await startTraversal(ctx, stack, { ...req, takesOver: { traversal, ended: req.takesOver?.ended } });
      await store.purgeTraversal(traversal);
      return redrawn;
    }
  }
  // Another operation's start may have swept this graph (below) while it was stored and not yet
  // current: stored again, before any of its jobs can run.
  if (!(await store.getSyncPoint(traversal, points[0]!.node))) await inSlices(points, (slice) => store.createSyncPoints(slice));
  await notifier.notify([...(req.takesOver?.ended ? [req.takesOver.ended] : []), stackEvent(stack, req.action, "IN_PROGRESS", reason, traversal)]);
  if (req.action === "DELETE") await abortWaits(ctx, stack.id, (lock) => lock !== traversal, "the stack is being deleted", traversal);

  const jobs: JobRequest[] = ctx.checkJobs(stack.id, traversal, graph.leaves, def, existing);
  // Every operation has a deadline, so a resource that never finishes cannot hold its stack IN_PROGRESS for good.
  const payload: TimeoutJob = { stackId: stack.id, traversal };
  jobs.push({ kind: JOB.timeout, payload, delayMs: ctx.timeoutMinsOf({ timeoutMins }) * 60_000 });
  await inSlices(jobs, (slice) => queue.enqueue(slice));
  // What ended and was not dropped on the way (overtaken, or a worker died before dropping it).
  await store.sweepTraversals(stack.id, traversal);
  return traversal;
}

/**
 * Stops the waits of a stack whose lock `held` says to stop (a timer, a signal, a nested stack)
 * and releases their locks, so the traversal that follows takes them at once: a delete does not
 * wait for what it deletes, and a timed-out operation leaves nothing locked. Heat's delete and
 * timeout likewise cancel the running resource actions. Updates do not do this: a resource an
 * update overtakes finishes its action first.
 */
export async function abortWaits(ctx: EngineContext, stackId: string, held: (lock: string) => boolean, why: string, traversal: string) {
  const { store, notifier } = ctx.deps;
  const waiting = (await store.listResources(stackId)).filter((r) => r.data[WAIT_KEY] && r.lockTraversal && held(r.lockTraversal));
  const reason = (action: string) => `${action} aborted: ${why}`;
  const stack = waiting.length ? await store.getStack(stackId) : undefined;
  for (const r of waiting) {
    await store.unlockResource(r.id, r.lockTraversal!, { status: "FAILED", statusReason: reason(r.action), data: withoutWait(r.data) });
    const plugin = ctx.pluginForRow(r);
    if (stack && plugin?.abandon) {
      await plugin.abandon(pluginContext(ctx, { stack, row: r, action: r.action as ActionName, properties: r.properties, previousProperties: r.properties, metadata: undefined }));
    }
  }
  if (waiting.length) await notifier.notify(waiting.map((r) => resourceEvent(r, r.action, "FAILED", reason(r.action), traversal)));
}

/** The traversal ran out of time: its waits stop, releasing their locks, and it fails with `reason`. */
export async function timeOutTraversal(ctx: EngineContext, stackId: string, traversal: string, reason: string) {
  await abortWaits(ctx, stackId, (lock) => lock === traversal, "the stack timed out", traversal);
  await failTraversal(ctx, stackId, traversal, reason);
}

/** The stack's sync point was reached: every node of the traversal converged. */
export async function completeTraversal(ctx: EngineContext, stack: StackRecord, traversal: string) {
  const { store, notifier } = ctx.deps;
  ctx.forgetGraph(traversal);
  if (stack.action === "DELETE") {
    const leftovers = await store.listResources(stack.id);
    for (const r of leftovers) await store.deleteResource(r.id);
    // Gone before it is announced: whoever hears DELETE_COMPLETE finds no stack.
    await store.purgeTraversals(stack.id);
    // Before the row goes: whoever finds the stack gone finds what it held elsewhere gone too.
    if (stack.parentResourceId === null) await ctx.deps.rootStackDeleted?.(stack.id);
    await store.deleteStack(stack.id);
    await notifier.notify([stackEvent(stack, "DELETE", "COMPLETE", "Stack DELETE completed successfully", traversal)]);
    await wakeParent(ctx, stack);
    return;
  }
  let status: "COMPLETE" | "FAILED" = "COMPLETE";
  const cause = rollbackCause(stack);
  // A rollback is never the whole story: the reason keeps what it undid (Heat's loses it).
  let reason = cause === undefined ? `Stack ${stack.action} completed successfully` : `Stack ROLLBACK completed after: ${cause}`;
  if (stack.action === "CHECK") ({ status, reason } = await checkVerdict(ctx, stack));
  const won = await store.updateStack(stack.id, { status, statusReason: reason, currentTraversal: null }, traversal);
  if (!won) return;
  await notifier.notify([stackEvent(stack, stack.action, status, reason, traversal)]);
  // Only this traversal's: whoever heard it complete may have started the next one already.
  await store.purgeTraversal(traversal);
  await wakeParent(ctx, stack);
}

/**
 * Marks the traversal failed (once: only while it is current) and rolls back when the stack
 * allows it. Jobs of the failed traversal still running finish their resource and stop.
 * Answers whether it did: false when the traversal was no longer current.
 */
export async function failTraversal(
  ctx: EngineContext,
  stackId: string,
  traversal: string,
  reason: string,
  /** Overrides the stack's own setting (a cancelled update always rolls back). */
  rollbackOverride?: boolean,
): Promise<boolean> {
  const { store, notifier } = ctx.deps;
  const stack = await store.getStack(stackId);
  if (!stack || stack.currentTraversal !== traversal) return false;
  const cause = rollbackCause(stack);
  if (cause !== undefined) reason = `${reason} (while rolling back after: ${cause})`;
  const ended = stackEvent(stack, stack.action, "FAILED", reason, traversal);
  const rollback = (rollbackOverride ?? !stack.disableRollback) && (stack.action === "CREATE" || stack.action === "UPDATE");
  if (rollback) {
    const started = await startTraversal(ctx, { ...stack, status: "FAILED" }, {
      action: "ROLLBACK",
      reason: `${ROLLBACK_AFTER}${reason}`,
      // A failed create rolls back to nothing; a failed update to the template before it.
      templateId: stack.action === "CREATE" ? null : stack.prevTemplateId,
      // Kept so the failed attempt can still be shown (a rolled-back create has no template).
      prevTemplateId: stack.action === "CREATE" ? stack.templateId : null,
      takesOver: { traversal, ended },
    });
    return started !== undefined;
  }
  const won = await store.updateStack(stack.id, { status: "FAILED", statusReason: reason, currentTraversal: null }, traversal);
  if (!won) return false;
  await notifier.notify([ended]);
  // Its jobs still running stop at their next step: nothing of it is converged again.
  await store.purgeTraversal(traversal);
  await wakeParent(ctx, stack);
  return true;
}

/** A rollback's IN_PROGRESS reason names its cause; the rollback's end and failure repeat it. */
const ROLLBACK_AFTER = "Stack ROLLBACK started after: ";
const rollbackCause = (stack: StackRecord): string | undefined =>
  stack.action === "ROLLBACK" && stack.statusReason.startsWith(ROLLBACK_AFTER) ? stack.statusReason.slice(ROLLBACK_AFTER.length) : undefined;

/** A nested stack finished (or failed): wake the parent resource waiting for it. */
async function wakeParent(ctx: EngineContext, stack: StackRecord) {
  if (!stack.parentResourceId) return;
  const parent = await ctx.deps.store.getResource(stack.parentResourceId);
  const marker = parent?.data[WAIT_KEY] as WaitMarker | undefined;
  if (!parent || !marker) return;
  await ctx.deps.queue.enqueue([{ kind: JOB.resume, payload: resumeJob(parent.id, parent.stackId, marker) }]);
}
