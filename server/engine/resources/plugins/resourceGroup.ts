import { resourceGroup } from "../resourceGroup";
import { groupAttributes } from "../storedAttributes";
import type { ResourceContext, ResourcePlugin } from "../plugin";
import { canonicalJson } from "../../template/values";
import { checkNested, deleteNested, membersOf } from "./nestedOutcome";
import { byIndex } from "./groupBatches";
import { convergeGroup, resumeGroup, type GroupData, type GroupShape } from "./batchedGroup";

function replaceIndex(value: unknown, indexVar: string, index: string): unknown {
  if (typeof value === "string") return value.split(indexVar).join(index);
  if (Array.isArray(value)) return value.map((v) => replaceIndex(v, indexVar, index));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIndex(v, indexVar, index)]));
  }
  return value;
}

/**
 * Member names after a resize: members named by removal policies go first, then the
 * highest-numbered ones; new members take the lowest unused numbers never removed before.
 */
export function memberNames(count: number, data: GroupData, removalPolicies: { resource_list?: string[] }[]) {
  const removed = new Set(data.removed ?? []);
  let members = [...(data.members ?? [])];
  for (const policy of removalPolicies) {
    for (const name of policy.resource_list ?? []) {
      if (members.includes(String(name))) {
        members = members.filter((m) => m !== String(name));
        removed.add(String(name));
      }
    }
  }
  while (members.length > count) members.pop();
  // A set, not members.includes: naming n members must cost n steps, not n² (100,000 took 30 s).
  const taken = new Set(members);
  for (let i = 0; members.length < count; i++) {
    const name = String(i);
    if (!taken.has(name) && !removed.has(name)) members.push(name);
  }
  members.sort(byIndex);
  return { members, removed: [...removed] };
}

/** What a member is made from: the group's resource_def and the placeholder its index replaces. */
interface MemberSource {
  def: { type: string; properties?: unknown; metadata?: unknown };
  indexVar: string;
}

const removalPoliciesOf = (ctx: ResourceContext) => (ctx.properties.removal_policies as { resource_list?: string[] }[] | undefined) ?? [];

/** The first `capacity` member names, skipping those removed for good. */
function namesAt(capacity: number, removed: readonly string[]): string[] {
  const skip = new Set(removed);
  const names: string[] = [];
  for (let i = 0; names.length < capacity; i++) if (!skip.has(String(i))) names.push(String(i));
  return names;
}

/** ResourceGroup's members: numbered, each made from resource_def with its number in place of index_var. */
const numberedMembers: GroupShape<MemberSource> = {
  count: (ctx) => Number(ctx.properties.count ?? 1),
  sourceOf: (p) => ({ def: (p.resource_def ?? {}) as MemberSource["def"], indexVar: String(p.index_var ?? "%index%") }),
  // Heat rolls only for a new resource_def: a new index_var alone is applied at once.
  sameMembers: (a, b) => canonicalJson(a.def) === canonicalJson(b.def),
  definition: ({ def, indexVar }, name) => ({
    // Resolved in the nested stack, by the member's name, in the environment it inherits (as in Heat).
    type: def.type,
    ...(def.properties ? { properties: replaceIndex(def.properties, indexVar, name) } : {}),
    ...(def.metadata ? { metadata: replaceIndex(def.metadata, indexVar, name) } : {}),
  }),
  members: (ctx, data) => memberNames(Number(ctx.properties.count ?? 1), data, removalPoliciesOf(ctx)),
  namesAt: (_ctx, capacity, removed) => namesAt(capacity, removed),
  order: () => byIndex,
  attributes: (_ctx, s, data) => groupAttributes(membersOf(s, data.members ?? Object.keys(s.resources)), data.removed ?? []),
};

/** OS::Heat::ResourceGroup: identical members, numbered, in a nested stack of their own. */
export const resourceGroupPlugin: ResourcePlugin = {
  ...resourceGroup,
  create: convergeGroup(numberedMembers),
  update: convergeGroup(numberedMembers),
  delete: deleteNested,
  check: checkNested,
  nestedStack: true,
  resume: resumeGroup(numberedMembers),
  needsReplacement: () => false,
};
