/** Template validation and the resource type catalogue: no stack, no database. */
import { createBuiltinRegistry } from "../engine/resources/registry";
import { environmentSources } from "../engine/convergence/fromTemplate";
export { environmentIndex } from "../engine/convergence/fromTemplate";
import { validateStack } from "../engine/validation/validateStack";
import { nestedParameters, nestedTemplateProblems, type NestedParameters } from "../engine/validation/nestedParameters";
import { loadStack, type LoadedStack } from "../engine/template";
import type { Diagnostic } from "../engine/diagnostics";
import { DEFAULT_LIMITS, type EngineLimits } from "../engine/limits";
import { hiddenValues, maskHidden, secretSet } from "../engine/template/hiddenValues";
import { checkCloudLookups, type CloudLookup } from "../engine/validation/cloudLookups";
import type { CloudPort } from "../engine/ports";

export const resourceTypes = createBuiltinRegistry();

export interface ValidateTemplateInput {
  template: string;
  files?: Record<string, string>;
  environment?: string[];
  parameters?: Record<string, unknown>;
}

/**
 * `limits`: the server's; the CLI validating offline checks against Heat's defaults. Offline,
 * nothing is asked of a cloud: `notLookedUp` lists the values only a cloud could check.
 */
export function validateTemplate(input: ValidateTemplateInput, limits: EngineLimits = DEFAULT_LIMITS) {
  const { lookups, hidden, ...result } = validateOffline(input, limits);
  return { ...result, notLookedUp: listed(lookups, hidden) };
}

/**
 * The server's validation: the template's own checks, then, when they pass, the project's
 * cloud asked about each flavor, image, network… it names (with no cloud configured, the values
 * are listed in `notLookedUp`).
 */
export async function validateTemplateInCloud(input: ValidateTemplateInput, limits: EngineLimits, cloud: CloudPort | undefined) {
  const { lookups, hidden, ...result } = validateOffline(input, limits);
  if (!cloud) return { ...result, notLookedUp: listed(lookups, hidden) };
  if (!result.valid || !lookups.length) return { ...result, notLookedUp: [] };
  const errors = maskHidden((await checkCloudLookups(lookups, cloud)).map(plain), hidden);
  return { ...result, valid: errors.length === 0, errors, notLookedUp: [] };
}

function validateOffline(input: ValidateTemplateInput, limits: EngineLimits) {
  const v = validateStack(
    {
      template: input.template,
      files: input.files ?? {},
      environments: environmentSources(input.environment ?? []),
      parameters: input.parameters ?? {},
      stack: { name: "validate" },
    },
    resourceTypes,
    limits,
  );
  // As a create would be refused: the nested templates too, once the template itself is valid.
  const errors = v.valid ? nestedTemplateProblems(v.loaded, input.files ?? {}, resourceTypes) : v.errors;
  // A message quoting a hidden value (a property of the wrong type, say) shows the mask instead.
  const hidden = secretSet(hiddenValues(v.loaded.parameters.schema, v.loaded.parameters.values));
  return {
    valid: errors.length === 0,
    errors: maskHidden(errors.map(plain), hidden),
    warnings: maskHidden(v.warnings.map(plain), hidden),
    // The schema and groups only: values sent are not echoed back (they may be large, or hidden).
    parameters: { schema: v.parameters.schema, groups: v.parameters.groups },
    graph: v.graph,
    lookups: v.cloudLookups,
    hidden,
  };
}

const listed = (lookups: readonly CloudLookup[], hidden: ReturnType<typeof secretSet>) =>
  maskHidden(lookups.map(({ path, value, constraint }) => ({ path, value, constraint })), hidden);

/** Problems as validation lists them (plain), as the diagnostics a request is refused with (TemplateInvalid). */
export const asDiagnostics = (problems: readonly ReturnType<typeof plain>[]): Diagnostic[] =>
  problems.map(({ path, line, column, file, message }) => ({ severity: "error", path, message, ...(file !== null ? { file } : {}), ...(line !== null ? { line, column: column ?? 0 } : {}) }));

const plain = (d: Diagnostic) => ({
  path: d.path,
  line: d.line ?? null,
  column: d.column ?? null,
  file: d.file ?? null,
  message: d.message,
});

export type TemplateProblem = ReturnType<typeof plain>;

export { formatProblem } from "../engine/diagnostics";

/**
 * A valid template's parameters as its stack would have them (the environment's
 * parameter_defaults and parameters applied) and, with `nested`, those of every nested stack it
 * would build (validation/nestedParameters.ts): what Heat's validate shows with show_nested.
 */
export function parametersOf(input: ValidateTemplateInput, nested: boolean): { loaded: LoadedStack; nested: Record<string, NestedParameters> } {
  const files = input.files ?? {};
  const loaded = loadStack({ template: input.template, files, environments: environmentSources(input.environment ?? []), parameters: input.parameters ?? {} });
  return { loaded, nested: nested ? nestedParameters(loaded, files, resourceTypes) : {} };
}
