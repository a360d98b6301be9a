/**
 * The stored form of a resource's attributes, and how get_attr reads it (with a path, as Heat's
 * get_attribute does). Most types store a plain map. Resources backed by a nested stack store
 * more under reserved keys, so that a reader needs nothing but the stored value: a nested
 * stack's outputs keep the errors of those that failed; a group keeps each member's reference
 * and attributes (in their own stored form, so a group of provider templates reads through).
 */
import { walkPath } from "../template/values";

/** What get_attr asked for cannot be had: the message says why, for the user. */
export class AttributeUnavailable extends Error {}

/** Present on every resource whose attributes are a nested stack's outputs: output name → error, for those that failed. */
const OUTPUT_ERRORS = "__outputErrors";
/** A group's members, in order: name, what get_resource gives for it, its stored attributes. */
const MEMBERS = "__members";

type Stored = Record<string, unknown>;

export interface GroupMember {
  name: string;
  reference: string | null;
  attributes: Stored;
}

/** A nested stack's outputs as its resource's attributes (a provider template's). */
export function nestedOutputAttributes(outputs: Record<string, { value?: unknown; error?: string }>): Stored {
  const values: Stored = {};
  const errors: Record<string, string> = {};
  for (const [name, o] of Object.entries(outputs)) {
    if (o.error !== undefined) errors[name] = o.error;
    else values[name] = o.value ?? null;
  }
  return { ...values, [OUTPUT_ERRORS]: errors };
}

/**
 * A group's attributes: its members (each read through `resource.N`, `attributes` or a member
 * attribute's name) and, for a ResourceGroup, the names it removed. Shared by every type whose
 * members live in a nested stack of their own (ResourceGroup, ResourceChain). A chain has no
 * `removed`: there `refs_map` and `removed_rsrc_list` name its members' attributes, as in Heat.
 */
export function groupAttributes(members: GroupMember[], removed?: string[]): Stored {
  return removed === undefined ? { [MEMBERS]: members } : { removed_rsrc_list: removed, [MEMBERS]: members };
}

/** A ResourceGroup's own attributes, beside refs and attributes (which a chain has too). */
const isResourceGroup = (stored: Stored) => Array.isArray(stored.removed_rsrc_list);

/** `resource.N` or `resource.N.ATTR` (ATTR may hold dots): how get_attr names one member of a group. */
export function memberKey(attribute: string): { member: string; attribute?: string } | undefined {
  if (!attribute.startsWith("resource.")) return undefined;
  const rest = attribute.slice("resource.".length);
  const dot = rest.indexOf(".");
  return dot < 0 ? { member: rest } : { member: rest.slice(0, dot), attribute: rest.slice(dot + 1) };
}

/** Heat's get_attr path: whatever is not there (a key, an index, a list indexed by a name) is null. */
const down = (value: unknown, path: readonly (string | number)[]) => walkPath(value, path, null);

/** One attribute of `owner` down `path`; throws AttributeUnavailable when there is none to have. */
export function readAttribute(stored: Stored, owner: string, name: string, path: readonly (string | number)[]): unknown {
  if (Array.isArray(stored[MEMBERS])) return readGroup(stored, owner, name, path);
  if (name === "show") return down(allAttributes(stored, owner), path);
  const errors = stored[OUTPUT_ERRORS] as Record<string, string> | undefined;
  const has = Object.prototype.hasOwnProperty.call(stored, name);
  if (errors === undefined) return down(has ? stored[name] : null, path);
  if (Object.prototype.hasOwnProperty.call(errors, name)) {
    throw new AttributeUnavailable(`the output "${name}" of the nested stack of resource "${owner}" has an error: ${errors[name]}`);
  }
  if (!has) {
    throw new AttributeUnavailable(`resource "${owner}" has no attribute "${name}": its nested stack has no output of that name`);
  }
  return down(stored[name], path);
}

/** Every attribute (get_attr with the resource's name alone); a nested stack's failed output fails it. */
export function allAttributes(stored: Stored, owner: string): Stored {
  const errors = stored[OUTPUT_ERRORS] as Record<string, string> | undefined;
  const failed = errors && Object.keys(errors)[0];
  if (failed !== undefined) readAttribute(stored, owner, failed, []);
  return shownAttributes(stored);
}

/** The attributes as a user reads them (resource show): reserved keys replaced by what they mean. */
export function shownAttributes(stored: Stored): Stored {
  const { [OUTPUT_ERRORS]: errors, [MEMBERS]: members, ...plain } = stored;
  if (errors) for (const name of Object.keys(errors)) plain[name] = null;
  if (!Array.isArray(members)) return plain;
  const group = members as GroupMember[];
  const shown = group.map((m) => shownAttributes(m.attributes));
  const names = new Set(shown.flatMap((attributes) => Object.keys(attributes)));
  return {
    refs: group.map((m) => m.reference),
    ...(isResourceGroup(stored) ? { refs_map: Object.fromEntries(group.map((m) => [m.name, m.reference])) } : {}),
    ...plain,
    // Each member attribute as a list, one value per member, as get_attr [group, NAME] gives it.
    ...Object.fromEntries([...names].map((n) => [n, shown.map((attributes) => attributes[n] ?? null)])),
  };
}

const LISTED_MEMBERS = 20;

function readGroup(stored: Stored, owner: string, name: string, path: readonly (string | number)[]): unknown {
  const members = stored[MEMBERS] as GroupMember[];
  const member = (wanted: string) => {
    const found = members.find((m) => m.name === wanted);
    if (found) return found;
    const names = members.map((m) => m.name);
    const listed = names.length === 0 ? "it has none" : `its members: ${names.slice(0, LISTED_MEMBERS).join(", ")}${names.length > LISTED_MEMBERS ? ", …" : ""}`;
    throw new AttributeUnavailable(`group "${owner}" has no member "${wanted}" (${listed})`);
  };
  const ofMember = (m: GroupMember, attribute: string, rest: readonly (string | number)[]) => readAttribute(m.attributes, m.name, attribute, rest);

  const key = memberKey(name);
  if (key) {
    const m = member(key.member);
    if (key.attribute !== undefined) return ofMember(m, key.attribute, path);
    return path.length === 0 ? m.reference : ofMember(m, String(path[0]), path.slice(1));
  }
  switch (name) {
    case "refs":
      return down(members.map((m) => m.reference), path);
    case "refs_map":
      if (!isResourceGroup(stored)) break;
      return down(Object.fromEntries(members.map((m) => [m.name, m.reference])), path);
    case "removed_rsrc_list":
      if (!isResourceGroup(stored)) break;
      return down(stored.removed_rsrc_list, path);
    case "attributes":
      if (path.length === 0) throw new AttributeUnavailable(`"attributes" of group "${owner}" needs a member attribute's name after it: [${owner}, attributes, NAME]`);
      return Object.fromEntries(members.map((m) => [m.name, ofMember(m, String(path[0]), path.slice(1))]));
  }
  // A member attribute: one value per member, the path applying to each.
  return members.map((m) => ofMember(m, name, path));
}
