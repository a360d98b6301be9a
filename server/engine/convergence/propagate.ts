/**
 * After a node converged: record its output at each successor's sync point; the arrival that
 * completes a successor queues it. One statement per edge, no retries.
 */
import type { JobRequest } from "../ports";
import type { EngineContext } from "./engineContext";
import { checkJob } from "./jobs";
import { parseNode } from "./nodes";
import { byName } from "./resourceRows";

export interface NodeOutput {
  physicalId: string | null;
  reference: string | null;
  attributes: Record<string, unknown>;
}

export async function propagate(
  ctx: EngineContext,
  at: { stackId: string; traversal: string; node: string },
  output: NodeOutput | Record<string, never>,
  /** A redelivered job: arrivals it made before may have completed successors that were never queued. */
  redelivered = false,
) {
  const { store, queue } = ctx.deps;
  const successors = await ctx.successors(at.traversal, at.node);
  if (!successors) return;
  const ready: string[] = [];
  for (const successor of successors) {
    // Only an update node reads what its predecessors handed on (to resolve its properties):
    // others are given nothing, which is stored as it is rather than sealed.
    const handedOn = parseNode(successor)?.kind === "update" ? output : {};
    let completes = await store.arrive(at.traversal, successor, at.node, handedOn);
    if (!completes && redelivered) {
      completes = (await store.getSyncPoint(at.traversal, successor))?.remaining === 0 && !(await started(ctx, at.stackId, at.traversal, successor));
    }
    if (completes) ready.push(successor);
  }
  await queue.enqueue(await readyJobs(ctx, at, ready));
}

/**
 * The jobs for the nodes a propagation made ready: several at once (a fan-out) may go in
 * batches, which needs the stack's definition, and for cleanup nodes their rows. Batches only
 * save work: when those cannot be read, each node goes alone, as the arrivals that made them
 * ready are not made again.
 */
async function readyJobs(ctx: EngineContext, at: { stackId: string; traversal: string }, ready: string[]): Promise<JobRequest[]> {
  const alone = () => ready.map((node) => checkJob(at.stackId, at.traversal, node));
  if (ready.length < 2) return alone();
  try {
    const { store } = ctx.deps;
    const stack = await store.getStack(at.stackId);
    if (!stack || stack.currentTraversal !== at.traversal) return alone();
    const cleaned = ready.flatMap((n) => (parseNode(n)?.kind === "cleanup" ? [parseNode(n)!.resource] : []));
    const rows = cleaned.length >= 2 ? byName(await store.findResourcesNamed(stack.id, cleaned)) : undefined;
    return ctx.checkJobs(at.stackId, at.traversal, ready, await ctx.definition(stack.templateId, stack), rows);
  } catch {
    return alone();
  }
}

/**
 * Whether a node's resource was already taken up in this traversal: then its job was queued
 * (and is redelivered if its worker died), and queueing it again could run it twice at once.
 * Only update and check nodes mark their rows; others are queued again, which is harmless.
 */
async function started(ctx: EngineContext, stackId: string, traversal: string, node: string): Promise<boolean> {
  const parsed = parseNode(node);
  if (!parsed || parsed.kind === "cleanup") return false;
  return (await ctx.deps.store.findResources(stackId, parsed.resource)).some((r) => r.convergedTraversal === traversal);
}

/**
 * A lock held by an older traversal was just released: if the current traversal's node for
 * this resource was ready meanwhile, it tried and stepped back, so queue it again (running a
 * node twice is harmless).
 */
export async function recheckCurrent(ctx: EngineContext, stackId: string, resourceName: string) {
  const { store, queue } = ctx.deps;
  const stack = await store.getStack(stackId);
  const current = stack?.currentTraversal;
  if (!current) return;
  const jobs: JobRequest[] = [];
  for (const kind of ["update", "cleanup", "check"]) {
    const node = `${kind}:${resourceName}`;
    const point = await store.getSyncPoint(current, node);
    if (point && point.remaining === 0) {
      jobs.push(checkJob(stackId, current, node));
    }
  }
  await queue.enqueue(jobs);
}
