/**
 * Everything `kiln template validate` and `templates.validate` answer: the template layer's
 * findings, each resource's type and properties against the type registry, and the
 * dependency graph (cycles, unknown resources and attributes) — gathered together, with
 * positions.
 */
import { error, type Diagnostic } from "../diagnostics";

import { implicitDependencies } from "../graph/implicitDependencies";
import { buildDependencyGraph, unknownAttribute, type DependencyEdge, type DependencyGraphResource } from "../graph/dependencyGraph";
import { attributeNamesOf, attributesOf, type ResourceTypeSchema } from "../resources/schema";
import { propertiesFor, updatePolicyFor } from "../resources/validateProperties";
import { isUnresolved } from "../unresolved";
import { unknownResourceType } from "../resources/registry";
import { loadStack, locate, membersEnvironment, parseTemplate, resolveType, type LoadedStack, type LoadStackInput, type TypeResolution } from "../template";
import type { ParameterGroup, ParameterSchema } from "../template";
import type { EngineLimits } from "../limits";
import { treeSizeProblems, type GroupSize, type TreeSize } from "./treeSize";
import { collectCloudLookups, type CloudLookup } from "./cloudLookups";

const GROUP_TYPE = "OS::Heat::ResourceGroup";
const CHAIN_TYPE = "OS::Heat::ResourceChain";

export interface TypeLookup {
  get(name: string): ResourceTypeSchema | undefined;
  names(): string[];
}

export interface StackValidation {
  valid: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  parameters: { schema: ParameterSchema[]; groups: ParameterGroup[] };
  graph: { nodes: { id: string; type: string }[]; edges: DependencyEdge[] };
  /** Resources in an order where each comes after everything it needs (undefined with a cycle). */
  order: string[] | undefined;
  /** What the template is known to add to its tree of stacks. */
  size: TreeSize;
  /** Values only the cloud can check (a flavor, a network…), known before anything is made. */
  cloudLookups: CloudLookup[];
  loaded: LoadedStack;
}

/**
 * `limits`: when given, a template that would take its tree over the resource limit is an
 * error. The engine leaves them out for nested stacks, which it measures against the whole tree.
 */
export function validateStack(input: LoadStackInput, types: TypeLookup, limits?: Pick<EngineLimits, "maxResourcesPerStack">): StackValidation {
  const loaded = loadStack(input);
  const found: Diagnostic[] = [];
  const groups: GroupSize[] = [];
  const attributeSets = new Map<string, ReadonlySet<string> | "any" | undefined>();
  const memberSets = new Map<string, NonNullable<DependencyGraphResource["members"]>>();
  const files = input.files ?? {};
  const cloudLookups: CloudLookup[] = [];
  const cloudChecks = collectCloudLookups(cloudLookups);

  for (const r of Object.values(loaded.resources)) {
    const path = `resources.${r.name}`;
    if (r.providerTemplate !== undefined) {
      attributeSets.set(r.name, providerAttributes(files[r.providerTemplate]));
      continue;
    }
    const type = types.get(r.type);
    if (!type) {
      found.push(unknownResourceType(r.type, `${path}.type`, types.names()));
      continue;
    }
    attributeSets.set(r.name, attributeNamesOf(type));
    const checked = propertiesFor(type, r.properties, { path: `${path}.properties`, typeName: r.type, customConstraints: cloudChecks });
    found.push(...checked.diagnostics);
    found.push(...updatePolicyFor(type, r.updatePolicy, { path: `${path}.update_policy`, typeName: r.type }).diagnostics);
    if (r.type === GROUP_TYPE && typeof checked.values.count === "number") groups.push({ name: r.name, count: checked.values.count, property: "count" });
    const memberType = (r.properties.resource_def as { type?: unknown } | undefined)?.type;
    if (r.type === GROUP_TYPE && typeof memberType === "string") {
      // Resolved as in the group's nested stack: by a member's name, in what that stack inherits.
      const member = resolveType(membersEnvironment(loaded.environment, r.name), "0", memberType, files);
      found.push(...checkMemberType(member, `${path}.properties.resource_def.type`, types, files));
      // Members of a known type: the group's own attribute names, then theirs, are all get_attr may name.
      attributeSets.set(r.name, new Set(Object.keys(attributesOf(type))));
      memberSets.set(r.name, { type: memberType, attributes: memberAttributes(member, types, files) });
    }
    if (r.type === CHAIN_TYPE && Array.isArray(checked.values.resources)) {
      groups.push({ name: r.name, count: checked.values.resources.length, property: "resources" });
      const members = membersEnvironment(loaded.environment, r.name);
      const resolve = (type: string, member: string) => resolveType(members, member, type, files);
      found.push(...checkChainMembers(checked.values.resources, r.properties.resource_properties, `${path}.properties`, resolve, types, files));
      // As for a group: the chain's own attribute names, then its members', are all get_attr may name.
      attributeSets.set(r.name, new Set(Object.keys(attributesOf(type))));
      memberSets.set(r.name, { type: checked.values.resources.join(", "), attributes: chainMemberAttributes(checked.values.resources, resolve, types, files) });
    }
  }

  // A parameter's own cloud constraint (`custom_constraint: nova.flavor`) is checked as Heat does, on its value.
  for (const p of loaded.parameters.schema) {
    for (const c of p.constraints) if (c.kind === "custom_constraint") cloudChecks[c.name]?.(loaded.parameters.values[p.name], `parameters.${p.name}`);
  }

  const size: TreeSize = { resources: Object.keys(loaded.resources).length, groups };
  if (limits) found.push(...treeSizeProblems(size, limits.maxResourcesPerStack));

  const implicit = implicitDependencies(
    loaded.references.flatMap((references) => {
      const r = loaded.resources[references.name];
      return r ? [{ name: r.name, type: r.type, properties: r.properties, references }] : [];
    }),
  );
  const targets = new Map<string, DependencyGraphResource>(
    loaded.references.map((references) => {
      const members = memberSets.get(references.name);
      const waits = implicit.filter((e) => e.to === references.name).map((e) => ({ target: e.from, path: e.path }));
      return [
        references.name,
        { references, type: loaded.resources[references.name]?.type ?? "", attributes: attributeSets.get(references.name), ...(members ? { members } : {}), ...(waits.length ? { implicit: waits } : {}) },
      ];
    }),
  );
  const graph = buildDependencyGraph([...targets.values()]);
  found.push(...graph.diagnostics);
  // Outputs are no graph nodes, but name attributes all the same (unknown resources are the template layer's).
  for (const output of Object.values(loaded.outputs)) {
    for (const ref of output.refs) {
      const target = targets.get(ref.target);
      const unknown = target && unknownAttribute(ref.target, target, ref);
      if (unknown) found.push(unknown);
    }
  }

  const located = loaded.template ? locate(found, loaded.template.positions) : found;
  const lookupsAt = loaded.template ? locate(cloudLookups.map((l) => error(l.path, "")), loaded.template.positions) : [];
  const all = [...loaded.diagnostics, ...located];
  const errors = all.filter((d) => d.severity === "error");
  return {
    valid: errors.length === 0,
    errors,
    warnings: all.filter((d) => d.severity === "warning"),
    parameters: loaded.parameters,
    graph: { nodes: graph.nodes, edges: graph.edges },
    order: graph.order,
    size,
    cloudLookups: cloudLookups.map((l, i) => ({ ...l, ...(lookupsAt[i]?.line ? { line: lookupsAt[i].line, column: lookupsAt[i].column } : {}) })),
    loaded,
  };
}

