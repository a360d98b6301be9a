import { error, warning, type Diagnostic } from "../diagnostics";
import { overValueLimit } from "../limits";
import type { ResourceReferences } from "../graph/references";
import { isUnresolved } from "../unresolved";
import { conditionResolver } from "./conditions";
import { FunctionError, resolveValue, type DeployedValues, type Evaluation, type Facade, type ReferenceFound, type Scope } from "./evaluate";
import "./functions";
import { joinPath } from "./positions";
import { DELETION_POLICIES, type ConditionRef, type OutputDefinition, type ResourceDefinition } from "./template";
import { heatString } from "./values";
import { findVersion } from "./versions";

/**
 * Everything needed to resolve one resource or the outputs again at run time, without
 * re-parsing the template or the environment. Plain JSON: it can be stored with the stack.
 */
export interface ResolutionContext {
  version: string;
  parameters: Record<string, unknown>;
  conditions: Record<string, boolean>;
  /** Resource name → whether its condition holds. */
  enabled: Record<string, boolean>;
  files: Record<string, string>;
  facade?: Facade;
  availabilityZones: string[];
  definitions: Record<string, ResourceDefinition & { resolvedType: string; providerTemplate?: string }>;
  outputs: OutputDefinition[];
}

export interface ResolvedResource {
  name: string;
  /** The type after the environment's resource_registry. */
  type: string;
  /** The type as written in the template. */
  templateType: string;
  /** Set when the type is a provider template (a nested stack): the template's key in `files`. */
  providerTemplate?: string;
  properties: Record<string, unknown>;
  metadata: unknown;
  deletionPolicy: string | unknown;
  updatePolicy: unknown;
  /** The condition name (if any) and its result; resources whose condition is false are left out of a stack. */
  condition?: { name: ConditionRef; enabled: boolean };
  externalId?: unknown;
  description?: string;
  dependsOn: string[];
}

export interface ResolvedOutput {
  name: string;
  description?: string;
  /** False when the output's condition is false: its value is then null. */
  enabled: boolean;
  value: unknown;
  /** What the value refers to (get_resource / get_attr), for ordering outputs after their resources. */
  refs: ReferenceFound[];
  /** Set when resolving the value failed (the message of the first error). */
  error?: string;
}

/** The scope every resolution in one stack shares; conditions resolve lazily and once. */
type ScopeMaps = Pick<Scope, "parameters" | "resources">;

export function makeScope(
  context: Omit<ResolutionContext, "conditions" | "definitions" | "outputs">,
  conditions: Record<string, unknown> | Record<string, boolean>,
  diagnostics: Diagnostic[],
  deployed?: DeployedValues,
  maps: ScopeMaps = { parameters: new Map(Object.entries(context.parameters)), resources: new Map(Object.entries(context.enabled)) },
): { scope: Scope; resolveAllConditions(): Record<string, boolean> } {
  const version = findVersion(context.version);
  if (!version) throw new Error(`unknown template version ${context.version}`);
  const resolver = conditionResolver(conditions, diagnostics);
  const scope: Scope = {
    version,
    parameters: maps.parameters,
    condition: resolver.resolve,
    resources: maps.resources,
    files: context.files,
    availabilityZones: context.availabilityZones,
    ...(context.facade ? { facade: context.facade } : {}),
    ...(deployed ? { deployed } : {}),
  };
  resolver.bind(scope);
  return { scope, resolveAllConditions: resolver.resolveAll };
}

/** A value kept or shown whole (a resource's properties, an output) over the value limit, as a problem at `path`. */
function storedValueProblem(value: unknown, path: string, what: string): Diagnostic | undefined {
  const over = overValueLimit(value, what);
  return over === undefined ? undefined : error(path, over);
}

/**
 * A run-time context never changes once loaded, and every resource of a stack resolves in it:
 * its maps are built once, not once per resource (which made a stack's resolution quadratic).
 */
const runTimeMaps = new WeakMap<ResolutionContext, ScopeMaps>();

function runTimeScope(context: ResolutionContext, diagnostics: Diagnostic[], deployed: DeployedValues): Scope {
  let maps = runTimeMaps.get(context);
  if (!maps) {
    maps = { parameters: new Map(Object.entries(context.parameters)), resources: new Map(Object.entries(context.enabled)) };
    runTimeMaps.set(context, maps);
  }
  return makeScope(context, context.conditions, diagnostics, deployed, maps).scope;
}

