import { stackResource } from "../stack";
import { ResourceFailure, type NestedStackRequest, type ResourceContext, type ResourcePlugin } from "../plugin";
import { MAX_STACK_TIMEOUT_MINS } from "../../limits";
import { checkNested, deleteNested, inherited, nestedOutcome, outputValues, convergeNested } from "./nestedOutcome";

async function converge(ctx: ResourceContext) {
  return convergeNested(ctx, {
    template: String(ctx.properties.template),
    files: ctx.files,
    parameters: (ctx.properties.parameters as Record<string, unknown>) ?? {},
    ...inherited(ctx, { whole: true }),
    ...timeoutOf(ctx),
  });
}

/**
 * The `timeout` property as the nested stack's timeout_mins; without it, the engine's default, not
 * the parent's (Heat's OS::Heat::Stack creates its stack through Heat's API, which applies its
 * own). Its bounds are checked here, not in the schema, which shows what Heat's does (Heat's has
 * none: the Heat it calls judges the value).
 */
function timeoutOf(ctx: ResourceContext): Pick<NestedStackRequest, "timeoutMins"> {
  const timeout = ctx.properties.timeout;
  if (typeof timeout !== "number") return { timeoutMins: null };
  if (timeout < 1 || timeout > MAX_STACK_TIMEOUT_MINS) {
    throw new ResourceFailure(`Property timeout: ${timeout} is out of range: a stack's operations may be given from 1 to ${MAX_STACK_TIMEOUT_MINS} minutes`);
  }
  return { timeoutMins: timeout };
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