/** A group's members are created from their type alone: it must be registered or a submitted template. */
/** A group's member type, after the environment's registry (as the group's nested stack will see it). */
function checkMemberType({ type, providerTemplate, error: mapping }: TypeResolution, path: string, types: TypeLookup, files: Record<string, string>): Diagnostic[] {
  if (mapping) return [error(path, mapping)];
  if (providerTemplate !== undefined || types.get(type) || files[type] !== undefined) return [];
  if (/\.(ya?ml|template|json)$/.test(type)) {
    return [error(path, `the template "${type}" is not among the submitted files`)];
  }
  return [unknownResourceType(type, path, types.names())];
}

/**
 * Each type of a chain must be deployable, and every registered one must accept the properties
 * all members are given (checked once per type; provider templates check theirs when built).
 */
function checkChainMembers(
  list: unknown[],
  properties: unknown,
  path: string,
  resolve: (type: string, member: string) => TypeResolution,
  types: TypeLookup,
  files: Record<string, string>,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const registered = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const at = `${path}.resources[${i}]`;
    if (isUnresolved(entry)) continue;
    if (typeof entry !== "string") {
      found.push(error(at, `must be a resource type name (a string), not ${JSON.stringify(entry)}`));
      continue;
    }
    const member = resolve(entry, String(i));
    const problems = checkMemberType(member, at, types, files);
    found.push(...problems);
    if (!problems.length && member.providerTemplate === undefined) registered.add(member.type);
  }
  for (const name of registered) {
    const type = types.get(name);
    if (type) found.push(...propertiesFor(type, properties, { path: `${path}.resource_properties`, typeName: name }).diagnostics);
  }
  return found;
}

/** What get_attr may name of a group's members: their type's attributes, or a provider template's outputs; "any" when unknown. */
function memberAttributes({ type, providerTemplate, error: mapping }: TypeResolution, types: TypeLookup, files: Record<string, string>): ReadonlySet<string> | "any" {
  if (mapping) return "any";
  const template = providerTemplate ?? (files[type] !== undefined ? type : undefined);
  if (template !== undefined) return providerAttributes(files[template]);
  const schema = types.get(type);
  return schema ? attributeNamesOf(schema) : "any";
}

/** What get_attr may name of a chain's members: what any of them has ("any" when one is unknown, or there are none). */
function chainMemberAttributes(list: unknown[], resolve: (type: string, member: string) => TypeResolution, types: TypeLookup, files: Record<string, string>): ReadonlySet<string> | "any" {
  const names = new Set<string>();
  for (const [i, entry] of list.entries()) {
    if (typeof entry !== "string") return "any";
    const attributes = memberAttributes(resolve(entry, String(i)), types, files);
    if (attributes === "any") return "any";
    for (const name of attributes) names.add(name);
  }
  return names.size ? names : "any";
}

/** A provider template's outputs are its attributes (plus the stack id); unparsable: anything. */
function providerAttributes(source: string | undefined): ReadonlySet<string> | "any" {
  if (source === undefined) return "any";
  const parsed = parseTemplate(source);
  if (!parsed.template) return "any";
  return new Set([...parsed.template.outputs.map((o) => o.name), "OS::stack_id", "show"]);
}

