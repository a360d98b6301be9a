import type { Diagnostic } from "../diagnostics";
import { inputLimits, jsonSize, tooLargeMessage } from "../limits";
import { Unresolved, isUnresolved } from "../unresolved";
import { joinPath } from "./positions";
import { isMapping } from "./values";
import { allConditionFunctionNames, allFunctionNames, introducedIn, type FunctionVariant, type TemplateVersion } from "./versions";

/** What `if` without a false branch yields (2021-04-16): the enclosing entry disappears. */
export const REMOVED: unique symbol = Symbol("removed");

/** A function's arguments are wrong; reported at the function, optionally at one of its arguments. */
export class FunctionError extends Error {
  constructor(message: string, readonly at?: string | number) {
    super(message);
  }
}

class NotYetKnown extends Error {}

/** Supplies what only a deployment knows, when resolving at run time. */
export interface DeployedValues {
  /** The physical id (get_resource, Ref). */
  resourceId(resource: string): unknown;
  /**
   * One attribute's value, down `path` (get_attr): the resource's type decides what the
   * attribute and the path mean (a group's members, a nested stack's outputs). Throws a
   * FunctionError when there is no such value to have (no such member, an output that failed).
   */
  attribute(resource: string, attribute: string, path: readonly (string | number)[]): unknown;
  /** Every attribute, for `get_attr: [resource]`; throws as `attribute` does. */
  allAttributes(resource: string): Record<string, unknown>;
}

/** What the parent resource of a nested stack says about itself (resource_facade). */
export interface Facade {
  metadata?: unknown;
  deletion_policy?: unknown;
  update_policy?: unknown;
}

/** Everything a function may consult, fixed for a whole stack. */
export interface Scope {
  version: TemplateVersion;
  parameters: ReadonlyMap<string, unknown>;
  /** Resolves a condition by name; throws FunctionError for an unknown one. */
  condition(name: string): boolean;
  /** Resource name → whether its condition holds. */
  resources: ReadonlyMap<string, boolean>;
  files: Readonly<Record<string, string>>;
  facade?: Facade;
  availabilityZones: readonly string[];
  /** Absent at validate time: resource ids and attributes are then Unresolved. */
  deployed?: DeployedValues;
}

export interface ReferenceFound {
  target: string;
  attribute?: string;
  /** get_attr: the path's first component when written as a name (`[group, attributes, NAME]`), for validation. */
  key?: string;
  path: string;
}

/** One resolution: a value in the context of one resource or output. */
export interface Evaluation {
  scope: Scope;
  /** The resource (or output) being resolved, named in reference errors. */
  owner: string;
  refs: ReferenceFound[];
  diagnostics: Diagnostic[];
  /** Resolving the conditions section: only condition functions are functions. */
  inConditions?: boolean;
}

export interface Call {
  name: string;
  variant: FunctionVariant;
  /** Path of the function's key, e.g. `resources.web.properties.name.str_replace`. */
  path: string;
  ev: Evaluation;
  /** Stops the function, yielding Unresolved, when the value is only known at deploy time. */
  known<T>(value: T): Exclude<T, Unresolved>;
  /** Same, for a value and everything inside it. */
  knownDeep<T>(value: T): T;
  /** Resolves a raw argument (lazy functions). */
  evaluate(raw: unknown, at: string | number): unknown;
  /** Refuses a result of `size` bytes over the value limit: called before building a large result, so it is never built. */
  fits(size: number, exact?: boolean): void;
}

export interface FunctionSpec {
  /** Lazy functions receive their arguments unresolved (`if` resolves only the branch it takes). */
  lazy?: boolean;
  run(args: unknown, call: Call): unknown;
}


