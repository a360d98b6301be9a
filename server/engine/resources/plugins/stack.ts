import { stackResource } from "../stack";
import type { ResourceContext, ResourcePlugin } from "../plugin";
import { checkNested, deleteNested, inherited, nestedOutcome, outputValues, convergeNested } from "./nestedOutcome";

async function converge(ctx: ResourceContext) {
  return convergeNested(ctx, {
    template: String(ctx.properties.template),
    files: ctx.files,
    parameters: (ctx.properties.parameters as Record<string, unknown>) ?? {},
    ...inherited(ctx, { whole: true }),
  });
}

/** OS::Heat::Stack: a stack from a template given inline, converged as a child of this one. */
export const stackPlugin: ResourcePlugin = {
  ...stackResource,
  create: converge,
  update: converge,
  delete: deleteNested,
  check: checkNested,
  nestedStack: true,
  resume: (ctx) => nestedOutcome(ctx, (s) => ({ attributes: { stack_name: s.id, outputs: outputValues(s) } })),
};
