import type { NestedStackStatus, ResourceContext, ResourcePlugin } from "../plugin";
import { heatString } from "../../template/values";
import { nestedOutputAttributes } from "../storedAttributes";
import { checkNested, convergeNested, deleteNested, inherited, nestedOutcome } from "./nestedOutcome";

/** get_resource on a provider resource gives its template's `OS::stack_id` output when it has one, else the nested stack's id. */
function referenceOf(s: NestedStackStatus): { reference?: string } {
  const output = s.outputs["OS::stack_id"];
  return output?.value === undefined || output.value === null ? {} : { reference: heatString(output.value) };
}

/**
 * A type that names a template (in `files`, or through the environment's resource_registry):
 * a nested stack whose parameters are the resource's properties and whose outputs are its
 * attributes.
 */
export function providerPlugin(type: string, template: string | undefined, files: Record<string, string>): ResourcePlugin {
  const converge = async (ctx: ResourceContext) => {
    if (template === undefined) throw new Error(`The template of ${type} is not in the files sent with the stack`);
    return convergeNested(ctx, { template, files, parameters: ctx.properties, ...inherited(ctx) });
  };
  return {
    type,
    description: `Nested stack from the template ${type}`,
    properties: {},
    attributes: {},
    supportStatus: { status: "SUPPORTED" },
    dynamicAttributes: true,
    uncheckedProperties: true,
    create: converge,
    update: converge,
    delete: deleteNested,
    check: checkNested,
    nestedStack: true,
    resume: (ctx) => nestedOutcome(ctx, (s) => ({ attributes: nestedOutputAttributes(s.outputs), ...referenceOf(s) })),
    needsReplacement: () => false,
  };
}
