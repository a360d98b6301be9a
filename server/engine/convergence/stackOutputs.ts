import type { ResourceRecord, StackRecord } from "../ports";
import type { OutputValue } from "./definition";
import type { EngineContext } from "./engineContext";
import { outputOf } from "./resourceActions";
import { byName, currentRow } from "./resourceRows";

/**
 * The stack's outputs, resolved against its resources as they are now; an output that cannot
 * resolve carries its error. A resource whose update failed still shows the attributes it had
 * (Heat 19 answers so); one whose create failed has none. `known`: the stack's resource rows
 * by name, when the caller has just read them.
 */
export async function stackOutputs(ctx: EngineContext, stack: StackRecord, known?: Map<string, ResourceRecord[]>): Promise<Record<string, OutputValue>> {
  const def = await ctx.definition(stack.templateId, stack);
  const rows = known ?? byName(await ctx.deps.store.listResources(stack.id));
  return def.outputs((name) => {
    const list = rows.get(name);
    const row = list && currentRow(list);
    // A failed resource still answers for what it has (Heat's too): a failed group, for its members.
    return row && row.action !== "INIT" ? outputOf(row) : undefined;
  });
}
