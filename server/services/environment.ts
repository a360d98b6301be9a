/** A stack's environment documents, read as Heat reads them. */
import { parseEnvironment, valuesOf } from "../engine/template";
import { environmentSources } from "../engine/convergence/fromTemplate";
import type { StackRecord } from "../engine/ports";

/**
 * The environment documents a stack was given, merged as the engine merged them when it applied
 * them (parseEnvironment: later documents win, parameter_merge_strategies applied), in the
 * sections Heat shows a stack's environment in. `stack`: the stack they are of, when stored (a
 * nested stack's were built from its parent's, and may be larger than a file may be).
 */
export function mergedEnvironment(docs: string[], stack?: Pick<StackRecord, "parentResourceId">): Record<string, unknown> {
  const { environment: env } = parseEnvironment(environmentSources(docs, stack));
  return {
    parameters: valuesOf(env.parameters),
    parameter_defaults: valuesOf(env.parameterDefaults),
    resource_registry: { ...env.registry, resources: env.resourceRegistry },
    encrypted_param_names: env.encryptedParamNames,
    event_sinks: env.eventSinks,
  };
}
