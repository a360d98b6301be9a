/** Heat's routes about templates rather than stacks: validate, resource types, template versions and their functions, build info. */
import { acceptedVersions, findVersion } from "../../engine/template/versions";
import type { Constraint } from "../../engine/template/constraints";
import { PatternTooSlow } from "../../engine/userPattern";
import { NotFound } from "../../services/stacks";
import { asDiagnostics, parametersOf, resourceTypes, validateTemplateInCloud } from "../../services/templates";
import type { LoadedStack } from "../../engine/template";
import type { NestedParameters } from "../../engine/validation/nestedParameters";
import { versionInfo } from "../../version";
import { TemplateInvalid } from "../../engine/errors";
import { hiddenValues, maskHidden, secretSet } from "../../engine/template/hiddenValues";
import { bad, boolParam, ok, type HeatAnswer, type HeatContext } from "./heatRequest";
import { mergedEnvironment } from "../../services/environment";
import { submissionOf } from "./heatSubmission";

const HEAT_PARAMETER_TYPE: Record<string, string> = { string: "String", number: "Number", comma_delimited_list: "CommaDelimitedList", json: "Json", boolean: "Boolean" };

/**
 * A parameter's constraints as Heat's validate lists them (tools build their forms from these):
 * a field per bound, the allowed values or pattern, and the constraints' descriptions in one.
 */
function constraintFields(constraints: readonly Constraint[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const described: string[] = [];
  for (const c of constraints) {
    if (c.kind === "length" || c.kind === "range") {
      const [min, max] = c.kind === "length" ? ["MinLength", "MaxLength"] : ["MinValue", "MaxValue"];
      if (c.min !== undefined) fields[min] = c.min;
      if (c.max !== undefined) fields[max] = c.max;
    } else if (c.kind === "modulo") Object.assign(fields, { Step: c.step, Offset: c.offset });
    else if (c.kind === "allowed_values") fields.AllowedValues = c.values;
    else if (c.kind === "allowed_pattern") fields.AllowedPattern = c.pattern;
    else if (c.kind === "custom_constraint") fields.CustomConstraint = c.name;
    if (c.description) described.push(c.description);
  }
  if (described.length) fields.ConstraintDescription = described.join(" ");
  return fields;
}

export async function validateRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { request: submission, run, tell } = await submissionOf(ctx, { requireTemplate: true });
  const v = await validateTemplateInCloud(submission, ctx.rt.limits, await ctx.rt.clouds?.forProject(ctx.project.id));
  if (!v.valid) throw tell(new TemplateInvalid(asDiagnostics(v.errors)));
  const { loaded, nested } = await run(async () => parametersOf(submission, boolParam(ctx.query, "show_nested") ?? false));
  return ok({
    ...parametersView(loaded, submission.parameters ?? {}),
    // A hidden value handed down shows masked, however deep, where the parameter it reaches is not hidden.
    ...maskHidden(nestedView(nested), secretSet(hiddenValues(loaded.parameters.schema, loaded.parameters.values), ...hiddenWithin(nested))),
    Environment: mergedEnvironment(submission.environment ?? []),
  });
}

/**
 * A stack's parameters as Heat's validate shows them: `Default` is the environment's
 * parameter_defaults value where it sets one, else the template's; `Value` what the request or
 * the environment's parameters give. A hidden parameter's given values show masked.
 */
function parametersView(loaded: LoadedStack, given: Record<string, unknown>) {
  const { schema, groups } = loaded.parameters;
  const env = loaded.environment;
  const parameters = Object.fromEntries(
    schema.map((p) => {
      const fromEnvironment = env.parameterDefaults[p.name];
      const value = given[p.name] ?? env.parameters[p.name]?.value;
      const shown = (v: unknown) => (p.hidden ? "******" : v);
      return [
        p.name,
        {
          Type: HEAT_PARAMETER_TYPE[p.type] ?? p.type,
          Description: p.description ?? "",
          Label: p.label ?? p.name,
          NoEcho: p.hidden ? "true" : "false",
          ...(fromEnvironment ? { Default: shown(fromEnvironment.value) } : p.default !== undefined ? { Default: p.default } : {}),
          ...(value !== undefined ? { Value: shown(value) } : {}),
          ...(p.tags.length ? { Tags: p.tags } : {}),
          ...constraintFields(p.constraints),
        },
      ];
    }),
  );
  return {
    Description: loaded.template?.description ?? "No description",
    Parameters: parameters,
    ...(groups.length ? { ParameterGroups: groups } : {}),
  };
}

function hiddenWithin(nested: Record<string, NestedParameters>): string[][] {
  return Object.values(nested).flatMap((n) => [hiddenValues(n.loaded.parameters.schema, n.loaded.parameters.values), ...hiddenWithin(n.nested)]);
}

/** show_nested: each nested stack's parameters, by the resource that would build it, and theirs within. */
function nestedView(nested: Record<string, NestedParameters>): { NestedParameters?: Record<string, unknown> } {
  const entries = Object.entries(nested);
  if (!entries.length) return {};
  return { NestedParameters: Object.fromEntries(entries.map(([name, n]) => [name, { Type: n.type, ...parametersView(n.loaded, n.given), ...nestedView(n.nested) }])) };
}

