import type { StackRecord } from "../ports";
import type { OutputValue } from "./definition";
import type { EngineContext } from "./engineContext";
import { outputOf } from "./resourceActions";
import { byName, currentRow } from "./resourceRows";

/**
 * The stack's outputs, resolved against its resources as they are now; an output that cannot
 * resolve carries its error. A resource whose update failed still shows the attributes it had
 * (Heat 19 answers so); one whose create failed has none.
 */
export async function stackOutputs(ctx: EngineContext, stack: StackRecord): Promise<Record<string, OutputValue>> {
  const def = await ctx.definition(stack.templateId, stack);
  const rows = byName(await ctx.deps.store.listResources(stack.id));
  return def.outputs((name) => {
    const list = rows.get(name);
    const row = list && currentRow(list);
    // A failed resource still answers for what it has (Heat's too): a failed group, for its members.
    return row && row.action !== "INIT" ? outputOf(row) : undefined;
  });
}
