/** Rendering for people (bordered tables, as the openstack CLI draws them) and for scripts (JSON). */
import { stringify } from "yaml";
import type { Io } from "./io";

/** `--json`: one JSON document on stdout and nothing else. */
export function printJson(io: Io, value: unknown) {
  io.out(JSON.stringify(value, null, 2));
}

/** `2026-11-25T15:30:01.123Z` → `2026-11-25T15:30:01Z`, as openstack shows times. */
export const shortTime = (iso: string | null | undefined) => (iso ? iso.replace(/\.\d+Z$/, "Z") : iso);

/** A cell's text: strings as they are, null as None, structures as YAML. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.length === 0) return "[]";
  if (typeof v === "object" && Object.keys(v).length === 0) return "{}";
  return stringify(v, { lineWidth: 0 }).trimEnd();
}

/**
 * +------+--------+
 * | Name | Status |
 * +------+--------+
 * | web  | OK     |
 * +------+--------+
 */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map((v) => cellText(v).split("\n")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => Math.max(...r[i].map((l) => l.length)))));
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const line = (parts: string[]) => `| ${parts.map((p, i) => p.padEnd(widths[i])).join(" | ")} |`;
  const body = cells.flatMap((r) => {
    const height = Math.max(...r.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => line(r.map((c) => c[k] ?? "")));
  });
  return [rule, line(headers), rule, ...body, ...(body.length ? [rule] : [])].join("\n");
}

/** A Field | Value table, as `openstack … show` prints one object. */
export function fieldTable(fields: [string, unknown][]): string {
  return table(["Field", "Value"], fields);
}

/** A list as openstack prints it: a table whose headers are the records' keys, or (--json) the records. */
export function printRecords(io: Io, json: boolean, records: Record<string, unknown>[], headers: string[] = Object.keys(records[0] ?? {})) {
  if (json) printJson(io, records);
  else io.out(table(headers, records.map((r) => headers.map((h) => r[h]))));
}

/** One object as openstack prints it: a Field | Value table, or (--json) the object. */
export function printRecord(io: Io, json: boolean, record: Record<string, unknown>) {
  if (json) printJson(io, record);
  else io.out(fieldTable(Object.entries(record)));
}
