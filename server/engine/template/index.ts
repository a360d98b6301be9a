/**
 * Kiln's HOT template language: parsing with positions, versions, parameters, conditions,
 * intrinsic functions and environments. Pure: no I/O, no framework.
 *
 *   parseTemplate(source, { limits?, file? })         → { template?: TemplateModel, diagnostics }
 *       Structure only (sections, keys, parameter schemas, versions); functions untouched.
 *   parseEnvironment(sources[], limits?)              → { environment, diagnostics }
 *       Environment files merged in order, each file's diagnostics carrying Diagnostic.file.
 *   loadStack({ template, files?, environments?, parameters?, stack?, facade?, limits?, depth? }) → LoadedStack
 *       Validate time: parameters coerced and checked, conditions resolved, disabled
 *       resources and outputs dropped, properties resolved with Unresolved for get_resource /
 *       get_attr (recorded as ResourceReferences), registry types and provider templates.
 *   resolveResource(context, name, deployed)          → { resource?, diagnostics }
 *   resolveOutputs(context, deployed)                 → { outputs, diagnostics }
 *       Run time: `context` is LoadedStack.context (plain JSON, storable); `deployed` supplies
 *       physical ids and attribute values of the resources referred to.
 *
 * Every problem is a Diagnostic with a dotted path and, where the source has it, line:column.
 *
 * Where Kiln deliberately differs from Heat 19 (checked with the oracle):
 * - every parameter constraint violation is reported, not only the first; defaults are checked too;
 * - duplicate YAML keys are an error (PyYAML keeps the last one silently);
 * - a function the declared version lacks stays plain data, as in Heat, but with a warning naming
 *   the version that introduced it;
 * - depends_on naming a resource whose condition is false is ignored, as in Heat, with a warning;
 * - repeat writes numbers in for_each lists as text (Heat fails on them);
 * - yaql is an error ("not supported yet"); Fn::GetAZs answers the configured zones (["nova"]).
 */
export { parseTemplate, type ParseOptions, type ResourceDefinition, type OutputDefinition, type TemplateModel } from "./template";
export { childEnvironments, membersEnvironment, parseEnvironment, resolveType, restrictedActions, valuesOf, type RestrictedAction, type Environment, type EnvironmentSource, type RegistryEntry, type TypeResolution } from "./environment";
export { loadStack, type LoadStackInput, type LoadedStack } from "./stack";
export { resolveResource, resolveOutputs, type ResolutionContext, type ResolvedResource, type ResolvedOutput } from "./resolve";
export { FunctionError, type DeployedValues, type Facade } from "./evaluate";
export type { ParameterSchema, ParameterGroup, ParameterType, Constraint, StackIdentity } from "./parameters";
export { defaultLimits, type SourceLimits } from "./source";
export { acceptedVersions } from "./versions";
/** Fills line/column into diagnostics that carry only a template path (e.g. property errors found later). */
export { locate, type PositionIndex } from "./positions";
