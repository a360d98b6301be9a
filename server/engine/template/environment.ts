import { error, warning, type Diagnostic } from "../diagnostics";
import { joinPath, locate, type Position, type PositionIndex } from "./positions";
import { defaultLimits, parseSource, type SourceLimits } from "./source";
import { heatString, isMapping, typeName } from "./values";
import { inputLimits, jsonSize, tooLargeMessage } from "../limits";

export interface EnvironmentValue {
  value: unknown;
  /** Where it was set, for diagnostics. */
  path: string;
  file?: string;
  /**
   * Where in the file, looked up only when a problem is reported: positions take a second,
   * slower read of the whole file, which an environment of 40,000 entries must not cost.
   */
  position?: () => Position | undefined;
  /**
   * When files merged strings into it: each one. `value` joins them by commas, as a
   * comma_delimited_list's; a string parameter takes them run on (resolveParameters), as Heat
   * merges by the parameter's type.
   */
  pieces?: string[];
}

export type MergeStrategy = "overwrite" | "merge" | "deep_merge";

/** Several environment files merged in order, as Heat merges them. */
export interface Environment {
  parameters: Record<string, EnvironmentValue>;
  parameterDefaults: Record<string, EnvironmentValue>;
  /** resource_registry without its `resources` part: type (or `Prefix::*`) → type or template file; null removes a mapping. */
  registry: Record<string, string | null>;
  /** resource_registry.resources: resource name (glob) → its own type mappings (and hooks, which are ignored with a warning). */
  resourceRegistry: Record<string, Record<string, unknown>>;
  eventSinks: unknown[];
  encryptedParamNames: string[];
  /** Each parameter's merge strategy, as the first file that merged it chose (parameters and parameter_defaults alike). */
  mergeStrategies: Strategies;
}

/** By parameter name, read by name only (see strategiesAfter); no prototype but the shared one's (byNameOnly). */
type Strategies = Record<string, MergeStrategy>;

export interface EnvironmentSource {
  /** File name, set as Diagnostic.file on its diagnostics. */
  name: string;
  content: string;
  /** Built by the engine from a parent stack's environment (childEnvironments): no size limit applies. */
  fromParent?: boolean;
}

const SECTIONS = ["parameters", "parameter_defaults", "resource_registry", "event_sinks", "encrypted_param_names", "parameter_merge_strategies"];
const STRATEGIES: MergeStrategy[] = ["overwrite", "merge", "deep_merge"];

/**
 * A section read by names a user wrote: with no prototype, a parameter or type named
 * `constructor` or `toString` is found only if written (an ordinary object has Object's).
 */
const byNameOnly = <T>(entries: Record<string, T> = {}): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, entries);

export const emptyEnvironment = (): Environment => ({
  parameters: byNameOnly(), parameterDefaults: byNameOnly(), registry: byNameOnly(), resourceRegistry: byNameOnly(), eventSinks: [], encryptedParamNames: [], mergeStrategies: byNameOnly(),
});

/**
 * Heat's merge of one parameter's values. A parameter's strings join with commas (a
 * comma_delimited_list given as text); within a deep-merged map, strings run on unseparated, as
 * Heat's merge_map runs them, and a null changes nothing.
 */
function mergeValues(old: unknown, next: unknown, strategy: MergeStrategy, inMap = false): unknown {
  if (strategy === "overwrite" || old === undefined) return next;
  if (Array.isArray(old) && Array.isArray(next)) return [...old, ...next];
  if (isMapping(old) && isMapping(next)) {
    if (strategy === "merge") return { ...old, ...next };
    const out: Record<string, unknown> = { ...old };
    for (const [k, v] of Object.entries(next)) {
      if (v !== null && v !== undefined) out[k] = k in out && out[k] !== null ? mergeValues(out[k], v, "deep_merge", true) : v;
    }
    return out;
  }
  if (typeof old === "string" && typeof next === "string") return old === "" ? next : inMap ? `${old}${next}` : `${old},${next}`;
  return next;
}

