import { attributesOf, type Constraint, type PropertySchema, type ResourceTypeSchema, type SupportStatus } from "./schema";

/**
 * JSON renderings shaped like Heat's API answers, so `openstack orchestration resource type
 * show` / `list` clients and people used to them read Kiln's output unchanged.
 */

export interface PropertyJson {
  type: string;
  description?: string;
  default?: unknown;
  schema?: Record<string, PropertyJson>;
  required: boolean;
  constraints?: Record<string, unknown>[];
  update_allowed: boolean;
  immutable: boolean;
}

export interface SupportStatusJson {
  status: string;
  message: string | null;
  version: string | null;
  previous_status: SupportStatusJson | null;
}

export interface ResourceTypeJson {
  resource_type: string;
  properties: Record<string, PropertyJson>;
  attributes: Record<string, { description: string; type?: string }>;
  support_status: SupportStatusJson;
  description?: string;
}

export function resourceTypeJson(type: ResourceTypeSchema, options: { withDescription?: boolean } = {}): ResourceTypeJson {
  const properties: Record<string, PropertyJson> = {};
  for (const [name, schema] of Object.entries(type.properties)) {
    if (schema.supportStatus?.status !== "HIDDEN") properties[name] = propertyJson(schema);
  }
  const attributes: ResourceTypeJson["attributes"] = {};
  for (const [name, schema] of Object.entries(attributesOf(type))) {
    if (schema.supportStatus?.status === "HIDDEN") continue;
    attributes[name] = { description: schema.description, ...(schema.type && { type: schema.type.toLowerCase() }) };
  }
  const json: ResourceTypeJson = {
    resource_type: type.type,
    properties,
    attributes,
    support_status: supportStatusJson(type.supportStatus),
  };
  if (options.withDescription) json.description = type.description;
  return json;
}

function propertyJson(schema: PropertySchema): PropertyJson {
  const json: PropertyJson = { type: schema.type.toLowerCase(), required: false, update_allowed: false, immutable: false };
  if (schema.description !== undefined) json.description = schema.description;
  if (schema.default !== undefined) json.default = schema.default;
  if (schema.schema) json.schema = Object.fromEntries(Object.entries(schema.schema).map(([k, v]) => [k, propertyJson(v)]));
  if (schema.item) json.schema = { "*": propertyJson(schema.item) };
  json.required = schema.required;
  if (schema.constraints.length) json.constraints = schema.constraints.map(constraintJson);
  json.update_allowed = schema.updateAllowed;
  json.immutable = schema.immutable;
  return json;
}

function constraintJson(constraint: Constraint): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (constraint.description !== undefined) json.description = constraint.description;
  switch (constraint.kind) {
    case "range":
    case "length":
      json[constraint.kind] = {
        ...(constraint.min !== undefined && { min: constraint.min }),
        ...(constraint.max !== undefined && { max: constraint.max }),
      };
      break;
    case "allowed_values":
      json.allowed_values = [...constraint.values];
      break;
    case "allowed_pattern":
      json.allowed_pattern = constraint.pattern;
      break;
    case "modulo":
      json.modulo = { step: constraint.step, offset: constraint.offset };
      break;
    case "custom_constraint":
      json.custom_constraint = constraint.name;
      break;
  }
  return json;
}

function supportStatusJson(status: SupportStatus): SupportStatusJson {
  return {
    status: status.status,
    message: status.message ?? null,
    version: status.version ?? null,
    previous_status: status.previous ? supportStatusJson(status.previous) : null,
  };
}
