/**
 * What an update would do, without doing it: each resource is added, updated in place,
 * replaced, deleted or unchanged. Properties are resolved against the resources as they are
 * now, so a value that depends on a resource about to be replaced shows its current value;
 * such a resource, unchanged as far as can be known, is listed as "may change" instead.
 */
import type { StackRecord } from "../ports";
import { propertiesFor } from "../resources/validateProperties";
import type { StackDefinition } from "./definition";
import type { EngineContext } from "./engineContext";
import { outputOf } from "./resourceActions";
import { changeReasons, resourceChange } from "./resourceChange";
import { byName, currentRow, rowToConverge, shownType } from "./resourceRows";

export interface PreviewEntry {
  resource_name: string;
  resource_type: string;
  /** Why, for updated and replaced resources: what changes; and when a failed replacement is given up. */
  reason?: string;
}

export interface UpdatePreview {
  added: PreviewEntry[];
  updated: PreviewEntry[];
  replaced: PreviewEntry[];
  deleted: PreviewEntry[];
  /**
   * Unchanged as far as the preview can tell, but reading (get_resource, get_attr) a resource
   * that is replaced, updated or itself may change: its new inputs are known only during the
   * update. Heat's preview counts these as unchanged.
   */
  may_change: PreviewEntry[];
  unchanged: PreviewEntry[];
}

/**
 * Each resource is compared as the engine will: from the row an update starts from, which after
 * a failed replacement is the copy it was to replace (Heat's own preview compares the failed
 * copy, and says "replaced" where its engine then keeps the original).
 */
export async function previewUpdate(ctx: EngineContext, stack: StackRecord, def: StackDefinition): Promise<UpdatePreview> {
  const rows = byName(await ctx.deps.store.listResources(stack.id));
  const current = new Map([...rows].map(([name, list]) => [name, currentRow(list)]));
  const out: UpdatePreview = { added: [], updated: [], replaced: [], deleted: [], may_change: [], unchanged: [] };
  const reads = new Map<string, Set<string>>();
  const lookup = (name: string) => {
    const r = current.get(name);
    return r && r.action !== "INIT" ? outputOf(r) : undefined;
  };
  for (const r of def.resources.values()) {
    const row = rowToConverge(rows.get(r.name) ?? [], null, null);
    // The type as the template names it, as the resource list shows it (not the file a mapping chose).
    const entry: PreviewEntry = { resource_name: r.name, resource_type: r.templateType ?? r.type };
    if (!row || row.action === "INIT") {
      out.added.push(entry);
      continue;
    }
    const givenUp = row !== current.get(r.name) ? `back to ${row.physicalId ?? "the copy it had"}: its failed replacement is deleted` : undefined;
    const plugin = ctx.pluginFor(r, def.files);
    if (!plugin) {
      out.updated.push({ ...entry, reason: `the resource type "${r.type}" is not available` });
      continue;
    }
    let props: Record<string, unknown>;
    let metadata: unknown;
    try {
      const read = new Set<string>();
      reads.set(r.name, read);
      const resolved = r.resolve((name) => (read.add(name), lookup(name)));
      props = propertiesFor(plugin, resolved.properties, { path: "", resolved: true }).values;
      metadata = resolved.metadata;
    } catch {
      out.updated.push({ ...entry, reason: "properties depend on values known only during the update" });
      continue;
    }
    const change = resourceChange(row, r, plugin, props, metadata);
    const reasons = (why?: string) => [why, givenUp].filter(Boolean).join("; ") || undefined;
    if (change.kind === "none") out.unchanged.push({ ...entry, ...(givenUp ? { reason: givenUp } : {}) });
    else (change.kind === "replace" ? out.replaced : out.updated).push({ ...entry, reason: reasons(changeReasons(change)) });
  }
  for (const [name, row] of current) {
    if (row && !def.resources.has(name)) out.deleted.push({ resource_name: name, resource_type: shownType(row) });
  }
  markMayChange(out, reads);
  return out;
}

/** Moves from `unchanged` to `may_change` each resource that reads one whose values may be new, until none is left to move. */
function markMayChange(out: UpdatePreview, reads: Map<string, Set<string>>) {
  const moving = new Map<string, string>();
  for (const e of out.replaced) moving.set(e.resource_name, "replaced");
  for (const e of out.updated) moving.set(e.resource_name, "updated");
  for (let moved = true; moved; ) {
    moved = false;
    for (const e of out.unchanged) {
      const source = [...(reads.get(e.resource_name) ?? [])].find((name) => moving.has(name));
      if (!source) continue;
      out.may_change.push({ ...e, reason: [`reads ${source}, which ${moving.get(source) === "may change" ? "may change" : `is ${moving.get(source)}`}`, e.reason].filter(Boolean).join("; ") });
      moving.set(e.resource_name, "may change");
      moved = true;
    }
    out.unchanged = out.unchanged.filter((e) => !moving.has(e.resource_name));
  }
}
