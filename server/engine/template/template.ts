import { error, type Diagnostic } from "../diagnostics";
import { parseParameterGroups, parseParameterSchemas, type ParameterGroup, type ParameterSchema } from "./parameters";
import { joinPath, locate, type PositionIndex } from "./positions";
import { defaultLimits, parseSource, type SourceLimits } from "./source";
import { heatString, isMapping, typeName } from "./values";
import { acceptedVersions, findVersion, outputKeysOf, resourceKeysOf, sectionsOf, type TemplateVersion } from "./versions";

/** A resource's or output's condition: a condition's name, a boolean, or an inline condition expression. */
export type ConditionRef = string | boolean | Record<string, unknown>;

/** A resource as written: values still hold their functions. */
export interface ResourceDefinition {
  name: string;
  type: string;
  properties: Record<string, unknown>;
  metadata: unknown;
  dependsOn: string[];
  deletionPolicy: unknown;
  updatePolicy: unknown;
  /** A condition name or a boolean; absent means always. */
  condition?: ConditionRef;
  externalId?: unknown;
  description?: string;
}

export interface OutputDefinition {
  name: string;
  value: unknown;
  description?: string;
  condition?: ConditionRef;
}

export interface TemplateModel {
  version: TemplateVersion;
  /** heat_template_version as written (a date or a release name). */
  versionName: string;
  description?: string;
  parameters: ParameterSchema[];
  parameterGroups: ParameterGroup[];
  resources: ResourceDefinition[];
  outputs: OutputDefinition[];
  conditions: Record<string, unknown>;
  positions: PositionIndex;
  /** Name of the file this template came from, when it is not the main template. */
  file?: string;
}

export interface ParseOptions {
  limits?: Partial<SourceLimits>;
  /** Set on every diagnostic, for templates that are not the main one (provider templates). */
  file?: string;
}

export const DELETION_POLICIES = ["Delete", "Retain", "Snapshot"];

/** Parses a HOT template (YAML or JSON) and checks its structure; functions are left for loadStack. */
export function parseTemplate(source: string, options: ParseOptions = {}): { template?: TemplateModel; diagnostics: Diagnostic[] } {
  const limits = { ...defaultLimits, ...options.limits };
  const parsed = parseSource(source, limits);
  const finish = (diagnostics: Diagnostic[], template?: TemplateModel) => ({
    ...(template ? { template } : {}),
    diagnostics: locate(diagnostics, parsed.positions, options.file),
  });
  if (parsed.value === undefined) return finish(parsed.diagnostics);
  const diagnostics = [...parsed.diagnostics];
  const root = parsed.value;
  if (!isMapping(root)) return finish([...diagnostics, error("", `A template must be a map of sections, not ${typeName(root)}`)]);

  const versionName = root.heat_template_version;
  if (versionName === undefined) {
    const cfn = "AWSTemplateFormatVersion" in root || "HeatTemplateFormatVersion" in root;
    return finish([...diagnostics, error("", cfn
      ? "CloudFormation-format templates are not supported; write heat_template_version (HOT)"
      : `Template format version not found: add heat_template_version (one of ${acceptedVersions.join(", ")})`)]);
  }
  const version = findVersion(heatString(versionName));
  if (!version) {
    return finish([...diagnostics, error("heat_template_version",
      `The template version is invalid: "heat_template_version: ${heatString(versionName)}". It should be one of: ${acceptedVersions.join(", ")}`)]);
  }

  const sections = sectionsOf(version);
  for (const key of Object.keys(root)) {
    if (!sections.includes(key)) {
      const hint = key === "conditions" ? ` (conditions need heat_template_version 2016-10-14 or later)` : "";
      diagnostics.push(error(key, `The template section is invalid: ${key}${hint}. Allowed sections: ${sections.join(", ")}`));
    }
  }
  if (root.description !== undefined && typeof root.description !== "string") diagnostics.push(error("description", "description must be a string"));

  const { schemas, diagnostics: pd } = parseParameterSchemas(root.parameters);
  const { groups, diagnostics: gd } = parseParameterGroups(root.parameter_groups, schemas);
  diagnostics.push(...pd, ...gd);

  let conditions: Record<string, unknown> = {};
  if (version.hasConditions && root.conditions !== undefined && root.conditions !== null) {
    if (!isMapping(root.conditions)) diagnostics.push(error("conditions", "The conditions section must be a map"));
    else conditions = root.conditions;
  }

  const checkCondition = (raw: unknown, path: string): ConditionRef | undefined => {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === "boolean" || isMapping(raw)) return raw;
    if (typeof raw === "string" && raw in conditions) return raw;
    diagnostics.push(error(path, `Invalid condition "${heatString(raw)}": it must be a boolean, the name of a condition in the conditions section, or a condition expression`));
    return undefined;
  };

  const resources: ResourceDefinition[] = [];
  if (root.resources !== undefined && root.resources !== null) {
    if (!isMapping(root.resources)) diagnostics.push(error("resources", "The resources section must be a map"));
    else {
      // How many resources a stack may hold is the tree limit's to say (validation/treeSize.ts).
      const names = Object.keys(root.resources);
      const keys = resourceKeysOf(version);
      for (const [name, def] of Object.entries(root.resources)) {
        const at = joinPath("resources", name);
        const r = parseResource(name, def, at, keys, diagnostics, checkCondition);
        if (r) resources.push(r);
      }
      const known = new Set(names);
      for (const r of resources) {
        r.dependsOn.forEach((target, i) => {
          if (!known.has(target)) diagnostics.push(error(joinPath(joinPath(`resources.${r.name}`, "depends_on"), i), `The specified reference "${target}" (in ${r.name}) is incorrect: there is no such resource`));
        });
      }
    }
  }

  const outputs: OutputDefinition[] = [];
  if (root.outputs !== undefined && root.outputs !== null) {
    if (!isMapping(root.outputs)) diagnostics.push(error("outputs", "The outputs section must be a map"));
    else {
      const keys = outputKeysOf(version);
      for (const [name, def] of Object.entries(root.outputs)) {
        const at = joinPath("outputs", name);
        if (!isMapping(def)) {
          diagnostics.push(error(at, "Each output definition must be a map with a value key"));
          continue;
        }
        for (const k of Object.keys(def)) if (!keys.includes(k)) diagnostics.push(error(joinPath(at, k), `"${k}" is not a valid keyword inside an output definition; allowed: ${keys.join(", ")}`));
        if (!("value" in def)) diagnostics.push(error(at, "Each output definition must contain a value key"));
        const o: OutputDefinition = { name, value: def.value ?? null };
        if (def.description !== undefined) o.description = heatString(def.description);
        const cond = checkCondition(def.condition, joinPath(at, "condition"));
        if (cond !== undefined) o.condition = cond;
        outputs.push(o);
      }
    }
  }

  const template: TemplateModel = {
    version,
    versionName: heatString(versionName),
    parameters: schemas,
    parameterGroups: groups,
    resources,
    outputs,
    conditions,
    positions: parsed.positions,
    ...(typeof root.description === "string" ? { description: root.description } : {}),
    ...(options.file !== undefined ? { file: options.file } : {}),
  };
  return finish(diagnostics, template);
}

