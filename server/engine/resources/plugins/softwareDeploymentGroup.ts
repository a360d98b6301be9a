/**
 * OS::Heat::SoftwareDeploymentGroup and StructuredDeploymentGroup: one deployment per entry of
 * `servers`, named after its key, in a nested stack of their own (as Heat builds them). Their
 * attributes are maps of member name to a member attribute: deploy_stdouts, deploy_stderrs,
 * deploy_status_codes, and any member attribute by its own name (an output, deploy_stdout …).
 */
import { softwareDeploymentGroup, structuredDeploymentGroup } from "../softwareDeployment";
import type { NestedStackStatus, ResourceContext, ResourcePlugin } from "../plugin";
import type { ResourceTypeSchema } from "../schema";
import { STANDARD_OUTPUTS } from "../software/deploymentSignal";
import { checkNested, convergeNested, deleteNested, nestedOutcome } from "./nestedOutcome";

const PLURAL: Record<string, string> = { deploy_stdouts: "deploy_stdout", deploy_stderrs: "deploy_stderr", deploy_status_codes: "deploy_status_code" };

function converge(memberType: string) {
  return async (ctx: ResourceContext) => {
    const { servers, ...common } = ctx.properties as { servers?: Record<string, unknown> } & Record<string, unknown>;
    const names = Object.keys(servers ?? {});
    await ctx.nested.admit(names.length);
    const properties = Object.fromEntries(Object.entries(common).filter(([, v]) => v !== undefined && v !== null));
    const resources = Object.fromEntries(names.map((name) => [name, { type: memberType, properties: { ...properties, server: servers![name] } }]));
    const template = JSON.stringify({ heat_template_version: "2015-04-30", resources });
    return convergeNested(ctx, { template, files: {}, parameters: {} });
  };
}

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

function groupPlugin(schema: ResourceTypeSchema, memberType: string): ResourcePlugin {
  return {
    ...schema,
    create: converge(memberType),
    update: converge(memberType),
    delete: deleteNested,
    check: checkNested,
    nestedStack: true,
    resume: (ctx) => nestedOutcome(ctx, (s) => ({ attributes: groupDeploymentAttributes(s, Object.keys((ctx.properties.servers as Record<string, unknown>) ?? {})) })),
  };
}

export const softwareDeploymentGroupPlugin = groupPlugin(softwareDeploymentGroup, "OS::Heat::SoftwareDeployment");
export const structuredDeploymentGroupPlugin = groupPlugin(structuredDeploymentGroup, "OS::Heat::StructuredDeployment");
