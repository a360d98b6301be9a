/**
 * The parameters of the nested stacks a template would build, however deep, as Heat's validate
 * with `show_nested` lists them (TripleO's tooling reads every parameter of a deployment so):
 * each provider template, group member and chain member (not `OS::Heat::Stack`, which Heat
 * does not list), loaded with the environment it would inherit (environment.ts
 * childEnvironments) and given the properties its resource sets, where they are known before
 * anything is created.
 */
import { childEnvironments, resolveType, type LoadedStack } from "../template";
import { validateStack, type TypeLookup } from "./validateStack";
import { isUnresolved, Unresolved } from "../unresolved";
import { InvalidRequest, TemplateInvalid } from "../errors";
import { error, type Diagnostic } from "../diagnostics";
import { heatJson, heatString, isMapping } from "../template/values";
import { coerce, type ParameterSchema } from "../template/parameters";

export interface NestedParameters {
  /** The resource's type as the template names it. */
  type: string;
  /** The nested stack loaded: its parameters' schema, groups, environment (template.description). */
  loaded: LoadedStack;
  /** The values the resource gives the nested stack's parameters (its properties, where known). */
  given: Record<string, unknown>;
  nested: Record<string, NestedParameters>;
}

const GROUP = "OS::Heat::ResourceGroup";
const CHAIN = "OS::Heat::ResourceChain";

/**
 * What one request may read: a template of a thousand provider resources is listed whole; one
 * past these is refused, saying so, rather than hold the server (templates are parsed here, in
 * the request).
 */
const MAX_NESTED = 1000;
const MAX_TEMPLATE_CHARACTERS = 16 * 2 ** 20;
/** Heat's nesting limit. */
const MAX_DEPTH = 5;

/** `loaded`'s nested stacks by resource name; a group shows its first member only, as Heat's does. */
export function nestedParameters(loaded: LoadedStack, files: Record<string, string>, types: TypeLookup): Record<string, NestedParameters> {
  const budget: Budget = { stacks: MAX_NESTED, characters: MAX_TEMPLATE_CHARACTERS };
  return walk(loaded, files, types, 1, budget, "resources");
}

/**
 * What is wrong in the nested templates a valid template would build, as Heat refuses a create
 * for them before anything is built (`resources.app.resources.db.type (4:11): …`, the position
 * in its file): every provider template, group member and chain member, however deep, checked
 * as show_nested reads them. Past the read budget the rest are left to be checked as they are
 * built, rather than the submission refused.
 */
export function nestedTemplateProblems(loaded: LoadedStack, files: Record<string, string>, types: TypeLookup): Diagnostic[] {
  try {
    walk(loaded, files, types, 1, { stacks: MAX_NESTED, characters: MAX_TEMPLATE_CHARACTERS, stopQuietly: true }, "resources");
    return [];
  } catch (e) {
    if (e instanceof TemplateInvalid) return e.problems;
    throw e;
  }
}

/** What one walk may still read; `stopQuietly`: past it, read no further instead of refusing. */
interface Budget {
  stacks: number;
  characters: number;
  stopQuietly?: boolean;
}

/**
 * `unknownProperties`: by resource, the properties the template leaves out because their values
 * are not known before deployment (a group's members are written out without them).
 */
