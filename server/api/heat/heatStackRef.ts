/** The stack a Heat API path names, and the stacks around it (its parent, those holding nested resources and events). */
import type { StackRecord } from "../../engine/ports";
import { viewerFor } from "../../services/shownSecrets";
import { findStack, NotFound } from "../../services/stacks";
import type { HeatContext } from "./heatRequest";

/** The stack a name/id path names; a name that is not the stack's is not found, as in Heat. */
export async function stackAt(ctx: HeatContext): Promise<StackRecord> {
  const { stack_name: name, stack_id: id } = ctx.params;
  const stack = await findStack(ctx.rt, ctx.project.id, id!);
  if (stack.id !== id || stack.name !== name) throw new NotFound(`The Stack (${name}) could not be found.`);
  return stack;
}

export const viewer = (ctx: HeatContext) => viewerFor(ctx.project.role);

/** The stack owning a nested stack's parent resource, or null. */
export async function parentOf(ctx: HeatContext, stack: StackRecord): Promise<string | null> {
  if (!stack.parentResourceId) return null;
  const parent = await ctx.rt.store.getResource(stack.parentResourceId);
  return parent?.stackId ?? null;
}

/** Stacks by id, loaded once each: views of nested resources and events name the stack holding them. */
export function stackCache(ctx: HeatContext) {
  const seen = new Map<string, Promise<StackRecord | undefined>>();
  return (id: string) => {
    if (!seen.has(id)) seen.set(id, ctx.rt.store.getStack(id));
    return seen.get(id)!;
  };
}

export const lastSegment = (stackPath: string) => stackPath.split("/").pop() || undefined;
export const depthOf = (stackPath: string) => (stackPath ? stackPath.split("/").length : 0);
