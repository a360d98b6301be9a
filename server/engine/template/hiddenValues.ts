/**
 * The one masking rule for secrets: which texts are secret (the values of a stack's hidden
 * parameters, and for some callers credentials such as signal tokens), and how any value
 * shown to a user or written to a log or a reason is cleaned of them.
 *
 * Heat masks a hidden parameter only in the stack's parameter list; the same value passed
 * to a resource, an output (`get_param` of it shows in clear in Heat 19) or an error message
 * is shown as is. Kiln masks the value wherever it appears, because a demanding user marks a
 * parameter hidden to keep it off screens and logs, not off one screen.
 */
import type { ParameterSchema } from "./parameters";
import { heatJson, heatString, isMapping } from "./values";
import { Unresolved } from "../unresolved";

/** What a masked value reads as, as in Heat's parameter list. */
export const MASK = "******";

/**
 * Texts shorter than this are masked where a whole value equals them, or quoted in a message
 * ('ab', "ab"): replacing every "ab" inside every string would garble unrelated text and say
 * which letters the secret has.
 */
const MIN_SUBSTRING = 4;

/** The texts of the hidden parameters' values: the value as a string, and each text inside a list or json value. */
export function hiddenValues(schemas: readonly ParameterSchema[], values: Readonly<Record<string, unknown>>): string[] {
  const out = new Set<string>();
  for (const schema of schemas) {
    if (!schema.hidden || !(schema.name in values)) continue;
    collect(values[schema.name], out, 0);
  }
  return [...out];
}

function collect(value: unknown, out: Set<string>, depth: number) {
  // A hidden boolean is masked in the parameter list (by name) only: masking every "true" would garble all text.
  if (value === null || value === undefined || typeof value === "boolean" || value instanceof Unresolved || depth > 32) return;
  if (typeof value === "string" || typeof value === "number") {
    const text = heatString(value);
    if (text !== "") out.add(text);
    return;
  }
  if (Array.isArray(value) || isMapping(value)) {
    const whole = heatJson(value);
    if (whole !== "" && whole !== "[]" && whole !== "{}") out.add(whole);
    if (Array.isArray(value)) {
      // A comma_delimited_list is given as one text: that text is secret too.
      if (value.every((v) => typeof v === "string")) out.add(value.join(","));
      for (const v of value) collect(v, out, depth + 1);
    } else for (const v of Object.values(value)) collect(v, out, depth + 1);
  }
}

/** Joins secret lists, longest first so a secret containing another is masked whole. */
export function secretSet(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].filter((s) => s !== "").sort((a, b) => b.length - a.length);
}

/** The text with every secret in it replaced by MASK. */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < MIN_SUBSTRING) {
      if (out === s) return MASK;
      for (const q of ["'", '"']) if (out.includes(`${q}${s}${q}`)) out = out.split(`${q}${s}${q}`).join(`${q}${MASK}${q}`);
    } else if (out.includes(s)) out = out.split(s).join(MASK);
  }
  return out;
}

/** A copy of the value with secrets masked in every string (and any number or boolean equal to one). */
export function maskHidden<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  return walk(value, secrets, 0) as T;
}

function walk(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === "string") return maskText(value, secrets);
  if (typeof value === "number" || typeof value === "boolean") return secrets.includes(String(value)) ? MASK : value;
  if (depth > 200 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets, depth + 1));
  if (!isMapping(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[maskText(k, secrets)] = walk(v, secrets, depth + 1);
  return out;
}
