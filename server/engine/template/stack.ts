import { error, type Diagnostic } from "../diagnostics";
import type { ResourceReferences } from "../graph/references";
import { isUnresolved } from "../unresolved";
import { emptyEnvironment, parseEnvironment, resolveType, type Environment, type EnvironmentSource } from "./environment";
import type { Facade } from "./evaluate";
import { resolveParameters, type ParameterGroup, type ParameterSchema, type StackIdentity } from "./parameters";
import { joinPath, locate } from "./positions";
import { conditionOf, makeScope, resolveDefinition, resolveOutput, type ResolutionContext, type ResolvedOutput, type ResolvedResource } from "./resolve";
import { defaultLimits, type SourceLimits } from "./source";
import { parseTemplate, type TemplateModel } from "./template";

export interface LoadStackInput {
  /** Template source (YAML or JSON), or a template parsed earlier with parseTemplate. */
  template: string | TemplateModel;
  /** The submitted files: get_file contents and provider templates, by name. */
  files?: Record<string, string>;
  /** Environment files in order (later ones win), or an environment merged earlier with parseEnvironment. */
  environments?: (EnvironmentSource | string)[] | Environment;
  /** Parameter values given with the request; they win over the environments. */
  parameters?: Record<string, unknown>;
  stack?: StackIdentity;
  /** For a nested stack: what its parent resource says (resource_facade). */
  facade?: Facade;
  availabilityZones?: string[];
  limits?: Partial<SourceLimits>;
  /** How deep this stack is nested (0 for a top-level stack); over limits.maxNestingDepth is an error. */
  depth?: number;
}

export interface LoadedStack {
  /** Every error and warning, with positions (Diagnostic.file set for environment files). */
  diagnostics: Diagnostic[];
  /** Undefined when the template could not be parsed at all. */
  template?: TemplateModel;
  parameters: { schema: ParameterSchema[]; groups: ParameterGroup[]; values: Record<string, unknown> };
  conditions: Record<string, boolean>;
  /** Resources whose condition holds, by name, in template order. */
  resources: Record<string, ResolvedResource>;
  /** Resources left out because their condition is false. */
  disabled: string[];
  references: ResourceReferences[];
  outputs: Record<string, ResolvedOutput>;
  /** What resolveResource / resolveOutputs need at run time. */
  context: ResolutionContext;
  /** The environment the stack was loaded with (all files merged). */
  environment: Environment;
}

/** Validate time: parses and resolves a whole stack; get_resource / get_attr become Unresolved and are recorded as references. */
export function loadStack(input: LoadStackInput): LoadedStack {
  const limits = { ...defaultLimits, ...input.limits };
  const files = input.files ?? {};
  const diagnostics: Diagnostic[] = [];
  const parsed = typeof input.template === "string" ? parseTemplate(input.template, { limits }) : { template: input.template, diagnostics: [] };
  diagnostics.push(...parsed.diagnostics);
  if ((input.depth ?? 0) > limits.maxNestingDepth) {
    diagnostics.push(error("", `Recursion depth exceeds ${limits.maxNestingDepth}: stacks may be nested at most ${limits.maxNestingDepth} deep.`));
  }

  let environment: Environment = emptyEnvironment();
  if (Array.isArray(input.environments)) {
    const e = parseEnvironment(input.environments, limits);
    environment = e.environment;
    diagnostics.push(...e.diagnostics);
  } else if (input.environments) environment = input.environments;

  const template = parsed.template;
  const emptyContext: ResolutionContext = {
    version: template?.version.date ?? "2021-04-16", parameters: {}, conditions: {}, enabled: {}, files,
    availabilityZones: input.availabilityZones ?? ["nova"], definitions: {}, outputs: [],
  };
  if (!template) {
    return { diagnostics, parameters: { schema: [], groups: [], values: {} }, conditions: {}, resources: {}, disabled: [], references: [], outputs: {}, context: emptyContext, environment };
  }

  const local: Diagnostic[] = [];
  const params = resolveParameters(template.parameters, {
    given: input.parameters ?? {},
    environment: environment.parameters,
    defaults: environment.parameterDefaults,
  }, input.stack ?? { name: "stack" });
  // Environment-sourced problems already name their file; only template paths get template positions.
  for (const d of params.diagnostics) (d.file ? diagnostics : local).push(d);

  const definitions: ResolutionContext["definitions"] = {};
  for (const def of template.resources) {
    const t = resolveType(environment, def.name, def.type, files);
    if (t.error) local.push(error(joinPath(joinPath("resources", def.name), "type"), t.error));
    definitions[def.name] = { ...def, resolvedType: t.type, ...(t.providerTemplate ? { providerTemplate: t.providerTemplate } : {}) };
  }

  const contextBase = {
    version: template.version.date,
    parameters: Object.fromEntries(params.values),
    enabled: {} as Record<string, boolean>,
    files,
    availabilityZones: input.availabilityZones ?? ["nova"],
    ...(input.facade ? { facade: input.facade } : {}),
  };
  const { scope, resolveAllConditions } = makeScope(contextBase, template.conditions, local);
  const conditions = resolveAllConditions();
  for (const def of template.resources) {
    contextBase.enabled[def.name] = conditionOf(def.condition, scope, joinPath(joinPath("resources", def.name), "condition"), local);
  }
  (scope.resources as Map<string, boolean>).clear();
  for (const [k, v] of Object.entries(contextBase.enabled)) (scope.resources as Map<string, boolean>).set(k, v);

  const resources: Record<string, ResolvedResource> = {};
  const references: ResourceReferences[] = [];
  const disabled: string[] = [];
  for (const def of template.resources) {
    if (!contextBase.enabled[def.name]) {
      disabled.push(def.name);
      continue;
    }
    const r = resolveDefinition(definitions[def.name], scope, true, local);
    resources[def.name] = r.resource;
    references.push(r.references);
  }
  const outputs = Object.fromEntries(template.outputs.map((o) => [o.name, resolveOutput(o, scope, local)]));

  diagnostics.push(...locate(local, template.positions, template.file));
  const values = Object.fromEntries([...params.values].filter(([k, v]) => !k.startsWith("OS::") || !isUnresolved(v)));
  return {
    diagnostics,
    template,
    parameters: { schema: template.parameters, groups: template.parameterGroups, values },
    conditions,
    resources,
    disabled,
    references,
    outputs,
    context: { ...contextBase, parameters: values, conditions, definitions, outputs: template.outputs },
    environment,
  };
}