export function listTypesRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const name = ctx.query.get("type_name") ?? ctx.query.get("name") ?? undefined;
  const status = ctx.query.get("support_status") ?? undefined;
  const withDescription = boolParam(ctx.query, "with_description") ?? false;
  if (status && !["UNKNOWN", "SUPPORTED", "DEPRECATED", "UNSUPPORTED", "HIDDEN"].includes(status)) {
    throw bad("InvalidParameter", `Invalid support_status "${status}": use UNKNOWN, SUPPORTED, DEPRECATED, UNSUPPORTED or HIDDEN`);
  }
  let types;
  try {
    types = resourceTypes.list({ name, supportStatus: status as never, withDescription });
  } catch (e) {
    if (e instanceof PatternTooSlow) throw bad("InvalidParameter", `"${name}" takes too long to match (it backtracks too much); simplify it`);
    throw bad("InvalidParameter", `"${name}" is not a valid regular expression`);
  }
  return Promise.resolve(ok({ resource_types: withDescription ? types : types.map((t) => t.resource_type) }));
}

export function showTypeRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const type = resourceTypes.show(ctx.params.type_name!, { withDescription: boolParam(ctx.query, "with_description") ?? false });
  if (!type) throw new NotFound(`The Resource Type (${ctx.params.type_name}) could not be found.`);
  return Promise.resolve(ok(type));
}

/** Versions Kiln accepts, by date (a release name is an alias). */
const hotVersions = () => acceptedVersions.filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v));

export function templateVersionsRoute(): Promise<HeatAnswer> {
  return Promise.resolve(
    ok({
      template_versions: hotVersions().map((date) => ({ version: `heat_template_version.${date}`, type: "hot", aliases: findVersion(date)?.release ? [`heat_template_version.${findVersion(date)!.release}`] : [] })),
    }),
  );
}

/** What each function does, in a line, as `template function list` shows it. */
const FUNCTION_DESCRIPTIONS: Record<string, string> = {
  get_param: "The value of a parameter (or an item of it, by a path of keys and indexes).",
  get_resource: "The id of another resource (what it is referred to by).",
  get_attr: "An attribute of another resource (or an item of it, by a path).",
  get_file: "The content of a file sent with the template.",
  resource_facade: "A section (metadata, deletion_policy, update_policy) of the resource a nested stack is the template of.",
  str_replace: "A string with each of the given parameters replaced by its value.",
  str_replace_strict: "As str_replace, and an error when a parameter is not found in the string.",
  str_replace_vstrict: "As str_replace_strict, and an error when a parameter's value is empty.",
  str_split: "A string split at a delimiter into a list (or one item of it).",
  list_join: "The items of one or more lists joined into a string by a delimiter.",
  list_concat: "Lists concatenated into one.",
  list_concat_unique: "Lists concatenated into one, each item once.",
  map_merge: "Maps merged into one, later keys winning.",
  map_replace: "A map with keys and values renamed as given.",
  repeat: "A template repeated for each value (each combination of values) of lists.",
  digest: "The digest of a string by an algorithm (md5, sha1, sha256, sha512…).",
  filter: "A list without the given values.",
  contains: "Whether a value is in a sequence.",
  make_url: "A URL built from its parts (scheme, host, port, path, query, fragment).",
  if: "One of two values, as a condition is true or false.",
  equals: "Whether two values are equal (a condition).",
  not: "The opposite of a condition.",
  and: "Whether every condition holds.",
  or: "Whether any condition holds.",
  yaql: "Evaluates a YAQL expression. Kiln does not yet: a template using it is refused.",
  Ref: "As get_param for a parameter's name, as get_resource for a resource's.",
  "Fn::GetAZs": "The availability zones (Kiln's are those configured).",
  "Fn::Select": "One item of a list or map.",
  "Fn::Join": "A list's items joined into a string by a delimiter.",
  "Fn::Split": "A string split at a delimiter into a list.",
  "Fn::Replace": "A string with each of the given keys replaced by its value.",
  "Fn::Base64": "Its argument unchanged (as Heat: no encoding).",
  "Fn::MemberListToMap": "A map built from a list of Key/Value member strings.",
  "Fn::ResourceFacade": "As resource_facade.",
};

export function templateFunctionsRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const name = ctx.params.template_version!.replace(/^heat_template_version\./, "");
  const version = findVersion(name);
  if (!version) throw new NotFound(`The Template version (${ctx.params.template_version}) could not be found.`);
  const conditions = boolParam(ctx.query, "with_condition_func") ?? false;
  const names = conditions ? [...version.conditionFunctions] : [...version.functions.keys()].filter((f) => !version.removed.has(f));
  return Promise.resolve(ok({ template_functions: names.sort().map((functions) => ({ functions, description: FUNCTION_DESCRIPTIONS[functions] ?? "" })) }));
}

export const buildInfo = (): Promise<HeatAnswer> => Promise.resolve(ok({ api: { revision: `kiln-${versionInfo.version}` }, engine: { revision: `kiln-${versionInfo.version}` } }));

export async function typeTemplateRoute(ctx: HeatContext): Promise<HeatAnswer> {
  if (!resourceTypes.show(ctx.params.type_name!)) throw new NotFound(`The Resource Type (${ctx.params.type_name}) could not be found.`);
  throw bad("NotSupported", "Kiln does not generate provider templates from resource types");
}
