/**
 * The declarative schema of a resource type: its properties (with types, defaults and
 * constraints, as in Heat's `properties_schema`) and its attributes. A type's behaviour
 * (create/update/delete/check handlers) is attached by the convergence engine later by
 * extending `ResourceTypeSchema`; nothing here knows what a resource does.
 */

export type PropertyType = "String" | "Integer" | "Number" | "Boolean" | "Map" | "List" | "Any";
export type AttributeType = "String" | "Integer" | "Number" | "Boolean" | "Map" | "List";

export interface SupportStatus {
  status: "SUPPORTED" | "DEPRECATED" | "HIDDEN" | "UNSUPPORTED";
  /** The Heat release that introduced this status, e.g. "2014.1" or "7.0.0". */
  version?: string;
  message?: string;
  previous?: SupportStatus;
}

interface ConstraintBase {
  /** Replaces the generated message when a value violates the constraint (as in Heat). */
  description?: string;
}

/** Inclusive bounds on the length of a String, List (entries) or Map (keys). */
export interface LengthConstraint extends ConstraintBase { kind: "length"; min?: number; max?: number }
/** Inclusive bounds on an Integer or Number. */
export interface RangeConstraint extends ConstraintBase { kind: "range"; min?: number; max?: number }
/** For a List, every entry must be one of the values. */
export interface AllowedValuesConstraint extends ConstraintBase {
  kind: "allowed_values";
  values: readonly (string | number | boolean)[];
}
/** The whole string must match the (JavaScript) regular expression. */
export interface AllowedPatternConstraint extends ConstraintBase { kind: "allowed_pattern"; pattern: string }
/** value mod step == offset, with the sign of step (Python's modulo). */
export interface ModuloConstraint extends ConstraintBase { kind: "modulo"; step: number; offset: number }
/** Checked by a named validator supplied by the caller; skipped when none is supplied. */
export interface CustomConstraint extends ConstraintBase { kind: "custom_constraint"; name: string }

export type Constraint =
  | LengthConstraint
  | RangeConstraint
  | AllowedValuesConstraint
  | AllowedPatternConstraint
  | ModuloConstraint
  | CustomConstraint;

export interface PropertySchema {
  type: PropertyType;
  description?: string;
  required: boolean;
  /** Used when the template gives no value (or null). */
  default?: unknown;
  constraints: readonly Constraint[];
  /** An update changing it updates the resource in place; otherwise the resource is replaced. */
  updateAllowed: boolean;
  /** An update must not change it at all. */
  immutable: boolean;
  /** Map only: the schema of each known key (unknown keys are then errors). */
  schema?: Readonly<Record<string, PropertySchema>>;
  /** List only: the schema every entry must satisfy. */
  item?: PropertySchema;
  supportStatus?: SupportStatus;
}

export interface AttributeSchema {
  description: string;
  /** Heat leaves some attributes untyped (e.g. TestResource `output`). */
  type?: AttributeType;
  supportStatus?: SupportStatus;
}

export interface ResourceTypeSchema {
  /** e.g. "OS::Heat::RandomString". */
  type: string;
  description: string;
  properties: Readonly<Record<string, PropertySchema>>;
  /** The type's own attributes; the common `show` attribute is added by `attributesOf`. */
  attributes: Readonly<Record<string, AttributeSchema>>;
  supportStatus: SupportStatus;
  /**
   * get_attr may name attributes beyond the declared ones (ResourceGroup members' attributes
   * and `resource.N`, SoftwareDeployment's config outputs), so names are not checked.
   */
  dynamicAttributes?: boolean;
  /**
   * Properties are taken as written, unchecked: a provider template's are its template's
   * parameters, which check them; OS::Heat::None stands in for any type, so takes any.
   */
  uncheckedProperties?: boolean;
  /**
   * The keys its `update_policy` may have (Heat's update_policy_schema), checked as properties
   * are. A type without one ignores whatever update_policy it is given, as Heat does.
   */
  updatePolicy?: Readonly<Record<string, PropertySchema>>;
}

