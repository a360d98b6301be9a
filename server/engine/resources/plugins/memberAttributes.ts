import type { NestedStackStatus } from "../plugin";

/**
 * What get_attr reads from a resource whose nested stack holds named members (ResourceGroup,
 * ResourceChain): `refs` (physical ids in member order), `resource.<member>` (that member's
 * attributes, for a path to pick from), `attributes` (attribute name → member → value) and,
 * for every attribute a member has, the list of each member's value in member order. Members
 * missing from the nested stack are left out.
 */
export function memberAttributes(s: NestedStackStatus, names: readonly string[]): Record<string, unknown> {
  const members = names.filter((m) => s.resources[m]);
  const out: Record<string, unknown> = { refs: members.map((m) => s.resources[m]!.physicalId) };
  const byAttribute: Record<string, Record<string, unknown>> = {};
  for (const m of members) {
    const attrs = s.resources[m]!.attributes;
    out[`resource.${m}`] = attrs;
    for (const [k, v] of Object.entries(attrs)) (byAttribute[k] ??= {})[m] = v;
  }
  for (const [k, perMember] of Object.entries(byAttribute)) {
    if (!(k in out)) out[k] = members.map((m) => perMember[m] ?? null);
  }
  out.attributes = byAttribute;
  return out;
}