function parseResource(
  name: string,
  def: unknown,
  at: string,
  keys: string[],
  diagnostics: Diagnostic[],
  checkCondition: (raw: unknown, path: string) => ConditionRef | undefined,
): ResourceDefinition | undefined {
  if (!isMapping(def)) {
    diagnostics.push(error(at, `Resource ${name} must be a map with at least a type`));
    return undefined;
  }
  for (const k of Object.keys(def)) {
    if (!keys.includes(k)) diagnostics.push(error(joinPath(at, k), `"${k}" is not a valid keyword inside a resource definition; allowed: ${keys.join(", ")}`));
  }
  if (typeof def.type !== "string" || def.type === "") {
    diagnostics.push(error(def.type === undefined ? at : joinPath(at, "type"), def.type === undefined ? `Resource ${name} has no type` : `Resource ${name}: type must be a string`));
    return undefined;
  }
  const mapOrNull = (key: string): Record<string, unknown> | undefined => {
    const v = def[key];
    if (v === undefined || v === null) return undefined;
    if (!isMapping(v)) {
      diagnostics.push(error(joinPath(at, key), `${key} of resource ${name} must be a map, not ${typeName(v)}`));
      return undefined;
    }
    return v;
  };
  const properties = mapOrNull("properties") ?? {};
  const metadata = mapOrNull("metadata");
  const updatePolicy = mapOrNull("update_policy");

  let dependsOn: string[] = [];
  const dep = def.depends_on;
  if (typeof dep === "string") dependsOn = [dep];
  else if (Array.isArray(dep) && dep.every((d) => typeof d === "string")) dependsOn = dep;
  else if (dep !== undefined && dep !== null) diagnostics.push(error(joinPath(at, "depends_on"), `depends_on of resource ${name} must be a resource name or a list of resource names`));

  let deletionPolicy: unknown = def.deletion_policy;
  if (typeof deletionPolicy === "string") {
    const match = DELETION_POLICIES.find((p) => p.toLowerCase() === (deletionPolicy as string).toLowerCase());
    if (!match) diagnostics.push(error(joinPath(at, "deletion_policy"), `Invalid deletion policy "${deletionPolicy}"; allowed: ${DELETION_POLICIES.join(", ")}`));
    else deletionPolicy = match;
  }

  const r: ResourceDefinition = { name, type: def.type, properties, metadata: metadata ?? {}, dependsOn, deletionPolicy: deletionPolicy ?? "Delete", updatePolicy: updatePolicy ?? {} };
  const cond = checkCondition(def.condition, joinPath(at, "condition"));
  if (cond !== undefined) r.condition = cond;
  if (def.external_id !== undefined && def.external_id !== null) r.externalId = def.external_id;
  if (def.description !== undefined) r.description = heatString(def.description);
  return r;
}