type Merged = { environment: Environment; diagnostics: Diagnostic[] };

/** Parses environment files (YAML) and merges them in order: later files win, per key. */
export function parseEnvironment(sources: (EnvironmentSource | string)[], limits: Pick<SourceLimits, "maxTemplateBytes"> = defaultLimits): Merged {
  let env = emptyEnvironment();
  const all: Diagnostic[] = [];
  // Sections of a shared environment this merge has not copied yet (and must, before writing them).
  let sharedSections = new Set<keyof Environment>();
  sources.forEach((s, n) => {
    const src = typeof s === "string" ? { name: `environment ${n + 1}`, content: s } : s;
    const sourceLimits = src.fromParent ? { maxTemplateBytes: Infinity } : limits;
    if (n === 0 && src.content.length >= SHARED_FROM_CHARACTERS) {
      const first = sharedEnvironment(src, sourceLimits);
      env = { ...first.environment };
      sharedSections = new Set(Object.keys(env) as (keyof Environment)[]);
      all.push(...first.diagnostics);
      return;
    }
    all.push(...mergeSource(env, src, sourceLimits, sharedSections));
  });
  // A shared environment's, untouched since, were measured when it was merged (sharedEnvironment).
  if (!sharedSections.has("parameterDefaults")) all.push(...defaultsProblems(env));
  return { environment: env, diagnostics: all };
}

function defaultsProblems(env: Environment): Diagnostic[] {
  const problem = defaultsTooLarge(valuesOf(env.parameterDefaults));
  return problem ? [error("parameter_defaults", problem)] : [];
}

/** A section's values by name. */
export const valuesOf = (section: Record<string, EnvironmentValue>): Record<string, unknown> => byNameOnly(Object.fromEntries(Object.entries(section).map(([name, e]) => [name, e.value])));

/** Which of an environment's sections each document section writes. */
const WRITES: Record<string, (keyof Environment)[]> = {
  parameters: ["parameters", "mergeStrategies"],
  parameter_defaults: ["parameterDefaults", "mergeStrategies"],
  resource_registry: ["registry", "resourceRegistry"],
  event_sinks: ["eventSinks"],
  encrypted_param_names: ["encryptedParamNames"],
};

/**
 * Strategies of a shared environment, to add to: its own read through, the new kept apart. It has
 * one for every parameter it merged, thousands with TripleO's parameter_defaults, and every nested
 * stack's environment adds its own parameters after it: copied, they cost 0.5 ms a nested stack.
 * Only ever read by name and added to (a name already there is never written again), so a
 * prototype chain (of null-prototype objects: no parameter is named after Object's members)
 * does what a copy would.
 */
const strategiesAfter = (shared: Strategies): Strategies => Object.create(shared) as Strategies;

/** Parses one document and merges it into `env`, first copying the shared sections it writes; its diagnostics, located. */
function mergeSource(env: Environment, src: EnvironmentSource, limits: Pick<SourceLimits, "maxTemplateBytes">, sharedSections: Set<keyof Environment>): Diagnostic[] {
  const parsed = parseSource(src.content, limits);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value !== undefined && parsed.value !== null) {
    if (!isMapping(parsed.value)) diagnostics.push(error("", `An environment must be a map of sections, not ${typeName(parsed.value)}`));
    else {
      for (const section of Object.keys(parsed.value).flatMap((k) => WRITES[k] ?? [])) {
        if (!sharedSections.delete(section)) continue;
        const value = env[section];
        (env as unknown as Record<string, unknown>)[section] = Array.isArray(value) ? [...value] : section === "mergeStrategies" ? strategiesAfter(value as Strategies) : byNameOnly<unknown>(value);
      }
      mergeOne(env, parsed.value, src.name, parsed.positions, diagnostics);
    }
  }
  return locate(diagnostics, parsed.positions, src.name).map((d) => ({ ...d, file: src.name }));
}

