import { error, warning, type Diagnostic } from "../diagnostics";
import { isUnresolved } from "../unresolved";
import { closest } from "./closestName";
import type { Constraint, PropertySchema, ResourceTypeSchema, SupportStatus } from "./schema";

/**
 * Checks property values against a type's schema and coerces them the way Heat does:
 * "42" is an Integer, "TRUE"/"false" a Boolean, 7 or true a String ("7", "True"). Missing
 * values take their defaults; null counts as missing. A value that is Unresolved (known
 * only at deploy time), at any depth, is passed through unchecked.
 *
 * Every problem is reported, each with the path of the offending value, what is wrong and
 * what would be accepted.
 */

/** Returns a message when the value is not acceptable, undefined when it is; `path` is where the value was given. */
export type CustomConstraintCheck = (value: unknown, path: string) => string | undefined;

export interface ValidatePropertiesOptions {
  /** Path of the properties section, e.g. `resources.web.properties`. */
  path: string;
  /** Named in the message listing allowed properties, e.g. `OS::Heat::RandomString`. */
  typeName?: string;
  /** Checks for `custom_constraint`s by name; constraints without one are not checked. */
  customConstraints?: Readonly<Record<string, CustomConstraintCheck>>;
  /**
   * The values were resolved at deploy time, so a null given for a required property came from
   * a function (a literal null was refused at validate): it is passed on as null, as Heat does,
   * not refused as missing.
   */
  resolved?: boolean;
  /** What is checked, for the messages: a resource's `properties` (the default) or its `update_policy`, whose entries are keys. */
  section?: "properties" | "update_policy";
}

export interface ValidatedProperties {
  /** Coerced values with defaults filled in; only meaningful where there is no error. */
  values: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

export function validateProperties(
  schema: Readonly<Record<string, PropertySchema>>,
  data: unknown,
  options: ValidatePropertiesOptions,
): ValidatedProperties {
  const diagnostics: Diagnostic[] = [];
  const ctx: Context = { diagnostics, customConstraints: options.customConstraints ?? {}, resolved: options.resolved ?? false };
  if (isUnresolved(data)) return { values: {}, diagnostics };
  if (data !== undefined && data !== null && !isPlainMap(data)) {
    const names = options.section === "update_policy" ? "policy names" : "property names";
    diagnostics.push(error(options.path, `${options.section ?? "properties"} must be a map of ${names} to values, not ${describe(data)}`));
    return { values: {}, diagnostics };
  }
  const noun = options.section === "update_policy" ? "key" : "property";
  const values = checkFields(schema, (data ?? {}) as Record<string, unknown>, options.path, ctx, options.typeName, noun);
  return { values, diagnostics };
}

/** A resource's update_policy checked against its type's, defaults filled in; nothing for a type that has none (Heat ignores it there). */
export function updatePolicyFor(type: Pick<ResourceTypeSchema, "updatePolicy">, data: unknown, options: Omit<ValidatePropertiesOptions, "section">): ValidatedProperties {
  if (!type.updatePolicy) return { values: {}, diagnostics: [] };
  return validateProperties(type.updatePolicy, data, { ...options, section: "update_policy" });
}

/** The properties a resource of this type is given: as written, or checked against its schema with defaults filled in. */
export function propertiesFor(
  type: Pick<ResourceTypeSchema, "properties" | "uncheckedProperties">,
  data: unknown,
  options: ValidatePropertiesOptions,
): ValidatedProperties {
  if (type.uncheckedProperties && (data === undefined || data === null || isPlainMap(data))) return { values: (data ?? {}) as Record<string, unknown>, diagnostics: [] };
  return validateProperties(type.properties, data, options);
}

/** Checks one value against one property schema (e.g. a parameter passed to a provider). */
export function validatePropertyValue(
  schema: PropertySchema,
  value: unknown,
  path: string,
  customConstraints: Readonly<Record<string, CustomConstraintCheck>> = {},
): { value: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const coerced = checkValue(schema, value, path, { diagnostics, customConstraints, resolved: false });
  return { value: coerced, diagnostics };
}

interface Context {
  diagnostics: Diagnostic[];
  customConstraints: Readonly<Record<string, CustomConstraintCheck>>;
  resolved: boolean;
}

const NOT_VALID = Symbol("not valid");

function checkFields(
  schema: Readonly<Record<string, PropertySchema>>,
  data: Record<string, unknown>,
  path: string,
  ctx: Context,
  owner: string | undefined,
  noun: "property" | "key",
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    if (Object.hasOwn(schema, key)) continue;
    const allowed = Object.keys(schema).filter((name) => schema[name]!.supportStatus?.status !== "HIDDEN").sort();
    const suggestion = closest(key, allowed);
    const where = owner ? `${owner} allows` : "allowed";
    ctx.diagnostics.push(
      error(
        join(path, key),
        `unknown ${noun} "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ""}` +
          (allowed.length ? ` (${where}: ${allowed.join(", ")})` : ` (${owner ?? "this map"} takes no ${noun === "property" ? "properties" : "keys"})`),
      ),
    );
  }
  for (const [key, propertySchema] of Object.entries(schema)) {
    const given = Object.hasOwn(data, key) ? data[key] : undefined;
    if (given === undefined || given === null) {
      if (propertySchema.default !== undefined) values[key] = structuredClone(propertySchema.default);
      else if (given === null && ctx.resolved) values[key] = null;
      else if (propertySchema.required)
        ctx.diagnostics.push(error(path, `${noun} "${key}" is required but missing (${expectation(propertySchema)})`));
      continue;
    }
    const retired = retirement(propertySchema.supportStatus);
    if (retired) ctx.diagnostics.push(warning(join(path, key), `${noun} "${key}" is ${retired}`));
    const value = checkValue(propertySchema, given, join(path, key), ctx);
    if (value !== NOT_VALID) values[key] = value;
  }
  return values;
}

