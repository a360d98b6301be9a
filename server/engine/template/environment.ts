import { error, warning, type Diagnostic } from "../diagnostics";
import { joinPath, locate, type Position, type PositionIndex } from "./positions";
import { defaultLimits, parseSource, type SourceLimits } from "./source";
import { heatString, isMapping, typeName } from "./values";

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
}

export interface EnvironmentSource {
  /** File name, set as Diagnostic.file on its diagnostics. */
  name: string;
  content: string;
}

const SECTIONS = ["parameters", "parameter_defaults", "resource_registry", "event_sinks", "encrypted_param_names", "parameter_merge_strategies"];
const STRATEGIES: MergeStrategy[] = ["overwrite", "merge", "deep_merge"];

export const emptyEnvironment = (): Environment => ({
  parameters: {}, parameterDefaults: {}, registry: {}, resourceRegistry: {}, eventSinks: [], encryptedParamNames: [],
});

function mergeValues(old: unknown, next: unknown, strategy: MergeStrategy): unknown {
  if (strategy === "overwrite" || old === undefined) return next;
  if (Array.isArray(old) && Array.isArray(next)) return [...old, ...next];
  if (isMapping(old) && isMapping(next)) {
    if (strategy === "merge") return { ...old, ...next };
    const out: Record<string, unknown> = { ...old };
    for (const [k, v] of Object.entries(next)) out[k] = k in out ? mergeValues(out[k], v, "deep_merge") : v;
    return out;
  }
  if (typeof old === "string" && typeof next === "string") return old === "" ? next : `${old},${next}`;
  return next;
}

/** Parses environment files (YAML) and merges them in order: later files win, per key. */
export function parseEnvironment(
  sources: (EnvironmentSource | string)[],
  limits: Pick<SourceLimits, "maxTemplateBytes"> = defaultLimits,
): { environment: Environment; diagnostics: Diagnostic[] } {
  const env = emptyEnvironment();
  const all: Diagnostic[] = [];
  sources.forEach((s, n) => {
    const src = typeof s === "string" ? { name: `environment ${n + 1}`, content: s } : s;
    const parsed = parseSource(src.content, limits);
    const diagnostics = [...parsed.diagnostics];
    if (parsed.value !== undefined && parsed.value !== null) {
      if (!isMapping(parsed.value)) diagnostics.push(error("", `An environment must be a map of sections, not ${typeName(parsed.value)}`));
      else mergeOne(env, parsed.value, src.name, parsed.positions, diagnostics);
    }
    all.push(...locate(diagnostics, parsed.positions, src.name).map((d) => ({ ...d, file: src.name })));
  });
  return { environment: env, diagnostics: all };
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
  const strategyOf = (name: string): MergeStrategy => {
    const s = (strategies[name] ?? strategies.default ?? "overwrite") as MergeStrategy;
    return STRATEGIES.includes(s) ? s : "overwrite";
  };
  for (const [name, s] of Object.entries(strategies)) {
    if (!STRATEGIES.includes(s as MergeStrategy)) diagnostics.push(error(joinPath("parameter_merge_strategies", name), `unknown merge strategy "${heatString(s)}"; allowed: ${STRATEGIES.join(", ")}`));
  }

  for (const [target, key] of [[env.parameters, "parameters"], [env.parameterDefaults, "parameter_defaults"]] as const) {
    for (const [name, value] of Object.entries(section(key))) {
      const merged = mergeValues(target[name]?.value, value, strategyOf(name));
      const path = joinPath(key, name);
      target[name] = { value: merged, path, file, position: () => positions.get(path) };
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
        // Heat pauses at these breakpoints until `stack hook clear`; Kiln has none, and says so
        // rather than go on silently where a user asked it to stop. A warning, not an error: a
        // stack stored with hooks must still load, show and update.
        const hooks = mappings.hooks;
        if (hooks !== undefined && hooks !== null && !(Array.isArray(hooks) && hooks.length === 0)) {
          diagnostics.push(warning(joinPath(joinPath(at, resource), "hooks"), "breakpoint hooks are ignored: Kiln does not pause at them (no stack hook clear is needed)"));
        }
        env.resourceRegistry[resource] = { ...env.resourceRegistry[resource], ...mappings };
      }
      continue;
    }
    if (target !== null && typeof target !== "string") {
      diagnostics.push(error(at, `the registry entry for ${type} must be a type name or a template file`));
      continue;
    }
    if (type.endsWith("*") !== (target ?? "*").endsWith("*")) {
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

const TEMPLATE_SUFFIXES = [".yaml", ".yml", ".template", ".json"];
export const looksLikeTemplate = (type: string, files: Readonly<Record<string, string>>): boolean =>
  Object.prototype.hasOwnProperty.call(files, type) || TEMPLATE_SUFFIXES.some((s) => type.endsWith(s)) || /^(https?|file):\/\//.test(type);

/**
 * Whether a resource's name matches a glob of `*` (any run) and `?` (one character). Not a
 * regular expression: `*a*a*a*a*a*a*b` would backtrack for hours on a long name.
 */
function globMatches(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  // The last star seen, and where in the name its run ends for now: on a mismatch, it takes one more character.
  let star = -1;
  let runEnd = 0;
  while (n < name.length) {
    if (g < glob.length && (glob[g] === "?" || glob[g] === name[n])) {
      g++;
      n++;
    } else if (glob[g] === "*") {
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

export interface TypeResolution {
  /** The type after the registry's aliases. */
  type: string;
  /** Set when the type is a provider template: the key of the template in `files`. */
  providerTemplate?: string;
  error?: string;
}

/** Follows the registry (resource-specific mappings first, then exact, then `Prefix::*`) until a type or template. */
export function resolveType(env: Environment, resource: string, type: string, files: Readonly<Record<string, string>>): TypeResolution {
  const seen = new Set<string>();
  let current = type;
  for (;;) {
    if (seen.has(current)) return { type: current, error: `the resource_registry maps ${type} in a cycle (${[...seen, current].join(" → ")})` };
    seen.add(current);
    let next: string | null | undefined;
    const specific = Object.entries(env.resourceRegistry).find(([glob, m]) => globMatches(glob, resource) && typeof m[current] === "string");
    if (specific) next = specific[1][current] as string;
    else if (Object.prototype.hasOwnProperty.call(env.registry, current)) next = env.registry[current];
    else {
      const wildcard = Object.keys(env.registry)
        .filter((k) => k.endsWith("*") && current.startsWith(k.slice(0, -1)) && env.registry[k] !== null)
        .sort((a, b) => b.length - a.length)[0];
      if (wildcard) next = (env.registry[wildcard] as string).slice(0, -1) + current.slice(wildcard.length - 1);
    }
    if (next === undefined || next === null || next === current) break;
    current = next;
    if (looksLikeTemplate(current, files)) break;
  }
  if (looksLikeTemplate(current, files)) {
    if (!Object.prototype.hasOwnProperty.call(files, current)) {
      return { type: current, error: `the template "${current}" for resource type ${type} is not among the submitted files` };
    }
    return { type: current, providerTemplate: current };
  }
  return { type: current };
}
