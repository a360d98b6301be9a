import type { TypeSchema } from "../components/Inspector";

/** A type's attributes as pickers offer them: sorted, with Heat's catch-all `show` (a map of them all) last. */
export const attributeNames = (schema: TypeSchema): string[] =>
  Object.keys(schema.attributes).sort((a, b) => Number(a === "show") - Number(b === "show") || a.localeCompare(b));

/** The property a new get_resource or get_attr most likely feeds: a required string one, else any string one, else the first. */
export function likelyProperty(schema: TypeSchema): string {
  const entries = Object.entries(schema.properties).sort(([a], [b]) => a.localeCompare(b));
  const pick = entries.find(([, p]) => p.type === "string" && p.required) ?? entries.find(([, p]) => p.type === "string") ?? entries[0];
  return pick?.[0] ?? "";
}
