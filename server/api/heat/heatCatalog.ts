/** Heat's routes about templates rather than stacks: validate, resource types, template versions and their functions, build info. */
import { acceptedVersions, findVersion } from "../../engine/template/versions";
import type { Constraint } from "../../engine/template/constraints";
import { PatternTooSlow } from "../../engine/userPattern";
import { NotFound } from "../../services/stacks";
import { parametersOf, resourceTypes, validateTemplateInCloud } from "../../services/templates";
import type { LoadedStack } from "../../engine/template";
import type { NestedParameters } from "../../engine/validation/nestedParameters";
import { versionInfo } from "../../version";
import { TemplateInvalid } from "../../engine/errors";
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
  const { request: submission, run } = await submissionOf(ctx, { requireTemplate: true });
  const v = await validateTemplateInCloud(submission, ctx.rt.limits, await ctx.rt.clouds?.forProject(ctx.project.id));
  if (!v.valid) await run(() => Promise.reject(new TemplateInvalid(v.errors.map(({ path, file, line, column, message }) => ({ severity: "error", path, message, ...(file ? { file } : {}), ...(line ? { line, column: column ?? 0 } : {}) })))));
  const { loaded, nested } = parametersOf(submission, boolParam(ctx.query, "show_nested") ?? false);
  return ok({
    ...parametersView(loaded, submission.parameters ?? {}),
    ...nestedView(nested),
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

export function templateFunctionsRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const name = ctx.params.template_version!.replace(/^heat_template_version\./, "");
  const version = findVersion(name);
  if (!version) throw new NotFound(`The Template version (${ctx.params.template_version}) could not be found.`);
  const conditions = boolParam(ctx.query, "with_condition_func") ?? false;
  const names = conditions ? [...version.conditionFunctions] : [...version.functions.keys()].filter((f) => !version.removed.has(f));
  return Promise.resolve(ok({ template_functions: names.sort().map((functions) => ({ functions, description: "" })) }));
}

export const buildInfo = (): Promise<HeatAnswer> => Promise.resolve(ok({ api: { revision: `kiln-${versionInfo.version}` }, engine: { revision: `kiln-${versionInfo.version}` } }));

export async function typeTemplateRoute(ctx: HeatContext): Promise<HeatAnswer> {
  if (!resourceTypes.show(ctx.params.type_name!)) throw new NotFound(`The Resource Type (${ctx.params.type_name}) could not be found.`);
  throw bad("NotSupported", "Kiln does not generate provider templates from resource types");
}