/**
 * A large first document is parsed and merged once per process and shared by every environment
 * that starts with it: the nested stacks of a tree all inherit the same one (childEnvironments),
 * whose parameter_defaults can be most of a megabyte (TripleO's), and parsing and holding one
 * copy per nested stack took seconds and a gigabyte for a group of 400. Shared, so frozen, deep:
 * a document merged after it copies the sections it writes (mergeSource).
 */
const SHARED_FROM_CHARACTERS = 16 * 1024;
/** Kept by the characters of their documents, so that many distinct ones (a group of each mapped type) all stay. */
const MAX_SHARED_CHARACTERS = 64 * 2 ** 20;
const sharedEnvironments = new Map<string, Merged & { name: string; maxTemplateBytes: number }>();
let sharedCharacters = 0;

function sharedEnvironment(src: EnvironmentSource, limits: Pick<SourceLimits, "maxTemplateBytes">): Merged {
  const kept = sharedEnvironments.get(src.content);
  if (kept && kept.name === src.name && kept.maxTemplateBytes === limits.maxTemplateBytes) {
    sharedEnvironments.delete(src.content);
    sharedEnvironments.set(src.content, kept);
    return kept;
  }
  const environment = emptyEnvironment();
  const diagnostics = [...mergeSource(environment, src, limits, new Set()), ...defaultsProblems(environment)];
  deepFreeze(environment);
  // One kept for another name or limit is replaced.
  if (kept) sharedEnvironments.delete(src.content);
  else sharedCharacters += src.content.length;
  sharedEnvironments.set(src.content, { environment, diagnostics, name: src.name, maxTemplateBytes: limits.maxTemplateBytes });
  for (const oldest of sharedEnvironments.keys()) {
    if (sharedCharacters <= MAX_SHARED_CHARACTERS || sharedEnvironments.size === 1) break;
    sharedEnvironments.delete(oldest);
    sharedCharacters -= oldest.length;
  }
  return { environment, diagnostics };
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

function mergeOne(env: Environment, doc: Record<string, unknown>, file: string, positions: PositionIndex, diagnostics: Diagnostic[]): void {
  for (const key of Object.keys(doc)) {
    if (!SECTIONS.includes(key)) diagnostics.push(error(key, `environment has wrong section "${key}"; allowed sections: ${SECTIONS.join(", ")}`));
  }
  const section = (key: string): Record<string, unknown> => {
    const v = doc[key];
    if (v === undefined || v === null) return {};
    if (!isMapping(v)) {
      diagnostics.push(error(key, `${key} must be a map`));
      return {};
    }
    return v;
  };

  const strategies = section("parameter_merge_strategies");
  const known = (s: unknown): s is MergeStrategy => STRATEGIES.includes(s as MergeStrategy);
  const fileDefault = known(strategies.default) ? strategies.default : "overwrite";
  // As Heat's: a parameter keeps the strategy it was first merged with, in a later file that
  // names none for it too; a file naming another one for it is an error.
  const strategyOf = (name: string, at: string): MergeStrategy => {
    const own = known(strategies[name]) ? strategies[name] : undefined;
    const earlier = env.mergeStrategies[name];
    const chosen = own ?? earlier ?? fileDefault;
    if (earlier === undefined) env.mergeStrategies[name] = chosen;
    else if (chosen !== earlier) {
      diagnostics.push(error(at, `the merge strategy of ${name} is ${earlier} (set by an earlier environment file); this file cannot make it ${chosen}`));
      return earlier;
    }
    return chosen;
  };
  for (const [name, s] of Object.entries(strategies)) {
    if (!known(s)) diagnostics.push(error(joinPath("parameter_merge_strategies", name), `unknown merge strategy "${heatString(s)}"; allowed: ${STRATEGIES.join(", ")}`));
  }

  for (const [target, key] of [[env.parameters, "parameters"], [env.parameterDefaults, "parameter_defaults"]] as const) {
    for (const [name, value] of Object.entries(section(key))) {
      const before = target[name];
      const strategy = strategyOf(name, joinPath(key, name));
      const merged = mergeValues(before?.value, value, strategy);
      const path = joinPath(key, name);
      const joined = strategy !== "overwrite" && typeof value === "string" && typeof before?.value === "string" && before.value !== "";
      target[name] = { value: merged, path, file, position: () => positions.get(path), ...(joined ? { pieces: [...(before.pieces ?? [before.value as string]), value] } : {}) };
    }
  }

  const registry = section("resource_registry");
  for (const [type, target] of Object.entries(registry)) {
    const at = joinPath("resource_registry", type);
    if (type === "resources") {
      if (!isMapping(target)) {
        diagnostics.push(error(at, "resource_registry.resources must be a map of resource name → mappings"));
        continue;
      }
      for (const [resource, mappings] of Object.entries(target)) {
        if (!isMapping(mappings)) {
          diagnostics.push(error(joinPath(at, resource), `the registry entry for resource ${resource} must be a map`));
          continue;
        }
        checkResourceEntry(joinPath(at, resource), mappings, diagnostics);
        env.resourceRegistry[resource] = { ...env.resourceRegistry[resource], ...mappings };
      }
      continue;
    }
    if (target !== null && typeof target !== "string") {
      diagnostics.push(error(at, `the registry entry for ${type} must be a type name or a template file`));
      continue;
    }
    if (target !== null && type.endsWith("*") !== target.endsWith("*")) {
      diagnostics.push(error(at, `a wildcard mapping must map a prefix ending in * to another prefix ending in *`));
      continue;
    }
    env.registry[type] = target;
  }

  const sinks = doc.event_sinks;
  if (sinks !== undefined && sinks !== null) {
    if (!Array.isArray(sinks)) diagnostics.push(error("event_sinks", "event_sinks must be a list"));
    else {
      env.eventSinks.push(...sinks);
      if (sinks.length > 0) diagnostics.push(warning("event_sinks", "event_sinks are accepted but Kiln does not send events to them; use the live notification stream"));
    }
  }
  const encrypted = doc.encrypted_param_names;
  if (encrypted !== undefined && encrypted !== null) {
    if (!Array.isArray(encrypted) || encrypted.some((e) => typeof e !== "string")) diagnostics.push(error("encrypted_param_names", "encrypted_param_names must be a list of parameter names"));
    else env.encryptedParamNames.push(...(encrypted as string[]));
  }
}

/**
 * A resource's registry entry, and those of the resources inside its nested stack (its maps of
 * resource names), however deep.
 *
 * Heat pauses at breakpoint hooks until `stack hook clear`; Kiln has none, and says so rather
 * than go on silently where a user asked it to stop. A warning, not an error: a stack stored
 * with hooks must still load, show and update.
 */
function checkResourceEntry(at: string, mappings: Record<string, unknown>, diagnostics: Diagnostic[], depth = 0): void {
  const hooks = mappings.hooks;
  if (hooks !== undefined && hooks !== null && !(Array.isArray(hooks) && hooks.length === 0)) {
    diagnostics.push(warning(joinPath(at, "hooks"), "breakpoint hooks are ignored: Kiln does not pause at them (no stack hook clear is needed)"));
  }
  const restricted = mappings[RESTRICTED_ACTIONS];
  if (restricted !== undefined && restricted !== null && restrictedActionsOf(restricted) === undefined) {
    diagnostics.push(error(joinPath(at, RESTRICTED_ACTIONS), `restricted_actions must be ${RESTRICTABLE.map((a) => `"${a}"`).join(" or ")}, or a list of those`));
  }
  // Stacks nest five deep, and so can these entries; deeper ones would never apply.
  if (depth >= 5) return;
  for (const [name, inner] of Object.entries(mappings)) if (isMapping(inner)) checkResourceEntry(joinPath(at, name), inner, diagnostics, depth + 1);
}

const RESTRICTED_ACTIONS = "restricted_actions";
const RESTRICTABLE = ["update", "replace"] as const;
export type RestrictedAction = (typeof RESTRICTABLE)[number];

function restrictedActionsOf(value: unknown): RestrictedAction[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  return list.every((a): a is RestrictedAction => RESTRICTABLE.includes(a as RestrictedAction)) ? list : undefined;
}

/**
 * What the environment forbids doing to a resource in an update (Heat's restricted_actions,
 * written under `resource_registry.resources` for the names that match): an update in place,
 * a replacement, or both.
 */
export function restrictedActions(env: Environment, resource: string): RestrictedAction[] {
  const found = new Set<RestrictedAction>();
  for (const m of entriesFor(env.resourceRegistry, resource)) for (const a of restrictedActionsOf(m[RESTRICTED_ACTIONS] ?? []) ?? []) found.add(a);
  return [...found];
}

const TEMPLATE_SUFFIXES = [".yaml", ".yml", ".template", ".json"];
export const looksLikeTemplate = (type: string, files: Readonly<Record<string, string>>): boolean =>
  Object.prototype.hasOwnProperty.call(files, type) || TEMPLATE_SUFFIXES.some((s) => type.endsWith(s)) || /^(https?|file):\/\//.test(type);

/** One place of a glob: a run of any characters, or one character that passes the test. */
type GlobPart = "*" | ((c: string) => boolean);

/** A glob as Python's fnmatch reads it: `*`, `?`, `[seq]` and `[!seq]` (with ranges `a-z`), the rest literal. */
function globParts(glob: string): GlobPart[] {
  const parts: GlobPart[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") parts.push("*");
    else if (c === "?") parts.push(() => true);
    else if (c === "[") {
      // `]` right after `[` or `[!` is one of the set; a `[` never closed is itself.
      let j = i + 1;
      if (glob[j] === "!") j++;
      if (glob[j] === "]") j++;
      const end = glob.indexOf("]", j);
      if (end < 0) {
        parts.push((x) => x === "[");
        continue;
      }
      const negated = glob[i + 1] === "!";
      const set = glob.slice(i + (negated ? 2 : 1), end);
      const inSet = (x: string) => {
        for (let k = 0; k < set.length; k++) {
          if (set[k + 1] === "-" && k + 2 < set.length) {
            if (x >= set[k]! && x <= set[k + 2]!) return true;
            k += 2;
          } else if (set[k] === x) return true;
        }
        return false;
      };
      parts.push(negated ? (x) => !inSet(x) : inSet);
      i = end;
    } else parts.push((x) => x === c);
  }
  return parts;
}

/**
 * Whether a resource's name matches a glob (globParts). Not a regular expression:
 * `*a*a*a*a*a*a*b` would backtrack for hours on a long name.
 */
function globMatches(pattern: string, name: string): boolean {
  const glob = globParts(pattern);
  let g = 0;
  let n = 0;
  // The last star seen, and where in the name its run ends for now: on a mismatch, it takes one more character.
  let star = -1;
  let runEnd = 0;
  while (n < name.length) {
    const part = glob[g];
    if (part !== undefined && part !== "*" && part(name[n]!)) {
      g++;
      n++;
    } else if (part === "*") {
      star = g++;
      runEnd = n;
    } else if (star >= 0) {
      g = star + 1;
      n = ++runEnd;
    } else return false;
  }
  while (glob[g] === "*") g++;
  return g === glob.length;
}

/** A registry entry: a type (or `Prefix::*`) mapped for every resource, or for the resources a `resources` glob names. */
export interface RegistryEntry {
  resources?: string;
  type: string;
}

export interface TypeResolution {
  /** The type after the registry's aliases. */
  type: string;
  /** Set when the type is a provider template: the key of the template in `files`. */
  providerTemplate?: string;
  /** For a provider template reached through the registry: the entry that named it. */
  entry?: RegistryEntry;
  error?: string;
}

/** Follows the registry (resource-specific mappings first, then exact, then `Prefix::*`) until a type or template. */
export function resolveType(env: Environment, resource: string, type: string, files: Readonly<Record<string, string>>): TypeResolution {
  const seen = new Set<string>();
  let current = type;
  let entry: RegistryEntry | undefined;
  for (;;) {
    if (seen.has(current)) return { type: current, error: `the resource_registry maps ${type} in a cycle (${[...seen, current].join(" → ")})` };
    seen.add(current);
    let next: string | null | undefined;
    let from: RegistryEntry | undefined;
    // A type mapped for a resource is mapped for that name only, not a glob (as in Heat).
    const specific = Object.prototype.hasOwnProperty.call(env.resourceRegistry, resource) ? env.resourceRegistry[resource]![current] : undefined;
    if (typeof specific === "string") [next, from] = [specific, { resources: resource, type: current }];
    else if (Object.prototype.hasOwnProperty.call(env.registry, current)) [next, from] = [env.registry[current], { type: current }];
    else {
      const wildcard = Object.keys(env.registry)
        .filter((k) => k.endsWith("*") && current.startsWith(k.slice(0, -1)) && env.registry[k] !== null)
        .sort((a, b) => b.length - a.length)[0];
      if (wildcard) [next, from] = [(env.registry[wildcard] as string).slice(0, -1) + current.slice(wildcard.length - 1), { type: wildcard }];
    }
    if (next === undefined || next === null || next === current) break;
    current = next;
    entry = from;
    if (looksLikeTemplate(current, files)) break;
  }
  if (looksLikeTemplate(current, files)) {
    if (!Object.prototype.hasOwnProperty.call(files, current)) {
      return { type: current, error: `the template "${current}" for resource type ${type} is not among the submitted files` };
    }
    return { type: current, providerTemplate: current, ...(entry ? { entry } : {}) };
  }
  return { type: current };
}

/**
 * The environments a stack's nested stacks inherit from its own, as Heat's child environment:
 * the resource_registry and the parameter_defaults, not the parameters (a nested stack's are its
 * resource's properties). Left out of the registry: the entries that chose the nested stack's
 * own template (`removing`), so that a template overriding a type gets the type itself inside;
 * and, of the per-resource part, all but what was written for the parent resource (`narrowTo`,
 * its name), whose maps of inner resource names become the nested stack's own.
 *
 * Each is a document (JSON), undefined when there is nothing to inherit. One text is written per
 * environment and distinct registry, and handed to every nested stack that asks for it, however
 * many stacks' definitions ask: a group's members all ask for the same one, each member's
 * nested stack again for its own, and the defaults can be most of a megabyte. Throws when the
 * defaults are over the limit (a stack stored before the limit was checked).
 */
export function childEnvironments(env: Environment): (options: { removing?: readonly RegistryEntry[]; narrowTo?: string }) => string | undefined {
  const written = writtenFor(env);
  return (options) => {
    const registry = inheritedRegistry(env, options);
    const key = JSON.stringify(registry);
    if (written.has(key)) return written.get(key);
    const defaults = defaultsText(env.parameterDefaults);
    const sections = [...(Object.keys(registry).length ? [`"resource_registry":${key}`] : []), ...(defaults ? [`"parameter_defaults":${defaults}`] : [])];
    const document = sections.length ? `{${sections.join(",")}}` : undefined;
    written.set(key, document);
    return document;
  };
}

/**
 * Documents written for an environment, by registry. Found by the environment's sections, which a
 * shared environment (sharedEnvironment) hands every nested stack that inherits the same.
 */
const writtenDocuments = new WeakMap<object, { resources: object; defaults: object; documents: Map<string, string | undefined> }>();

function writtenFor(env: Environment): Map<string, string | undefined> {
  const kept = writtenDocuments.get(env.registry);
  if (kept && kept.resources === env.resourceRegistry && kept.defaults === env.parameterDefaults) return kept.documents;
  const documents = new Map<string, string | undefined>();
  writtenDocuments.set(env.registry, { resources: env.resourceRegistry, defaults: env.parameterDefaults, documents });
  return documents;
}

const defaultsTexts = new WeakMap<object, string>();

/** The parameter_defaults as JSON ("" when none), written once per environment section. */
function defaultsText(defaults: Environment["parameterDefaults"]): string {
  const kept = defaultsTexts.get(defaults);
  if (kept !== undefined) return kept;
  const values = valuesOf(defaults);
  const problem = defaultsTooLarge(values);
  if (problem) throw new Error(`The environment its nested stack would inherit cannot be written: ${problem}`);
  const text = Object.keys(values).length ? JSON.stringify(values) : "";
  defaultsTexts.set(defaults, text);
  return text;
}

/**
 * How large parameter_defaults may be, written out: YAML aliases repeat their anchor's value in
 * full wherever they are used, so a file within the size limit can stand for gigabytes, which
 * every nested stack would inherit as text.
 */
const defaultsLimit = () => inputLimits().maxValueBytes * 8;

function defaultsTooLarge(values: Record<string, unknown>): string | undefined {
  const limit = defaultsLimit();
  return jsonSize(values, limit) > limit ? tooLargeMessage("parameter_defaults, written out (YAML aliases repeat their anchor's value wherever used),", limit) : undefined;
}

function inheritedRegistry(env: Environment, options: { removing?: readonly RegistryEntry[]; narrowTo?: string }): Record<string, unknown> {
  const registry: Record<string, unknown> = { ...env.registry };
  for (const e of options.removing ?? []) if (e.resources === undefined) delete registry[e.type];
  let resources: Record<string, Record<string, unknown>>;
  if (options.narrowTo === undefined) {
    resources = { ...env.resourceRegistry };
    for (const e of options.removing ?? []) {
      if (e.resources === undefined || !resources[e.resources]) continue;
      const { [e.type]: _removed, ...rest } = resources[e.resources]!;
      resources[e.resources] = rest;
    }
  } else resources = narrowedTo(env.resourceRegistry, options.narrowTo);
  if (Object.keys(resources).length) registry.resources = resources;
  return registry;
}

/**
 * The per-resource part a resource's nested stack inherits: the inner maps of the entries that
 * name the resource. Only maps name inner resources; the rest (type mappings, hooks, restricted
 * actions) was for the resource itself, the mapping that chose its template among them.
 */
function narrowedTo(resources: Environment["resourceRegistry"], name: string): Environment["resourceRegistry"] {
  const narrowed: Record<string, unknown> = Object.assign({}, ...entriesFor(resources, name));
  return Object.fromEntries(Object.entries(narrowed).filter((e): e is [string, Record<string, unknown>] => isMapping(e[1])));
}

/** The environment of a group's or chain's nested stack, where its members' types resolve by their names: what it inherits. */
export const membersEnvironment = (env: Environment, groupName: string): Environment => ({ ...env, resourceRegistry: byNameOnly(narrowedTo(env.resourceRegistry, groupName)) });

/**
 * The per-resource entries whose name (a glob) matches a resource, in the order written, its
 * own name's last: Heat's rule for hooks, restricted actions and what a nested stack inherits.
 * Only the globs are tried: a group's nested stack can hold an entry per member.
 */
function entriesFor(resources: Environment["resourceRegistry"], name: string): Record<string, unknown>[] {
  const found = globsOf(resources)
    .filter((glob) => glob !== name && globMatches(glob, name))
    .map((glob) => resources[glob]!);
  if (Object.prototype.hasOwnProperty.call(resources, name)) found.push(resources[name]!);
  return found;
}

const globKeys = new WeakMap<object, string[]>();

function globsOf(resources: Environment["resourceRegistry"]): string[] {
  let globs = globKeys.get(resources);
  if (!globs) globKeys.set(resources, (globs = Object.keys(resources).filter((k) => /[*?[]/.test(k))));
  return globs;
}