/** Resolves one resource's definition in a scope, recording what it refers to. */
export function resolveDefinition(def: ResolutionContext["definitions"][string], scope: Scope, conditionResult: boolean | undefined, diagnostics: Diagnostic[]): { resource: ResolvedResource; references: ResourceReferences } {
  const base = joinPath("resources", def.name);
  const ev: Evaluation = { scope, owner: def.name, refs: [], diagnostics };
  const at = (key: string) => joinPath(base, key);
  const properties = resolveValue(def.properties, at("properties"), ev) as Record<string, unknown>;
  const propertiesTooLarge = storedValueProblem(properties, at("properties"), "the value of the properties");
  if (propertiesTooLarge) diagnostics.push(propertiesTooLarge);
  const metadata = resolveValue(def.metadata, at("metadata"), ev);
  const updatePolicy = resolveValue(def.updatePolicy, at("update_policy"), ev);
  let deletionPolicy = resolveValue(def.deletionPolicy, at("deletion_policy"), ev);
  if (typeof deletionPolicy === "string") {
    const match = DELETION_POLICIES.find((p) => p.toLowerCase() === (deletionPolicy as string).toLowerCase());
    if (!match) diagnostics.push(error(at("deletion_policy"), `Invalid deletion policy "${deletionPolicy}"; allowed: ${DELETION_POLICIES.join(", ")}`));
    else deletionPolicy = match;
  } else if (!isUnresolved(deletionPolicy)) diagnostics.push(error(at("deletion_policy"), `Invalid deletion policy "${heatString(deletionPolicy)}"; allowed: ${DELETION_POLICIES.join(", ")}`));

  const dependsOn: ResourceReferences["dependsOn"] = [];
  def.dependsOn.forEach((target, i) => {
    const path = joinPath(at("depends_on"), i);
    const enabled = scope.resources.get(target);
    // Heat ignores such an entry; Kiln says so.
    if (enabled === false) diagnostics.push(warning(path, `${def.name} depends on ${target}, whose condition is false; the dependency is ignored`));
    else if (enabled === true) dependsOn.push({ target, path });
  });

  const resource: ResolvedResource = {
    name: def.name,
    type: def.resolvedType,
    templateType: def.type,
    properties: properties ?? {},
    metadata,
    deletionPolicy,
    updatePolicy,
    dependsOn: def.dependsOn,
  };
  if (def.providerTemplate) resource.providerTemplate = def.providerTemplate;
  if (def.condition !== undefined) resource.condition = { name: def.condition, enabled: conditionResult ?? true };
  if (def.externalId !== undefined) resource.externalId = resolveValue(def.externalId, at("external_id"), ev);
  if (def.description !== undefined) resource.description = def.description;
  return { resource, references: { name: def.name, dependsOn, refs: ev.refs } };
}

/** Whether a resource or output is enabled; an inline expression is resolved with the condition functions. */
export function conditionOf(cond: ConditionRef | undefined, scope: Scope, path: string, diagnostics: Diagnostic[]): boolean {
  if (cond === undefined) return true;
  let value: unknown = cond;
  if (typeof cond === "object") {
    value = resolveValue(cond, path, { scope, owner: path, refs: [], diagnostics, inConditions: true });
    if (isUnresolved(value)) return false;
  }
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") {
    diagnostics.push(error(path, `Invalid condition: ${heatString(value)} is not true or false`));
    return false;
  }
  try {
    return scope.condition(value);
  } catch (e) {
    if (e instanceof FunctionError) diagnostics.push(error(path, e.message));
    return false;
  }
}

export function resolveOutput(def: OutputDefinition, scope: Scope, diagnostics: Diagnostic[]): ResolvedOutput {
  const enabled = conditionOf(def.condition, scope, joinPath(joinPath("outputs", def.name), "condition"), diagnostics);
  const out: ResolvedOutput = { name: def.name, enabled, value: null, refs: [] };
  if (def.description !== undefined) out.description = def.description;
  if (!enabled) return out;
  const ev: Evaluation = { scope, owner: `output ${def.name}`, refs: out.refs, diagnostics: [] };
  out.value = resolveValue(def.value, joinPath(joinPath("outputs", def.name), "value"), ev);
  const tooLarge = storedValueProblem(out.value, joinPath(joinPath("outputs", def.name), "value"), "the output's value");
  if (tooLarge) {
    ev.diagnostics.push(tooLarge);
    out.value = null;
  }
  const firstError = ev.diagnostics.find((d) => d.severity === "error");
  if (firstError) out.error = firstError.message;
  diagnostics.push(...ev.diagnostics);
  return out;
}

/**
 * Run time: resolves one resource's properties, metadata and policies from the values its
 * dependencies produced (`deployed`), reading nothing else of the stack.
 */
export function resolveResource(context: ResolutionContext, name: string, deployed: DeployedValues): { resource?: ResolvedResource; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const def = context.definitions[name];
  if (!def) return { diagnostics: [error(joinPath("resources", name), `There is no resource ${name} in this stack`)] };
  if (context.enabled[name] === false) return { diagnostics: [error(joinPath("resources", name), `Resource ${name} is disabled by its condition`)] };
  const scope = runTimeScope(context, diagnostics, deployed);
  const { resource } = resolveDefinition(def, scope, context.enabled[name], diagnostics);
  return { resource, diagnostics };
}

/** Run time: resolves every output; an output that fails carries its error instead of failing the others. */
export function resolveOutputs(context: ResolutionContext, deployed: DeployedValues): { outputs: Record<string, ResolvedOutput>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const scope = runTimeScope(context, diagnostics, deployed);
  const outputs = Object.fromEntries(context.outputs.map((o) => [o.name, resolveOutput(o, scope, diagnostics)]));
  return { outputs, diagnostics };
}
