/** Reading the rows of a resource: one current row, and replaced copies awaiting cleanup. */
import type { ResourceRecord } from "../ports";
import type { ResourceDefinition } from "./definition";

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

/** The row that stands for the resource now: not replaced, and not being replaced. */
export function currentRow(rows: ResourceRecord[]): ResourceRecord | undefined {
  const replaced = new Set(rows.map((r) => r.replaces).filter(Boolean));
  const candidates = rows.filter((r) => !r.replacedBy && !replaced.has(r.id));
  return candidates.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
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
    data: {},
    createdAt: now,
    updatedAt: now,
  };
}
