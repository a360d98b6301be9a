import { done, ResourceFailure, wait, type InheritanceRequest, type NestedStackRequest, type NestedStackStatus, type Outcome, type ResourceContext } from "../plugin";
import type { GroupMember } from "../storedAttributes";

/**
 * Shared by every resource backed by a nested stack: wait while it converges (its completion
 * wakes us), fail with its reason, or finish with attributes (and what get_resource gives,
 * when not the stack's id) taken from it.
 */
export async function nestedOutcome(
  ctx: ResourceContext,
  result: (s: NestedStackStatus) => { attributes: Record<string, unknown>; reference?: string },
): Promise<Outcome> {
  const s = await ctx.nested.status();
  if (ctx.action === "DELETE") {
    if (!s) return done();
    if (s.action === "DELETE" && s.status === "FAILED") throw new ResourceFailure(`Nested stack delete failed: ${s.statusReason}`);
    return wait();
  }
  if (!s) throw new ResourceFailure("The nested stack is missing");
  if (s.status === "IN_PROGRESS") return wait();
  if (s.status === "FAILED") throw new ResourceFailure(s.statusReason, "ResourceInError", { physicalId: s.id, ...result(s) });
  return done({ physicalId: s.id, ...result(s) });
}

/**
 * Waiting for the nested stack: its end wakes the resource, and one that ended before the wait
 * was stored, finding none to wake, is seen by the check once it is.
 */
export const waitForNested = (ctx: ResourceContext, physicalId?: string): Outcome => wait({ physicalId, finishedBeforeWaiting: () => ctx.nested.settled() });

/** Starts deleting the nested stack, or finishes at once when there is none. */
export async function deleteNested(ctx: ResourceContext): Promise<Outcome> {
  return (await ctx.nested.delete()) ? waitForNested(ctx) : done();
}

/**
 * Creates or updates the nested stack and waits for it. The resource's physical id is the nested
 * stack's from now on, failed or not (as in Heat): that id is what makes a retry update the
 * nested stack in place.
 */
export async function convergeNested(ctx: ResourceContext, request: NestedStackRequest): Promise<Outcome> {
  const { stackId } = await ctx.nested.converge(request);
  return waitForNested(ctx, stackId);
}

/** The environment a resource's nested stack inherits, as the request's first document (ResourceContext.inheritedEnvironment). */
export function inherited(ctx: ResourceContext, request?: InheritanceRequest): Pick<NestedStackRequest, "environment"> {
  const document = ctx.inheritedEnvironment?.(request);
  return document === undefined ? {} : { environment: [document] };
}

/** Checks the nested stack, member by member; a missing one fails the check when the resource resumes. */
export async function checkNested(ctx: ResourceContext): Promise<Outcome> {
  await ctx.nested.check();
  return waitForNested(ctx);
}

export const outputValues = (s: NestedStackStatus) =>
  Object.fromEntries(Object.entries(s.outputs).map(([k, v]) => [k, v.value ?? null]));

/**
 * The named members of a group-like resource (ResourceGroup, ResourceChain) as they stand in its
 * nested stack, in that order. A member without an id (failed first, or never created) is
 * referred to by its name, as Heat refers to any resource without one.
 */
export const membersOf = (s: NestedStackStatus, names: readonly string[]): GroupMember[] =>
  names.filter((name) => s.resources[name]).map((name) => ({ name, reference: s.resources[name]!.reference ?? name, attributes: s.resources[name]!.attributes }));