function walk(
  loaded: LoadedStack,
  files: Record<string, string>,
  types: TypeLookup,
  depth: number,
  budget: Budget,
  at: string,
  unknownProperties: Record<string, string[]> = {},
): Record<string, NestedParameters> {
  const inherit = childEnvironments(loaded.environment);
  const entryOf = (resourceName: string, type: string) => resolveType(loaded.environment, resourceName, type, files).entry;
  const view = (name: string, type: string, template: string, environment: string | undefined, given: Given, templateFile?: string, inner: Record<string, string[]> = {}): NestedParameters | undefined => {
    const path = `${at}.${name}`;
    // As Heat's validate says of a template that nests itself.
    if (depth > MAX_DEPTH) throw new TemplateInvalid([error(path, `Recursion depth exceeds ${MAX_DEPTH}: stacks may be nested at most ${MAX_DEPTH} deep`)]);
    budget.stacks--;
    budget.characters -= template.length;
    if (budget.stacks < 0 || budget.characters < 0) {
      if (budget.stopQuietly) return undefined;
      throw new InvalidRequest(`show_nested would read more than ${MAX_NESTED} nested stacks or ${MAX_TEMPLATE_CHARACTERS / 2 ** 20} MB of their templates; validate without it`);
    }
    const environments = environment === undefined ? [] : [{ name: "inherited environment", content: environment, fromParent: true }];
    const validated = validateStack({ template, files, environments, parameters: given.values, depth }, types);
    const nested = validated.loaded;
    // As Heat's validate with show_nested: a nested template's problems are the template's, where it nests.
    const problems = validated.errors;
    if (problems.length) throw new TemplateInvalid(problems.map((d) => ({ ...d, path: d.path ? `${path}.${d.path}` : path, ...(d.file === undefined && templateFile !== undefined ? { file: templateFile } : {}) })));
    return { type, loaded: nested, given: asHanded(given.known, nested.parameters.schema), nested: walk(nested, files, types, depth + 1, budget, `${path}.resources`, inner) };
  };
  const out: Record<string, NestedParameters> = {};
  for (const r of Object.values(loaded.resources)) {
    const props = r.properties;
    if (r.providerTemplate !== undefined) {
      const entry = entryOf(r.name, r.templateType);
      const seen = view(r.name, r.templateType, files[r.providerTemplate] ?? "", inherit({ removing: entry ? [entry] : [], narrowTo: r.name }), givenBy(props, unknownProperties[r.name]), r.providerTemplate);
      if (seen) out[r.name] = seen;
    } else if (r.type === GROUP || r.type === CHAIN) {
      const members = r.type === GROUP ? groupMember(props) : chainMembers(props);
      if (!members) continue;
      // As at run time (resourceGroup.ts): the group's own nested stack, which has no
      // parameters, holds the members, whose types resolve there.
      const resources = Object.fromEntries(members.map(([name, m]) => [name, { type: m.type, properties: known(m.given) }]));
      const unknown = Object.fromEntries(members.map(([name, m]) => [name, Object.keys(m.given).filter((k) => containsUnresolved(m.given[k]))]));
      const seen = view(r.name, r.templateType, JSON.stringify({ heat_template_version: "2015-04-30", resources }), inherit({ narrowTo: r.name }), givenBy({}), undefined, unknown);
      if (seen) out[r.name] = seen;
    }
  }
  return out;
}

/** A group's first member, "0", with the properties it would be given. */
function groupMember(props: Record<string, unknown>): [string, { type: string; given: Record<string, unknown> }][] | undefined {
  const def = props.resource_def as { type?: unknown; properties?: unknown } | undefined;
  if (typeof def?.type !== "string") return undefined;
  const indexVar = typeof props.index_var === "string" ? props.index_var : "%index%";
  return [["0", { type: def.type, given: mapping(replaceAll(def.properties, indexVar, "0")) }]];
}

/** A chain's members, each given the chain's resource_properties. */
function chainMembers(props: Record<string, unknown>): [string, { type: string; given: Record<string, unknown> }][] | undefined {
  if (!Array.isArray(props.resources)) return undefined;
  const given = mapping(props.resource_properties);
  return props.resources.flatMap((type, i): [string, { type: string; given: Record<string, unknown> }][] => (typeof type === "string" ? [[String(i), { type, given }]] : []));
}

/**
 * What a resource's properties give its nested stack's parameters: `values` to validate it with
 * (a property that needs another resource's attribute is given, its value unknown, as Heat's
 * validate has it), and those `known` before anything is created, which validate shows.
 */
interface Given {
  values: Record<string, unknown>;
  known: Record<string, unknown>;
}

function givenBy(props: Record<string, unknown>, unknown: readonly string[] = []): Given {
  const values = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, containsUnresolved(v) ? new Unresolved(`property ${k}`) : v]));
  for (const k of unknown) values[k] = new Unresolved(`property ${k}`);
  return { values, known: known(props) };
}

const mapping = (value: unknown): Record<string, unknown> => (isMapping(value) ? value : {});

function replaceAll(value: unknown, from: string, to: string): unknown {
  if (typeof value === "string") return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => replaceAll(v, from, to));
  if (value && typeof value === "object" && !isUnresolved(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceAll(v, from, to)]));
  return value;
}

/** The properties known before anything is created: those that need no other resource's attribute. */
function known(value: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(mapping(value)).filter(([, v]) => !containsUnresolved(v)));
}

/**
 * The values as Heat's template resource hands them to its nested stack (and validate shows
 * them): of the properties its parameters make, a number as a number, a list as its items
 * joined by commas.
 */
function asHanded(given: Record<string, unknown>, schema: readonly ParameterSchema[]): Record<string, unknown> {
  const types = new Map(schema.map((p) => [p.name, p.type]));
  return Object.fromEntries(
    Object.entries(given).map(([name, v]) => {
      const type = types.get(name);
      if (type === "comma_delimited_list" && Array.isArray(v)) return [name, v.map((item) => (typeof item === "object" && item !== null ? heatJson(item) : heatString(item))).join(",")];
      if (type === "number") {
        const n = coerce("number", v);
        return [name, "value" in n ? n.value : v];
      }
      return [name, v];
    }),
  );
}

function containsUnresolved(value: unknown): boolean {
  if (isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnresolved);
  if (value && typeof value === "object") return Object.values(value).some(containsUnresolved);
  return false;
}
