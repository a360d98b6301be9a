/** Template validation and the resource type catalogue: no stack, no database. */
import { createBuiltinRegistry } from "../engine/resources/registry";
import { environmentSources } from "../engine/convergence/fromTemplate";
import { validateStack } from "../engine/validation/validateStack";
import type { Diagnostic } from "../engine/diagnostics";
import { DEFAULT_LIMITS, type EngineLimits } from "../engine/limits";
import { hiddenValues, maskHidden, secretSet } from "../engine/template/hiddenValues";

export const resourceTypes = createBuiltinRegistry();

export interface ValidateTemplateInput {
  template: string;
  files?: Record<string, string>;
  environment?: string[];
  parameters?: Record<string, unknown>;
}

/** `limits`: the server's; the CLI validating offline checks against Heat's defaults. */
export function validateTemplate(input: ValidateTemplateInput, limits: EngineLimits = DEFAULT_LIMITS) {
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
  // A message quoting a hidden value (a property of the wrong type, say) shows the mask instead.
  const hidden = secretSet(hiddenValues(v.loaded.parameters.schema, v.loaded.parameters.values));
  return {
    valid: v.valid,
    errors: maskHidden(v.errors.map(plain), hidden),
    warnings: maskHidden(v.warnings.map(plain), hidden),
    // The schema and groups only: values sent are not echoed back (they may be large, or hidden).
    parameters: { schema: v.parameters.schema, groups: v.parameters.groups },
    graph: v.graph,
  };
}

const plain = (d: Diagnostic) => ({
  path: d.path,
  line: d.line ?? null,
  column: d.column ?? null,
  file: d.file ?? null,
  message: d.message,
});

export type TemplateProblem = ReturnType<typeof plain>;

export { formatProblem } from "../engine/diagnostics";