function containsUnresolved(v: unknown): boolean {
  if (isUnresolved(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnresolved);
  if (isMapping(v)) return Object.values(v).some(containsUnresolved);
  return false;
}

let registry: Readonly<Record<string, FunctionSpec>> = {};
/** Installed once by functions/index.ts, which imports this module (avoids an import cycle). */
export const installFunctions = (specs: Record<string, FunctionSpec>): void => {
  registry = specs;
};

/** Resolves every function in `value`; the result may hold Unresolved, or be REMOVED. */
export function evaluate(value: unknown, path: string, ev: Evaluation): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => evaluate(item, joinPath(path, i), ev)).filter((item) => item !== REMOVED);
  }
  if (!isMapping(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const name = keys[0];
    const { version } = ev.scope;
    const variant = ev.inConditions
      ? version.conditionFunctions.has(name) ? "plain" : undefined
      : version.functions.get(name);
    if (variant !== undefined) return call(name, variant, value[name], joinPath(path, name), ev);
    if (!ev.inConditions && version.removed.has(name)) {
      ev.diagnostics.push({
        severity: "error",
        path: joinPath(path, name),
        message: `The function ${name} is not supported in this version of HOT (heat_template_version ${version.date}).`,
      });
      return new Unresolved(`${name} (not supported)`);
    }
    if (!ev.inConditions && name.startsWith("Fn::") && !allFunctionNames.has(name)) {
      ev.diagnostics.push({
        severity: "warning",
        path: joinPath(path, name),
        message: `"${name}" is a CloudFormation function that no HOT version has; it is treated as plain data.`,
      });
    } else if (ev.inConditions ? allConditionFunctionNames.has(name) || allFunctionNames.has(name) : allFunctionNames.has(name)) {
      // `and`/`or`/`not`/`equals` outside conditions are ordinary data (Aodh composite rules use them), so no warning.
      const since = introducedIn(name);
      ev.diagnostics.push({
        severity: "warning",
        path: joinPath(path, name),
        message: ev.inConditions
          ? `"${name}" is not a condition function in heat_template_version ${version.date}${allConditionFunctionNames.has(name) && since ? ` (it was introduced in ${since})` : ""}; it is treated as plain data.`
          : `"${name}" is not a function in heat_template_version ${version.date}${since ? ` (it was introduced in ${since})` : ""}; it is treated as plain data.`,
      });
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const resolved = evaluate(value[key], joinPath(path, key), ev);
    if (resolved !== REMOVED) out[key] = resolved;
  }
  return out;
}

function call(name: string, variant: FunctionVariant, raw: unknown, path: string, ev: Evaluation): unknown {
  const spec = registry[name];
  if (!spec) throw new Error(`no implementation for ${name}`);
  const c: Call = {
    name,
    variant,
    path,
    ev,
    known: <T,>(v: T) => {
      if (isUnresolved(v)) throw new NotYetKnown();
      return v as Exclude<T, Unresolved>;
    },
    knownDeep: <T,>(v: T) => {
      if (containsUnresolved(v)) throw new NotYetKnown();
      return v;
    },
    evaluate: (r, at) => evaluate(r, joinPath(path, at), ev),
    fits: (size, exact = true) => {
      const { maxValueBytes } = inputLimits();
      if (size > maxValueBytes) throw new FunctionError(tooLargeMessage("the result", maxValueBytes, exact ? size : undefined));
    },
  };
  try {
    const args = spec.lazy ? raw : evaluate(raw, path, ev);
    const result = spec.run(args === REMOVED ? null : args, c);
    // Every result is measured (up to the limit), whatever the function: nothing larger travels on.
    if (typeof result === "string") c.fits(result.length);
    else c.fits(jsonSize(result, inputLimits().maxValueBytes), false);
    return result;
  } catch (e) {
    if (e instanceof NotYetKnown) return new Unresolved(`${name} of a value known only at deploy time`);
    if (e instanceof FunctionError) {
      ev.diagnostics.push({ severity: "error", path: e.at === undefined ? path : joinPath(path, e.at), message: `${name}: ${e.message}` });
      return new Unresolved(`${name} (failed)`);
    }
    throw e;
  }
}

/** Evaluates a value and turns a top-level REMOVED into null, as Heat does. */
export function resolveValue(value: unknown, path: string, ev: Evaluation): unknown {
  const v = evaluate(value, path, ev);
  return v === REMOVED ? null : v;
}