/** Attributes every resource type has, whatever it declares (Heat's base attributes). */
export const commonAttributes: Readonly<Record<string, AttributeSchema>> = {
  show: { description: "All the details the resource's backing object reports, as a map.", type: "Map" },
};

/** Declared attributes plus the common ones. */
export function attributesOf(type: ResourceTypeSchema): Record<string, AttributeSchema> {
  return { ...type.attributes, ...commonAttributes };
}

/**
 * The attribute names a get_attr on this type may use: a set, or "any" when the type's
 * attributes are dynamic.
 */
export function attributeNamesOf(type: ResourceTypeSchema): ReadonlySet<string> | "any" {
  if (type.dynamicAttributes) return "any";
  return new Set(Object.keys(attributesOf(type)));
}

// ---- Builders, so type files read like a table ----

export interface PropertyOptions {
  required?: boolean;
  default?: unknown;
  constraints?: Constraint[];
  updateAllowed?: boolean;
  immutable?: boolean;
  supportStatus?: SupportStatus;
}

function property(type: PropertyType, description: string | undefined, options: PropertyOptions): PropertySchema {
  const schema: PropertySchema = {
    type,
    required: options.required ?? false,
    constraints: options.constraints ?? [],
    updateAllowed: options.updateAllowed ?? false,
    immutable: options.immutable ?? false,
  };
  if (description !== undefined) schema.description = description;
  if (options.default !== undefined) schema.default = options.default;
  if (options.supportStatus) schema.supportStatus = options.supportStatus;
  return schema;
}

export const prop = {
  string: (description: string, options: PropertyOptions = {}) => property("String", description, options),
  integer: (description: string, options: PropertyOptions = {}) => property("Integer", description, options),
  number: (description: string, options: PropertyOptions = {}) => property("Number", description, options),
  boolean: (description: string, options: PropertyOptions = {}) => property("Boolean", description, options),
  any: (description: string, options: PropertyOptions = {}) => property("Any", description, options),
  /** A map; with `schema`, its keys are checked against it. */
  map: (
    description: string | undefined,
    options: PropertyOptions & { schema?: Record<string, PropertySchema> } = {},
  ): PropertySchema => {
    const schema = property("Map", description, options);
    if (options.schema) schema.schema = options.schema;
    return schema;
  },
  /** A list; with `item`, every entry is checked against it. */
  list: (description: string, options: PropertyOptions & { item?: PropertySchema } = {}): PropertySchema => {
    const schema = property("List", description, options);
    if (options.item) schema.item = options.item;
    return schema;
  },
};

export const attr = (description: string, type?: AttributeType, supportStatus?: SupportStatus): AttributeSchema => {
  const schema: AttributeSchema = { description };
  if (type) schema.type = type;
  if (supportStatus) schema.supportStatus = supportStatus;
  return schema;
};

export const range = (min?: number, max?: number, description?: string): RangeConstraint => ({
  kind: "range",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  ...(description !== undefined && { description }),
});
export const length = (min?: number, max?: number, description?: string): LengthConstraint => ({
  kind: "length",
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
  ...(description !== undefined && { description }),
});
export const allowedValues = (values: readonly (string | number | boolean)[], description?: string): AllowedValuesConstraint => ({
  kind: "allowed_values",
  values,
  ...(description !== undefined && { description }),
});
export const allowedPattern = (pattern: string, description?: string): AllowedPatternConstraint => ({
  kind: "allowed_pattern",
  pattern,
  ...(description !== undefined && { description }),
});
export const modulo = (step: number, offset: number, description?: string): ModuloConstraint => ({
  kind: "modulo",
  step,
  offset,
  ...(description !== undefined && { description }),
});
export const customConstraint = (name: string, description?: string): CustomConstraint => ({
  kind: "custom_constraint",
  name,
  ...(description !== undefined && { description }),
});

export const supported = (version?: string): SupportStatus => ({ status: "SUPPORTED", ...(version && { version }) });
