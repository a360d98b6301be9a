/**
 * What an update would do, without doing it: each resource is added, updated in place,
 * replaced, deleted or unchanged. Properties are resolved against the resources as they are
 * now, so a value that depends on a resource about to be replaced shows its current value.
 */
import type { StackRecord } from "../ports";
import { changedProperties, needsReplacement, propertiesFor, alwaysUpdatedInPlace } from "../resources/plugin";
import type { StackDefinition } from "./definition";
import type { EngineContext } from "./engineContext";
import { outputOf } from "./resourceActions";
import { byName, currentRow } from "./resourceRows";

export interface PreviewEntry {
  resource_name: string;
  resource_type: string;
  /** Why, for updated and replaced resources: the properties that change. */
  reason?: string;
}

export interface UpdatePreview {
  added: PreviewEntry[];
  updated: PreviewEntry[];
  replaced: PreviewEntry[];
  deleted: PreviewEntry[];
  unchanged: PreviewEntry[];
}

/** Why an unchanged nested-stack resource is updated anyway (see alwaysUpdatedInPlace). */
const NESTED_STACK_UPDATED = "its nested stack is updated with the stack";

export async function previewUpdate(ctx: EngineContext, stack: StackRecord, def: StackDefinition): Promise<UpdatePreview> {
  const rows = byName(await ctx.deps.store.listResources(stack.id));
  const current = new Map([...rows].map(([name, list]) => [name, currentRow(list)]));
  const out: UpdatePreview = { added: [], updated: [], replaced: [], deleted: [], unchanged: [] };
  const lookup = (name: string) => {
    const r = current.get(name);
    return r && r.action !== "INIT" ? outputOf(r) : undefined;
  };
  for (const r of def.resources.values()) {
    const row = current.get(r.name);
    const entry: PreviewEntry = { resource_name: r.name, resource_type: r.type };
    if (!row || row.action === "INIT") {
      out.added.push(entry);
      continue;
    }
    const plugin = ctx.pluginFor(r, def.files);
    const failed = row.status === "FAILED";
    const inPlace = plugin !== undefined && alwaysUpdatedInPlace(plugin, row.physicalId);
    if (row.type !== r.type || (failed && !inPlace)) {
      out.replaced.push({ ...entry, reason: row.type !== r.type ? `type changes from ${row.type}` : `${row.action}_FAILED` });
      continue;
    }
    const retried = failed ? [`retried after ${row.action}_FAILED`] : [];
    let props: Record<string, unknown>;
    try {
      props = plugin ? propertiesFor(plugin, r.resolve(lookup).properties, { path: "" }).values : {};
    } catch {
      out.updated.push({ ...entry, reason: [...retried, "properties depend on values known only during the update"].join(", ") });
      continue;
    }
    const changed = changedProperties(row.properties, props);
    if (changed.length && plugin && needsReplacement(plugin, row.properties, props)) out.replaced.push({ ...entry, reason: changed.join(", ") });
    else if (changed.length || inPlace) out.updated.push({ ...entry, reason: [...retried, ...changed].join(", ") || NESTED_STACK_UPDATED });
    else out.unchanged.push(entry);
  }
  for (const [name, row] of current) {
    if (row && !def.resources.has(name)) out.deleted.push({ resource_name: name, resource_type: row.type });
  }
  return out;
}
