import { error, type Diagnostic } from "../diagnostics";
import { formatBytes, inputLimits, jsonSize, tooDeepAt, tooDeepMessage, tooLargeMessage } from "../limits";
import { isUnresolved, Unresolved } from "../unresolved";
import { parseConstraints, violations, type Constraint, type ParameterType } from "./constraints";
import type { EnvironmentValue } from "./environment";
import { MASK } from "./hiddenValues";
import { joinPath } from "./positions";
import { heatJson, heatString, isMapping, typeName } from "./values";

export type { Constraint, ParameterType };

export interface ParameterSchema {
  name: string;
  type: ParameterType;
  label?: string;
  description?: string;
  /** Present when the template gives a default (already coerced to the type). */
  default?: unknown;
  hidden: boolean;
  immutable: boolean;
  tags: string[];
  constraints: Constraint[];
}

export interface ParameterGroup {
  label?: string;
  description?: string;
  parameters: string[];
}

const TYPES: ParameterType[] = ["string", "number", "json", "comma_delimited_list", "boolean"];
const KEYS = ["type", "description", "default", "constraints", "hidden", "label", "immutable", "tags"];
const TRUE = ["1", "t", "true", "on", "y", "yes"];
const FALSE = ["0", "f", "false", "off", "n", "no"];

/** Converts a given value to the parameter's type as Heat does, or says why it cannot. */
export function coerce(type: ParameterType, value: unknown): { value: unknown } | { error: string } {
  switch (type) {
    case "string":
      return { value: typeof value === "object" && value !== null ? heatJson(value) : heatString(value) };
    case "number": {
      if (typeof value === "number") return { value };
      const text = typeof value === "string" ? value.trim() : undefined;
      if (text !== undefined && text !== "") {
        if (/^[-+]?\d+$/.test(text)) return { value: Number.parseInt(text, 10) };
        const n = Number(text);
        if (!Number.isNaN(n) || /^[-+]?nan$/i.test(text)) return { value: n };
        if (/^[-+]?inf(inity)?$/i.test(text)) return { value: text.startsWith("-") ? -Infinity : Infinity };
      }
      return { error: `Value "${preview(value)}" is not a number` };
    }
    case "boolean": {
      if (typeof value === "boolean") return { value };
      const text = String(value ?? "").trim().toLowerCase();
      if (TRUE.includes(text)) return { value: true };
      if (FALSE.includes(text)) return { value: false };
      return { error: `Unrecognized value "${preview(value)}"; acceptable values are: ${[...FALSE, ...TRUE].sort().map((v) => `'${v}'`).join(", ")}` };
    }
    case "comma_delimited_list": {
      if (Array.isArray(value)) return { value: value.map((v) => (typeof v === "object" && v !== null ? heatJson(v) : heatString(v))) };
      if (value === null || value === undefined || value === "") return { value: [] };
      if (typeof value === "object") return { error: `Value must be a comma-delimited list string, not a ${typeName(value)}` };
      return { value: heatString(value).split(",") };
    }
    case "json": {
      if (isMapping(value) || Array.isArray(value)) return { value };
      if (value === null || value === undefined || value === "") return { value: {} };
      if (typeof value !== "string") return { error: `Value must be valid JSON (a map or a list), not ${preview(value)}` };
      try {
        return { value: JSON.parse(value) as unknown };
      } catch (e) {
        return { error: `Value must be valid JSON: ${(e as Error).message}` };
      }
    }
  }
}

/**
 * A parameter's value as Heat's stack show writes it (Python's str of the typed value): a
 * number's digits, `True`/`False`, a list's items joined by commas, JSON as Python writes it.
 */
