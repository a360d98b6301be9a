/**
 * OS::Heat::SoftwareDeploymentGroup and StructuredDeploymentGroup: one deployment per entry of
 * `servers`, named after its key, in a nested stack of their own (as Heat builds them). Their
 * attributes are maps of member name to a member attribute: deploy_stdouts, deploy_stderrs,
 * deploy_status_codes, and any member attribute by its own name (an output, deploy_stdout …).
 * Their update_policy is a ResourceGroup's (batchedGroup.ts), in the order of `servers`: a
 * rolling update takes the last servers first, and rolls for a change of any property.
 */
import { softwareDeploymentGroup, structuredDeploymentGroup } from "../softwareDeployment";
import type { NestedStackStatus, ResourceContext, ResourcePlugin } from "../plugin";
import type { ResourceTypeSchema } from "../schema";
import { STANDARD_OUTPUTS } from "../software/deploymentSignal";
import { canonicalJson } from "../../template/values";
import { checkNested, deleteNested } from "./nestedOutcome";
import { convergeGroup, resumeGroup, type GroupShape } from "./batchedGroup";

const PLURAL: Record<string, string> = { deploy_stdouts: "deploy_stdout", deploy_stderrs: "deploy_stderr", deploy_status_codes: "deploy_status_code" };

/** Every member attribute as a map of member name to its value, and the three plural maps. */
export function groupDeploymentAttributes(s: NestedStackStatus, names: readonly string[]): Record<string, unknown> {
  const members = names.filter((n) => s.resources[n]);
  const attributeNames = new Set<string>(STANDARD_OUTPUTS);
  for (const n of members) for (const a of Object.keys(s.resources[n]!.attributes)) attributeNames.add(a);
  const byMember = (attribute: string) => Object.fromEntries(members.map((n) => [n, s.resources[n]!.attributes[attribute] ?? null]));
  return {
    ...Object.fromEntries([...attributeNames].map((a) => [a, byMember(a)])),
    ...Object.fromEntries(Object.entries(PLURAL).map(([plural, single]) => [plural, byMember(single)])),
  };
}

/** What the members are made from: the group's properties given (servers among them). */
type Deployments = Record<string, unknown> & { servers?: Record<string, unknown> };

const serverNames = (ctx: ResourceContext) => Object.keys((ctx.properties.servers as Record<string, unknown> | undefined) ?? {});

/** One deployment per server, named after its key in `servers`, in that order. */
function deploymentsOf(memberType: string): GroupShape<Deployments> {
  return {
    count: (ctx) => serverNames(ctx).length,
    sourceOf: (p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== null)),
    // As Heat: any change of the group's properties is a change of its members.
    sameMembers: (a, b) => canonicalJson(a) === canonicalJson(b),
    definition: ({ servers, ...common }, name) => ({ type: memberType, properties: { ...common, server: servers?.[name] } }),
    // A server gone from the map drops its deployment, in the first batch of a roll (Heat's
    // would give it the new definition without a server, failing every try).
    members: (ctx, data) => {
      const names = serverNames(ctx);
      const kept = new Set(names);
      return { members: names, removed: (data.members ?? []).filter((m) => !kept.has(m)) };
    },
    namesAt: (ctx, capacity) => serverNames(ctx).slice(0, capacity),
    order: (ctx, data) => {
      // The servers' order; members whose server left the map after, as they were.
      const place = new Map<string, number>();
      for (const name of [...serverNames(ctx), ...(data.members ?? [])]) if (!place.has(name)) place.set(name, place.size);
      return (a, b) => (place.get(a) ?? Infinity) - (place.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
    },
    attributes: (ctx, s) => groupDeploymentAttributes(s, serverNames(ctx)),
  };
}

function groupPlugin(schema: ResourceTypeSchema, memberType: string): ResourcePlugin {
  const shape = deploymentsOf(memberType);
  return {
    ...schema,
    create: convergeGroup(shape),
    update: convergeGroup(shape),
    delete: deleteNested,
    check: checkNested,
    nestedStack: true,
    resume: resumeGroup(shape),
  };
}

export const softwareDeploymentGroupPlugin = groupPlugin(softwareDeploymentGroup, "OS::Heat::SoftwareDeployment");
export const structuredDeploymentGroupPlugin = groupPlugin(structuredDeploymentGroup, "OS::Heat::StructuredDeployment");
