/** Reading the rows of a resource: one current row, and replaced copies awaiting cleanup. */
import type { ResourceRecord } from "../ports";
import type { ResourceDefinition } from "./definition";
import { TEMPLATE_TYPE_KEY } from "./jobs";

/**
 * A resource's type as its template names it (Heat's resource_type): before the environment
 * mapped it, if it did. Without its data (a row whose sealed columns cannot be opened), the type it runs as.
 */
export const shownType = (r: Pick<ResourceRecord, "type"> & { data?: Record<string, unknown> }): string => {
  const named = r.data?.[TEMPLATE_TYPE_KEY];
  return typeof named === "string" ? named : r.type;
};

/** Groups rows by resource name. */
export function byName(rows: ResourceRecord[]): Map<string, ResourceRecord[]> {
  const m = new Map<string, ResourceRecord[]>();
  for (const r of rows) {
    const list = m.get(r.name);
    if (list) list.push(r);
    else m.set(r.name, [r]);
  }
  return m;
}

/**
 * The row that stands for the resource now: not replaced, and not being replaced by a row that
 * is itself current (a copy created before its original was marked replaced). A copy given up
 * for the row it was to replace is marked replaced by that row, so its claim no longer counts.
 */
export function currentRow<Row extends Pick<ResourceRecord, "replaces" | "replacedBy" | "id" | "createdAt">>(rows: Row[]): Row | undefined {
  const live = rows.filter((r) => !r.replacedBy);
  const claimed = new Set(live.map((r) => r.replaces).filter(Boolean));
  return live.filter((r) => !claimed.has(r.id)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** A row that exists as it was last converged: it may be kept as the resource. */
const sound = (r: ResourceRecord) => r.status === "COMPLETE" && r.action !== "INIT";

/**
 * The row an update of the resource to template version `templateId` starts from, as Heat's
 * convergence picks it:
 *  - a sound row last converged to that very version: a rollback goes back to the resource it
 *    had, even when a replacement was created since;
 *  - otherwise the current row, unless it is a replacement that failed while the row it was to
 *    replace is still sound: then that row, and the failed copy is left to be deleted.
 * A row this traversal already took up stays its choice, so a job delivered again decides alike.
 */
export function rowToConverge(rows: ResourceRecord[], traversal: string | null, templateId: string | null): ResourceRecord | undefined {
  const current = currentRow(rows);
  if (!current || (traversal !== null && current.convergedTraversal === traversal)) return current;
  const converged = templateId === null ? undefined : rows.find((r) => r.templateId === templateId && sound(r));
  if (converged) return converged;
  const original = current.status === "FAILED" && current.replaces ? rows.find((r) => r.id === current.replaces) : undefined;
  return original && sound(original) ? original : current;
}

/** A row for a resource that does not exist yet (Heat's INIT_COMPLETE). */
export function blankRow(id: string, stackId: string, def: ResourceDefinition, now: string): ResourceRecord {
  return {
    id,
    stackId,
    name: def.name,
    type: def.type,
    physicalId: null,
    action: "INIT",
    status: "COMPLETE",
    statusReason: "",
    templateId: null,
    requires: def.requires,
    replaces: null,
    replacedBy: null,
    lockTraversal: null,
    convergedTraversal: null,
    properties: {},
    attributes: {},
    data: def.templateType === undefined ? {} : { [TEMPLATE_TYPE_KEY]: def.templateType },
    createdAt: now,
    updatedAt: now,
  };
}