export function parameterText(type: ParameterType, value: unknown): string {
  const typed = coerce(type, value);
  if ("error" in typed) return heatString(value);
  if (type === "comma_delimited_list") return (typed.value as string[]).join(",");
  // Python's JSON writes every character past ASCII as an escape.
  if (type === "json") return heatJson(typed.value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (type === "number") return numberText(value, typed.value as number);
  return heatString(typed.value);
}

/**
 * A number as Python writes it: whole digits exactly as many as given (Python's integers have
 * no bound), and a float as its repr (`1.0`, `1500.0`, `1e+20`, `1e-05`, `nan`, `inf`).
 */
function numberText(given: unknown, n: number): string {
  const text = typeof given === "string" ? given.trim() : undefined;
  if (text !== undefined ? /^[-+]?\d+$/.test(text) : Number.isInteger(n)) return text !== undefined ? BigInt(text).toString() : String(n);
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  const magnitude = Math.abs(n);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** Coerces and checks one value against a schema: every problem, not just the first. */
export function checkValue(schema: Pick<ParameterSchema, "type" | "constraints">, value: unknown): { value?: unknown; errors: string[] } {
  const { maxDepth, maxValueBytes } = inputLimits();
  // Before and after coercion: a json parameter may arrive as text.
  const tooBig = (v: unknown): string | undefined => {
    if (tooDeepAt(v, maxDepth) !== undefined) return `The value is ${tooDeepMessage(maxDepth)}`;
    const size = jsonSize(v, maxValueBytes);
    return size > maxValueBytes ? tooLargeMessage("The value", maxValueBytes, typeof v === "string" ? size - 2 : undefined) : undefined;
  };
  const before = tooBig(value);
  if (before) return { errors: [before] };
  const c = coerce(schema.type, value);
  if ("error" in c) return { errors: [c.error] };
  const after = tooBig(c.value);
  if (after) return { errors: [after] };
  return { value: c.value, errors: violations(c.value, schema.type, schema.constraints) };
}

/** Reads the parameters section. */
export function parseParameterSchemas(raw: unknown, path = "parameters"): { schemas: ParameterSchema[]; diagnostics: Diagnostic[] } {
  const schemas: ParameterSchema[] = [];
  const diagnostics: Diagnostic[] = [];
  if (raw === undefined || raw === null) return { schemas, diagnostics };
  if (!isMapping(raw)) return { schemas, diagnostics: [error(path, "The parameters section must be a map")] };
  for (const [name, def] of Object.entries(raw)) {
    const at = joinPath(path, name);
    if (!isMapping(def)) {
      diagnostics.push(error(at, `Parameter "${name}" must be a map with at least a type`));
      continue;
    }
    for (const key of Object.keys(def)) {
      if (!KEYS.includes(key)) diagnostics.push(error(joinPath(at, key), `Invalid key '${key}' for parameter (${name}); allowed keys: ${KEYS.join(", ")}`));
    }
    if (def.type === undefined) {
      diagnostics.push(error(at, `Missing parameter type for parameter: ${name}`));
      continue;
    }
    const type = def.type as ParameterType;
    if (!TYPES.includes(type)) {
      diagnostics.push(error(joinPath(at, "type"), `Invalid type (${heatString(def.type)}) for parameter ${name}; allowed types: ${TYPES.join(", ")}`));
      continue;
    }
    const flag = (key: "hidden" | "immutable"): boolean => {
      const v = def[key];
      if (v === undefined) return false;
      const b = coerce("boolean", v);
      if ("error" in b) {
        diagnostics.push(error(joinPath(at, key), `${key} must be a boolean`));
        return false;
      }
      return b.value as boolean;
    };
    const text = (key: "label" | "description"): string | undefined => {
      const v = def[key];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== "string") diagnostics.push(error(joinPath(at, key), `${key} must be a string`));
      return heatString(v);
    };
    let tags: string[] = [];
    if (def.tags !== undefined) {
      if (!Array.isArray(def.tags) || def.tags.some((t) => typeof t !== "string")) diagnostics.push(error(joinPath(at, "tags"), "tags must be a list of strings"));
      else tags = def.tags as string[];
    }
    const { constraints, diagnostics: cd } = parseConstraints(def.constraints, type, joinPath(at, "constraints"));
    diagnostics.push(...cd);
    const schema: ParameterSchema = { name, type, hidden: flag("hidden"), immutable: flag("immutable"), tags, constraints };
    const label = text("label");
    const description = text("description");
    if (label !== undefined) schema.label = label;
    if (description !== undefined) schema.description = description;
    if ("default" in def && def.default !== undefined) {
      const checked = checkValue(schema, def.default);
      for (const e of checked.errors) diagnostics.push(error(joinPath(at, "default"), `Parameter '${name}' is invalid: Invalid default ${heatString(def.default)} (${e})`));
      schema.default = checked.errors.length === 0 ? checked.value : def.default;
    }
    schemas.push(schema);
  }
  return { schemas, diagnostics };
}

/** Reads parameter_groups: every grouped name must be a parameter, in one group only. */
export function parseParameterGroups(raw: unknown, schemas: ParameterSchema[], path = "parameter_groups"): { groups: ParameterGroup[]; diagnostics: Diagnostic[] } {
  const groups: ParameterGroup[] = [];
  const diagnostics: Diagnostic[] = [];
  if (raw === undefined || raw === null) return { groups, diagnostics };
  if (!Array.isArray(raw)) return { groups, diagnostics: [error(path, "parameter_groups must be a list")] };
  const known = new Set(schemas.map((s) => s.name));
  const seen = new Map<string, number>();
  raw.forEach((g, i) => {
    const at = joinPath(path, i);
    if (!isMapping(g)) return diagnostics.push(error(at, "each parameter group must be a map"));
    const extra = Object.keys(g).filter((k) => !["label", "description", "parameters"].includes(k));
    for (const k of extra) diagnostics.push(error(joinPath(at, k), `unknown key "${k}" in a parameter group; allowed: label, description, parameters`));
    if (g.parameters === undefined) return diagnostics.push(error(at, "Parameters must be provided for each parameter group"));
    if (!Array.isArray(g.parameters)) return diagnostics.push(error(joinPath(at, "parameters"), "The parameters of a parameter group must be a list"));
    const names: string[] = [];
    g.parameters.forEach((p, j) => {
      const pat = joinPath(joinPath(at, "parameters"), j);
      const name = heatString(p);
      if (!known.has(name)) diagnostics.push(error(pat, `The grouped parameter ${name} does not reference a valid parameter`));
      else if (seen.has(name)) diagnostics.push(error(pat, `The ${name} parameter must be assigned to one parameter group only`));
      seen.set(name, i);
      names.push(name);
    });
    const group: ParameterGroup = { parameters: names };
    if (g.label !== undefined) group.label = heatString(g.label);
    if (g.description !== undefined) group.description = heatString(g.description);
    groups.push(group);
  });
  return { groups, diagnostics };
}

export interface ParameterInputs {
  /** Values given with the request; win over everything. */
  given: Readonly<Record<string, unknown>>;
  /** Values from the environments' `parameters` sections, with where each came from. */
  environment: Readonly<Record<string, EnvironmentValue>>;
  /** The environments' parameter_defaults: replace template defaults; unknown names are ignored. */
  defaults: Readonly<Record<string, EnvironmentValue>>;
}

export interface StackIdentity {
  name: string;
  id?: string;
  projectId?: string;
}

const where = (v: EnvironmentValue) => {
  const at = v.position?.();
  return { ...(v.file !== undefined ? { file: v.file } : {}), ...(at ? { line: at.line, column: at.column } : {}) };
};

/** A value as messages show it: short, and never walked when it is nested too deeply to write. */
function preview(value: unknown): string {
  if (tooDeepAt(value, inputLimits().maxDepth) !== undefined) return "(nested too deeply to show)";
  const text = heatString(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}… (${formatBytes(text.length)})` : text;
}
const PREVIEW_CHARS = 200;

/** Every parameter's value (pseudo parameters included); missing or invalid ones are Unresolved and reported. */
export function resolveParameters(schemas: ParameterSchema[], inputs: ParameterInputs, stack: StackIdentity): { values: Map<string, unknown>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const values = new Map<string, unknown>();
  const known = new Set(schemas.map((s) => s.name));
  for (const name of Object.keys(inputs.given)) {
    if (!known.has(name)) diagnostics.push(error("parameters", `The Parameter (${name}) was not defined in template.`));
  }
  for (const [name, v] of Object.entries(inputs.environment)) {
    if (!known.has(name)) diagnostics.push({ ...error(v.path, `The Parameter (${name}) was not defined in template.`), ...where(v) });
  }
  for (const schema of schemas) {
    const { name } = schema;
    let source: (EnvironmentValue & { from: string }) | undefined;
    if (Object.prototype.hasOwnProperty.call(inputs.given, name)) source = { value: inputs.given[name], path: joinPath("parameters", name), from: "given" };
    else if (inputs.environment[name]) source = { ...inputs.environment[name], from: "environment" };
    else if (inputs.defaults[name]) source = { ...inputs.defaults[name], from: "parameter_defaults" };
    if (!source) {
      if ("default" in schema) values.set(name, schema.default);
      else {
        diagnostics.push(error(joinPath("parameters", name), `The Parameter (${name}) was not provided: it has no default and no value was given.`));
        values.set(name, new Unresolved(`parameter ${name} (not provided)`));
      }
      continue;
    }
    // Given, but not known before deployment (a nested stack's, from its resource's get_attr): nothing to check yet.
    if (isUnresolved(source.value)) {
      values.set(name, source.value);
      continue;
    }
    // Strings merged by several files: a string parameter's run on (Heat's merge), a list's by commas (as `value`).
    if (schema.type === "string" && source.pieces) source = { ...source, value: source.pieces.join("") };
    const checked = checkValue(schema, source.value);
    for (const raw of checked.errors) {
      // A hidden parameter's value must not appear in any message.
      const secret = schema.hidden && tooDeepAt(source.value, inputLimits().maxDepth) === undefined ? heatString(source.value) : "";
      const e = secret !== "" ? raw.split(secret).join(MASK) : raw;
      const shown = schema.hidden ? MASK : preview(source.value);
      diagnostics.push({ ...error(source.from === "given" ? joinPath("parameters", name) : source.path, `Parameter '${name}' is invalid: ${e}${source.from === "given" ? "" : ` (value ${shown} from ${source.from})`}`), ...where(source) });
    }
    values.set(name, checked.errors.length === 0 ? checked.value : new Unresolved(`parameter ${name} (invalid)`));
  }
  values.set("OS::stack_name", stack.name);
  values.set("OS::stack_id", stack.id ?? new Unresolved("OS::stack_id"));
  values.set("OS::project_id", stack.projectId ?? new Unresolved("OS::project_id"));
  return { values, diagnostics };
}
