import { resourceChain } from "../resourceChain";
import type { ResourceContext, ResourcePlugin } from "../plugin";
import { groupAttributes } from "../storedAttributes";
import { checkNested, convergeNested, deleteNested, inherited, membersOf, nestedOutcome } from "./nestedOutcome";

/** Members are named by their index in `resources`, so an update changing one entry changes that member only. */
const memberNames = (types: readonly unknown[]) => types.map((_, i) => String(i));

async function converge(ctx: ResourceContext) {
  const types = (ctx.properties.resources as string[]) ?? [];
  const properties = ctx.properties.resource_properties as Record<string, unknown> | undefined;
  const sequential = !ctx.properties.concurrent;
  // Asked before the template is built: a chain the tree cannot hold builds nothing.
  await ctx.nested.admit(types.length);
  const names = memberNames(types);
  const resources = Object.fromEntries(
    types.map((type, i) => [
      names[i],
      {
        // Resolved in the nested stack, by the member's name, in the environment it inherits (as in Heat).
        type,
        ...(properties ? { properties } : {}),
        ...(sequential && i > 0 ? { depends_on: [names[i - 1]] } : {}),
      },
    ]),
  );
  const template = JSON.stringify({ heat_template_version: "2015-04-30", resources });
  return convergeNested(ctx, { template, files: ctx.files, parameters: {}, ...inherited(ctx) });
}

/** OS::Heat::ResourceChain: one member per listed type, in a nested stack of their own. */
export const resourceChainPlugin: ResourcePlugin = {
  ...resourceChain,
  create: converge,
  update: converge,
  delete: deleteNested,
  check: checkNested,
  nestedStack: true,
  resume: (ctx) => nestedOutcome(ctx, (s) => ({ attributes: groupAttributes(membersOf(s, memberNames((ctx.properties.resources as string[]) ?? []))) })),
};