function checkValue(schema: PropertySchema, raw: unknown, path: string, ctx: Context): unknown {
  if (isUnresolved(raw)) return raw;
  const value = coerce(schema, raw, path, ctx);
  if (value === NOT_VALID) return NOT_VALID;
  for (const constraint of schema.constraints) {
    const problem = violation(constraint, value, schema, ctx, path);
    if (problem) ctx.diagnostics.push(error(path, constraint.description ? `${constraint.description} (got ${describe(value)})` : problem));
  }
  return value;
}

function coerce(schema: PropertySchema, raw: unknown, path: string, ctx: Context): unknown {
  const wrong = () => {
    const got = typeof raw === "number" && !Number.isFinite(raw) ? `${raw}, which is not a finite number` : describe(raw);
    ctx.diagnostics.push(error(path, `${expectation(schema)} expected, got ${got}`));
    return NOT_VALID;
  };
  switch (schema.type) {
    case "Any":
      return raw;
    case "String":
      if (typeof raw === "string") return raw;
      // Heat takes integers and booleans as their Python string forms, but not floats.
      if (typeof raw === "number" && Number.isInteger(raw)) return String(raw);
      if (typeof raw === "boolean") return raw ? "True" : "False";
      return wrong();
    case "Integer": {
      const n = toNumber(raw);
      if (n !== undefined && Number.isInteger(n) && !Number.isSafeInteger(n)) {
        // 1e308 is whole, but no count, size or timeout that large means anything, and using
        // it (a loop to count, a timer) would hold the process for good.
        ctx.diagnostics.push(error(path, `${n} is not an integer in the range ${-Number.MAX_SAFE_INTEGER}..${Number.MAX_SAFE_INTEGER}${rangeNote(schema)}`));
        return NOT_VALID;
      }
      if (n === undefined || !Number.isInteger(n)) return wrong();
      return n;
    }
    case "Number": {
      const n = toNumber(raw);
      return n === undefined ? wrong() : n;
    }
    case "Boolean":
      if (typeof raw === "boolean") return raw;
      if (typeof raw === "string" && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
      return wrong();
    case "Map": {
      if (!isPlainMap(raw)) return wrong();
      if (!schema.schema) return raw;
      return checkFields(schema.schema, raw, path, ctx, undefined, "key");
    }
    case "List": {
      if (!Array.isArray(raw)) return wrong();
      if (!schema.item) return raw;
      const item = schema.item;
      let valid = true;
      const values = raw.map((entry, index) => {
        const entryPath = join(path, String(index));
        if (entry === null || entry === undefined) {
          if (item.default !== undefined) return structuredClone(item.default);
          ctx.diagnostics.push(error(entryPath, `${expectation(item)} expected, got null`));
          valid = false;
          return entry;
        }
        const v = checkValue(item, entry, entryPath, ctx);
        if (v === NOT_VALID) valid = false;
        return v;
      });
      return valid ? values : raw;
    }
  }
}

/** Finite numbers, and strings that spell one (as Python's int()/float() accept them; "1e999" is not finite). */
function toNumber(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== "string") return undefined;
  const text = raw.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** The schema's own range, when it declares one, to say what would be accepted. */
function rangeNote(schema: PropertySchema): string {
  const r = schema.constraints.find((c) => c.kind === "range");
  return r ? `; ${bounds("the value", r.min, r.max)}` : "";
}

function violation(constraint: Constraint, value: unknown, schema: PropertySchema, ctx: Context, path: string): string | undefined {
  switch (constraint.kind) {
    case "range": {
      if (typeof value !== "number") return undefined;
      if (outside(value, constraint.min, constraint.max))
        return `${value} is out of range: ${bounds("the value", constraint.min, constraint.max)}`;
      return undefined;
    }
    case "length": {
      const size = typeof value === "string" || Array.isArray(value) ? value.length : isPlainMap(value) ? Object.keys(value).length : undefined;
      if (size === undefined || !outside(size, constraint.min, constraint.max)) return undefined;
      const unit = typeof value === "string" ? "characters" : Array.isArray(value) ? "entries" : "keys";
      return `${describe(value)} has ${size} ${unit}: ${bounds("the length", constraint.min, constraint.max)}`;
    }
    case "allowed_values": {
      const allowed = constraint.values.map((v) => (schema.type === "Integer" || schema.type === "Number" ? toNumber(v) ?? v : v));
      const list = constraint.values.map((v) => JSON.stringify(v)).join(", ");
      if (Array.isArray(value)) {
        const bad = value.filter((entry) => !isUnresolved(entry) && !allowed.includes(entry as never));
        return bad.length ? `${bad.map((v) => JSON.stringify(v)).join(", ")} ${bad.length === 1 ? "is not an allowed value" : "are not allowed values"}; allowed values: ${list}` : undefined;
      }
      return allowed.includes(value as never) ? undefined : `${JSON.stringify(value)} is not an allowed value; allowed values: ${list}`;
    }
    case "allowed_pattern": {
      if (typeof value !== "string") return undefined;
      let pattern: RegExp;
      try {
        pattern = new RegExp(`^(?:${constraint.pattern})$`, "u");
      } catch {
        return `the allowed pattern "${constraint.pattern}" is not a valid regular expression`;
      }
      return pattern.test(value) ? undefined : `${describe(value)} does not match the allowed pattern "${constraint.pattern}"`;
    }
    case "modulo": {
      if (typeof value !== "number") return undefined;
      const remainder = ((value % constraint.step) + constraint.step) % constraint.step;
      return remainder === constraint.offset
        ? undefined
        : `${value} is not allowed: the value must be a multiple of ${constraint.step} plus ${constraint.offset}`;
    }
    case "custom_constraint": {
      const check = ctx.customConstraints[constraint.name];
      const problem = check?.(value, path);
      return problem === undefined ? undefined : `${describe(value)} is not valid (${constraint.name}): ${problem}`;
    }
  }
}

function outside(n: number, min?: number, max?: number): boolean {
  return (min !== undefined && n < min) || (max !== undefined && n > max);
}

function bounds(what: string, min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `${what} must be between ${min} and ${max}`;
  if (min !== undefined) return `${what} must be at least ${min}`;
  return `${what} must be at most ${max}`;
}

/** "an integer", with the allowed values or pattern when the schema has them. */
function expectation(schema: PropertySchema): string {
  const noun: Record<PropertySchema["type"], string> = {
    String: "a string",
    Integer: "an integer",
    Number: "a number",
    Boolean: "a boolean (true or false)",
    Map: "a map",
    List: "a list",
    Any: "a value",
  };
  const allowed = schema.constraints.find((c) => c.kind === "allowed_values");
  if (allowed) {
    const values = allowed.values.map((v) => JSON.stringify(v)).join(", ");
    return schema.type === "List" ? `a list (entries from ${values})` : `${noun[schema.type]} (one of ${values})`;
  }
  return noun[schema.type];
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isPlainMap(value)) return "a map";
  if (typeof value === "string") {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `the string ${JSON.stringify(text)}`;
  }
  if (typeof value === "number") return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  return String(value);
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isUnresolved(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * What to warn about a property still given that Heat has retired: deprecated, or hidden (still
 * accepted from old templates, gone from the docs), with the advice of the status that gave it.
 */
function retirement(status: SupportStatus | undefined): string | undefined {
  if (!status || (status.status !== "DEPRECATED" && status.status !== "HIDDEN")) return undefined;
  let advice: string | undefined;
  for (let s: SupportStatus | undefined = status; s && !advice; s = s.previous) advice = s.message;
  const what = status.status === "HIDDEN" ? `deprecated and hidden${status.version ? ` since Heat ${status.version}` : ""}` : "deprecated";
  return advice ? `${what}: ${advice}` : what;
}
