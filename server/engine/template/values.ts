import { isUnresolved } from "../unresolved";

export const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !isUnresolved(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with map keys sorted: equal under deepEqual means equal text, so values can key a Set or Map. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isMapping(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  return v === undefined ? "null" : JSON.stringify(v);
}

/** JSON the way Heat writes it into strings (Python's json.dumps: `", "` and `": "` separators). */
export function heatJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(heatJson).join(", ")}]`;
  if (isMapping(v)) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${heatJson(x)}`).join(", ")}}`;
  if (v === undefined) return "null";
  return JSON.stringify(v);
}

/** How Heat turns a scalar into text (Python's str): booleans are `True`/`False`. */
export function heatString(v: unknown): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return heatJson(v);
}

export const typeName = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "list" : isMapping(v) ? "map" : typeof v === "number" ? "number" : typeof v;

/** An integer given as a number or as digits (Heat accepts both for list indexes). */
export function asIndex(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number.parseInt(v, 10);
  return undefined;
}

/**
 * Heat's walk down a path into a value (get_param, get_attr): lists and strings take an integer
 * (negative counts from the end), maps a key; `missing` when there is no such entry or the value
 * holds none; `notAnIndex` decides what a list or string indexed by something else gives.
 */
export function walkPath(value: unknown, path: readonly unknown[], missing: unknown, notAnIndex: (key: unknown, at: number) => unknown = () => missing): unknown {
  let current = value;
  for (const [i, key] of path.entries()) {
    if (Array.isArray(current) || typeof current === "string") {
      const index = asIndex(key);
      if (index === undefined) return notAnIndex(key, i);
      const at = index < 0 ? current.length + index : index;
      if (at < 0 || at >= current.length) return missing;
      current = current[at];
    } else if (isMapping(current) && Object.prototype.hasOwnProperty.call(current, String(key))) current = current[String(key)];
    else return missing;
  }
  return current;
}
