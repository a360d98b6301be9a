/**
 * Stack check (Heat's CHECK action): which resources a check looks at, what it says of those
 * whose type verifies nothing, and the stack's verdict once every check node ran. Resources
 * backed by a nested stack check it, member by member, as Heat's do (their plugins' `check`).
 */
import type { ResourceRecord, StackRecord } from "../ports";
import type { EngineContext } from "./engineContext";
import { resourceEvent } from "./events";
import type { CheckJob } from "./jobs";
import { propagate } from "./propagate";
import { byName, currentRow } from "./resourceRows";

/** Added to the stack's reason when some resource, here or in a nested stack, could not really be checked. */
const NOT_FULLY_SUPPORTED = ". 'CHECK' not fully supported (see resources)";

const notSupported = (type: string) => `CHECK not supported for ${type}`;

/**
 * A resource never created stays INIT_COMPLETE (checking it would imply it exists), and one
 * whose last action failed keeps its failure, so the next update still retries it. Heat's
 * check marks a failed resource CHECK_COMPLETE, which hides the failure.
 */
export const checkable = (row: ResourceRecord) => row.action !== "INIT" && (row.status !== "FAILED" || row.action === "CHECK");

/** A resource whose type verifies nothing: one event saying so, as Heat gives, and no IN_PROGRESS before it. */
export async function checkNotSupported(ctx: EngineContext, job: CheckJob, row: ResourceRecord) {
  const reason = notSupported(row.type);
  await ctx.deps.store.unlockResource(row.id, job.traversal, { action: "CHECK", status: "COMPLETE", statusReason: reason, convergedTraversal: job.traversal });
  await ctx.deps.notifier.notify([resourceEvent(row, "CHECK", "COMPLETE", reason, job.traversal)]);
  await propagate(ctx, job, {});
}

/** The stack's status and reason once every resource was checked. */
export async function checkVerdict(ctx: EngineContext, stack: StackRecord): Promise<{ status: "COMPLETE" | "FAILED"; reason: string }> {
  const { store } = ctx.deps;
  const rows = [...byName(await store.listResources(stack.id)).values()].map(currentRow).filter((r): r is ResourceRecord => r !== undefined);
  const failed = rows.filter((r) => r.action === "CHECK" && r.status === "FAILED");
  // As Heat counts it: every resource of the tree, checked or not, whose type verifies nothing.
  const children = await store.childStacks(rows.map((r) => r.id));
  const partial =
    rows.some((r) => !ctx.pluginForRow(r)?.check) || children.some((s) => s.action === "CHECK" && s.statusReason.endsWith(NOT_FULLY_SUPPORTED));
  const note = partial ? NOT_FULLY_SUPPORTED : "";
  if (failed.length) {
    return { status: "FAILED", reason: `Resource CHECK failed: ${failed.map((r) => `${r.name}: ${r.statusReason}`).join("; ")}${note}` };
  }
  return { status: "COMPLETE", reason: `Stack CHECK completed successfully${note}` };
}
