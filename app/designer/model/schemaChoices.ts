import type { TypeSchema } from "../components/Inspector";

/** A type's attributes as pickers offer them: sorted, with Heat's catch-all `show` (a map of them all) last. */
export const attributeNames = (schema: TypeSchema): string[] =>
  Object.keys(schema.attributes).sort((a, b) => Number(a === "show") - Number(b === "show") || a.localeCompare(b));

/** The property a new get_resource or get_attr most likely feeds: of those not picked from a list, a required string one, else any required one, else a string one, else the first. */
export function likelyProperty(schema: TypeSchema): string {
  const entries = Object.entries(schema.properties).sort(([a], [b]) => a.localeCompare(b));
  // A property with a fixed list of allowed values (Value's `type`) takes a choice, not another resource's output.
  const open = entries.filter(([, p]) => !p.constraints?.some((c) => "allowed_values" in c));
  const pick =
    open.find(([, p]) => p.required && p.type === "string") ?? open.find(([, p]) => p.required) ?? open.find(([, p]) => p.type === "string") ?? open[0] ?? entries[0];
  return pick?.[0] ?? "";
}
