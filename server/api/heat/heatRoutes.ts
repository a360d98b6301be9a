/**
 * Every path Heat's API v1 serves that Kiln serves, with the role each needs in the path's
 * project: reading needs reader, changing needs member (validate and preview change nothing).
 * Each handler calls the same services (services/stacks.ts, services/templates.ts) and engine
 * operations as tRPC, and answers in Heat's shapes (heatViews.ts).
 */
import { parseSource } from "../../engine/template/source";
import { MASK, maskHidden } from "../../engine/template/hiddenValues";
import type { StackRecord } from "../../engine/ports";
import { acceptedVersions, findVersion } from "../../engine/template/versions";
import { parseTemplate } from "../../engine/template";
import { listNotifications } from "../../notify/notificationHistory";
import { secretsShownTo, viewerFor } from "../../services/shownSecrets";
import { findStack, listOutputs, listResources, listStacks, NotFound, showResource, showStack } from "../../services/stacks";
import { resourceTypes, validateTemplate } from "../../services/templates";
import { PatternTooSlow } from "../../engine/userPattern";
import { versionInfo } from "../../version";
import { waitConditionHandlePlugin } from "../../engine/resources/plugins/waitConditionHandle";
import { HeatError } from "./heatErrors";
import { boolParam, intParam, listParam, type HeatAnswer, type HeatContext, type HeatRoute } from "./heatRequest";
import { eventView, outputView, resourceDetailView, resourceView, stackHref, stackListEntry, stackView } from "./heatViews";
import { submissionOf } from "./heatSubmission";

const ok = (body: unknown, status = 200): HeatAnswer => ({ status, body });
const bad = (type: string, message: string) => new HeatError(400, type, message);

/** The stack a name/id path names; a name that is not the stack's is not found, as in Heat. */
async function stackAt(ctx: HeatContext): Promise<StackRecord> {
  const { stack_name: name, stack_id: id } = ctx.params;
  const stack = await findStack(ctx.rt, ctx.project.id, id!);
  if (stack.id !== id || stack.name !== name) throw new NotFound(`The Stack (${name}) could not be found.`);
  return stack;
}

const viewer = (ctx: HeatContext) => viewerFor(ctx.project.role);

/** The stack owning a nested stack's parent resource, or null. */
async function parentOf(ctx: HeatContext, stack: StackRecord): Promise<string | null> {
  if (!stack.parentResourceId) return null;
  const parent = await ctx.rt.store.getResource(stack.parentResourceId);
  return parent?.stackId ?? null;
}

/** Stacks by id, loaded once each: views of nested resources and events name the stack holding them. */
function stackCache(ctx: HeatContext) {
  const seen = new Map<string, Promise<StackRecord | undefined>>();
  return (id: string) => {
    if (!seen.has(id)) seen.set(id, ctx.rt.store.getStack(id));
    return seen.get(id)!;
  };
}

const lastSegment = (stackPath: string) => stackPath.split("/").pop() || undefined;
const depthOf = (stackPath: string) => (stackPath ? stackPath.split("/").length : 0);

// ---- stacks ----

const STACK_SORT_KEYS: Record<string, (s: Awaited<ReturnType<typeof listStacks>>[number]) => string> = {
  stack_name: (s) => s.name,
  stack_status: (s) => s.stackStatus,
  creation_time: (s) => s.createdAt,
  updated_time: (s) => s.updatedAt,
};
/** Filters Heat's stack list takes, and the field each compares. */
const STACK_FILTERS: Record<string, (s: Awaited<ReturnType<typeof listStacks>>[number]) => string> = {
  id: (s) => s.id,
  name: (s) => s.name,
  stack_name: (s) => s.name,
  status: (s) => s.status,
  action: (s) => s.action,
  stack_status: (s) => s.stackStatus,
};

async function listStacksRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const q = ctx.query;
  if (q.get("tags") || q.get("tags_any") || q.get("not_tags") || q.get("not_tags_any")) {
    throw bad("NotSupported", "Kiln does not keep stack tags: filtering by tags is not supported");
  }
  if (boolParam(q, "global_tenant")) throw new HeatError(403, "Forbidden", "Listing the stacks of every project (global_tenant) is not allowed");
  let stacks = await listStacks(ctx.rt, ctx.project.id);
  if (boolParam(q, "show_nested")) {
    const nested: typeof stacks = [];
    let level = stacks.map((s) => s.id);
    for (let depth = 0; level.length && depth < 20; depth++) {
      const rows = (await Promise.all(level.map((id) => ctx.rt.store.listResources(id)))).flat();
      const children = await ctx.rt.store.childStacks(rows.map((r) => r.id));
      for (const c of children) {
        nested.push({ id: c.id, name: c.name, action: c.action, status: c.status, stackStatus: `${c.action}_${c.status}`, statusReason: c.statusReason, createdAt: c.createdAt, updatedAt: c.updatedAt, resourceCount: 0, lastEventId: 0 });
      }
      level = children.map((c) => c.id);
    }
    stacks = [...stacks, ...nested];
  }
  for (const [key, field] of Object.entries(STACK_FILTERS)) {
    const wanted = listParam(q, key);
    if (wanted.length) stacks = stacks.filter((s) => wanted.includes(field(s)));
  }
  const sortKeys = listParam(q, "sort_keys");
  for (const k of sortKeys) if (!STACK_SORT_KEYS[k]) throw bad("InvalidParameter", `Invalid sort key "${k}": use ${Object.keys(STACK_SORT_KEYS).join(", ")}`);
  const dir = q.get("sort_dir") ?? "desc";
  if (dir !== "asc" && dir !== "desc") throw bad("InvalidParameter", `Invalid sort direction "${dir}": use asc or desc`);
  const keys = sortKeys.length ? sortKeys : ["creation_time"];
  stacks.sort((a, b) => {
    for (const k of keys) {
      const c = STACK_SORT_KEYS[k]!(a).localeCompare(STACK_SORT_KEYS[k]!(b));
      if (c) return dir === "asc" ? c : -c;
    }
    return 0;
  });
  const marker = q.get("marker");
  if (marker) {
    const at = stacks.findIndex((s) => s.id === marker);
    if (at < 0) throw new NotFound(`The Stack (${marker}) could not be found.`);
    stacks = stacks.slice(at + 1);
  }
  const limit = intParam(q, "limit", 0, 100_000);
  if (limit !== undefined) stacks = stacks.slice(0, limit);
  return ok({ stacks: stacks.map((s) => stackListEntry(ctx.base, s, ctx.project.id)) });
}

async function createStackRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const name = ctx.body.stack_name;
  if (typeof name !== "string" || !name) throw bad("InvalidParameter", "stack_name is required: the new stack's name");
  const submission = await submissionOf(ctx, { requireTemplate: true });
  const created = await ctx.rt.engine.createStack({ ...submission, projectId: ctx.project.id, name });
  return ok({ stack: { id: created.id, links: [{ href: stackHref(ctx.base, created), rel: "self" }] } }, 201);
}

/** A stack's own name/id path (Heat's lookup): 302 there, keeping the rest of the path and the query. */
async function lookupRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await findStack(ctx.rt, ctx.project.id, ctx.params.stack_name!);
  const rest = [ctx.params.sub, ctx.params.rest].filter(Boolean).map((p) => p!.split("/").map(encodeURIComponent).join("/")).join("/");
  const query = ctx.query.toString();
  return { status: 302, headers: { location: `${stackHref(ctx.base, stack)}${rest ? `/${rest}` : ""}${query ? `?${query}` : ""}` } };
}

/**
 * Every parameter the template declares with the value it took, as Heat's stack show lists
 * them: given, else from the environment (parameters, then parameter_defaults), else the
 * default. Hidden ones are masked.
 */
async function allParameters(ctx: HeatContext, stack: StackRecord, shown: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = stack.templateId ?? stack.prevTemplateId;
  const raw = id ? await ctx.rt.store.getTemplate(id) : undefined;
  const model = raw ? parseTemplate(raw.template).template : undefined;
  if (!raw || !model) return shown;
  const env = mergedEnvironment(raw.environment) as { parameters: Record<string, unknown>; parameter_defaults: Record<string, unknown> };
  const out = { ...shown };
  for (const p of model.parameters) {
    if (p.name in out) continue;
    const value = env.parameters[p.name] ?? env.parameter_defaults[p.name] ?? p.default;
    if (value !== undefined) out[p.name] = p.hidden ? MASK : value;
  }
  return out;
}

async function showStackRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await stackAt(ctx);
  const shown = await showStack(ctx.rt, stack, viewer(ctx));
  shown.parameters = await allParameters(ctx, stack, shown.parameters);
  const body = stackView(ctx.base, shown, ctx.project.id, await parentOf(ctx, stack));
  if (boolParam(ctx.query, "resolve_outputs") === false) delete (body as { outputs?: unknown }).outputs;
  return ok({ stack: body });
}

const updateRoute = (patch: boolean) => async (ctx: HeatContext): Promise<HeatAnswer> => {
  const stack = await stackAt(ctx);
  const submission = await submissionOf(ctx, { requireTemplate: !patch, current: stack });
  await ctx.rt.engine.updateStack(stack.id, { ...submission, existing: patch });
  return { status: 202 };
};

const previewRoute = (patch: boolean) => async (ctx: HeatContext): Promise<HeatAnswer> => {
  const stack = await stackAt(ctx);
  const submission = await submissionOf(ctx, { requireTemplate: !patch, current: stack });
  boolParam(ctx.query, "show_nested"); // accepted; Kiln's preview compares the stack's own resources (nested stacks show as updated)
  const changes = await ctx.rt.engine.previewUpdate(stack.id, { ...submission, existing: patch });
  const entry = (e: { resource_name: string; resource_type: string; reason?: string }) => ({
    resource_name: e.resource_name,
    resource_type: e.resource_type,
    resource_identity: { stack_name: stack.name, stack_id: stack.id, tenant: ctx.project.id, path: `/resources/${e.resource_name}` },
    stack_name: stack.name,
    stack_identity: { stack_name: stack.name, stack_id: stack.id, tenant: ctx.project.id, path: "" },
    ...(e.reason ? { reason: e.reason } : {}),
  });
  return ok({
    resource_changes: {
      added: changes.added.map(entry),
      updated: changes.updated.map(entry),
      replaced: changes.replaced.map(entry),
      deleted: changes.deleted.map(entry),
      unchanged: changes.unchanged.map(entry),
    },
  });
};

async function deleteStackRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await stackAt(ctx);
  await ctx.rt.engine.deleteStack(stack.id);
  return { status: 204 };
}

/** The stack's template as submitted, its environment and files (Heat's stack data). */
async function templateData(ctx: HeatContext) {
  const stack = await stackAt(ctx);
  const id = stack.templateId ?? stack.prevTemplateId;
  const raw = id ? await ctx.rt.store.getTemplate(id) : undefined;
  if (!raw) throw new NotFound(`Stack "${stack.name}" has no template`);
  return { stack, raw, template: asData(raw.template) };
}

/** The stack's environment as shown to this caller: hidden parameters' values masked, in whichever section they were given. */
async function shownEnvironment(ctx: HeatContext, stack: StackRecord, raw: { template: string; environment: string[] }) {
  const env = mergedEnvironment(raw.environment);
  const hidden = new Set(parseTemplate(raw.template).template?.parameters.filter((p) => p.hidden).map((p) => p.name) ?? []);
  for (const section of ["parameters", "parameter_defaults"]) {
    const values = env[section];
    if (isMap(values)) env[section] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, hidden.has(k) ? MASK : v]));
  }
  return maskHidden(env, await secretsShownTo(ctx.rt, stack, viewer(ctx)));
}

/** A stored template or environment document (YAML or JSON) as data: Heat answers them as JSON. */
const asData = (text: string): unknown => parseSource(text).value;

/** The environment documents a stack was given, merged section by section as Heat shows its environment. */
function mergedEnvironment(docs: string[]) {
  const env: Record<string, unknown> = { parameters: {}, parameter_defaults: {}, resource_registry: { resources: {} }, encrypted_param_names: [], event_sinks: [], parameter_merge_strategies: {} };
  for (const doc of docs) {
    const parsed = asData(doc);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) continue;
    for (const [section, value] of Object.entries(parsed as Record<string, unknown>)) {
      const before = env[section];
      env[section] = isMap(before) && isMap(value) ? { ...before, ...value } : value;
    }
  }
  return env;
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

async function actionsRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await stackAt(ctx);
  const actions = Object.keys(ctx.body);
  if (actions.length !== 1) throw bad("InvalidParameter", "Send exactly one action: check, cancel_update, cancel_without_rollback, suspend or resume");
  const action = actions[0]!;
  switch (action) {
    case "check":
      await ctx.rt.engine.checkStack(stack.id);
      break;
    case "cancel_update":
      if (stack.action !== "UPDATE" || stack.status !== "IN_PROGRESS") {
        throw bad("NotSupported", `Cancelling update when stack is ${stack.action}_${stack.status} is not supported`);
      }
      await ctx.rt.engine.cancelUpdate(stack.id);
      break;
    case "cancel_without_rollback":
    case "suspend":
    case "resume":
      throw bad("NotSupported", `Kiln does not support the ${action} action`);
    default:
      throw bad("InvalidParameter", `Invalid action "${action}": use check, cancel_update, cancel_without_rollback, suspend or resume`);
  }
  return { status: 200 };
}

// ---- resources ----

const RESOURCE_FILTERS: Record<string, (r: ReturnType<typeof resourceView>) => string> = {
  name: (r) => r.resource_name,
  type: (r) => r.resource_type,
  status: (r) => r.resource_status.split("_").slice(1).join("_"),
  action: (r) => r.resource_status.split("_")[0]!,
  id: (r) => r.physical_resource_id,
  physical_resource_id: (r) => r.physical_resource_id,
};

async function listResourcesRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await stackAt(ctx);
  const depth = intParam(ctx.query, "nested_depth", 0, 10) ?? 0;
  const detail = boolParam(ctx.query, "with_detail") ?? false;
  const rows = await listResources(ctx.rt, stack, depth);
  const stacks = stackCache(ctx);
  let views = [];
  for (const r of rows) {
    const holder = (await stacks(r.stackId)) ?? stack;
    const nested = r.nestedStackId ? await stacks(r.nestedStackId) : undefined;
    const where = { name: holder.name, id: holder.id, parentResourceName: lastSegment(holder.stackPath) };
    const row = detail ? await showResource(ctx.rt, holder, r.name, viewer(ctx)) : r;
    const v = detail ? resourceDetailView(ctx.base, row as Awaited<ReturnType<typeof showResource>>, where, nested) : resourceView(ctx.base, row, where, nested);
    views.push(v);
  }
  for (const [key, field] of Object.entries(RESOURCE_FILTERS)) {
    const wanted = listParam(ctx.query, key);
    if (wanted.length) views = views.filter((v) => wanted.includes(field(v)));
  }
  return ok({ resources: views });
}

async function resourceAt(ctx: HeatContext) {
  const stack = await stackAt(ctx);
  const r = await showResource(ctx.rt, stack, ctx.params.resource_name!, viewer(ctx));
  return { stack, r };
}

async function showResourceRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack, r } = await resourceAt(ctx);
  const nested = r.nestedStackId ? await ctx.rt.store.getStack(r.nestedStackId) : undefined;
  return ok({ resource: resourceDetailView(ctx.base, r, { name: stack.name, id: stack.id, parentResourceName: lastSegment(stack.stackPath) }, nested) });
}

async function resourceMetadataRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack } = await resourceAt(ctx);
  const raw = stack.templateId ? await ctx.rt.store.getTemplate(stack.templateId) : undefined;
  const def = raw ? parseTemplate(raw.template).template?.resources.find((d) => d.name === ctx.params.resource_name) : undefined;
  return ok({ metadata: (def?.metadata as Record<string, unknown> | undefined) ?? {} });
}

/** A signal from someone with the member role: a wait condition handle takes it as if sent with its own token. */
async function signalRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack, r } = await resourceAt(ctx);
  const row = (await ctx.rt.store.listResources(stack.id)).find((x) => x.name === r.name && !x.replacedBy);
  if (!row || row.type !== waitConditionHandlePlugin.type || typeof row.data.token !== "string") {
    throw bad("ResourceActionNotSupported", `Resource "${r.name}" (${r.type}) does not take signals through this API; Kiln signals OS::Heat::WaitConditionHandle resources`);
  }
  await ctx.rt.engine.signal(row.id, row.data.token, ctx.body);
  return { status: 200 };
}

async function markUnhealthyRoute(ctx: HeatContext): Promise<HeatAnswer> {
  await resourceAt(ctx);
  throw bad("NotSupported", "Kiln does not mark resources unhealthy yet; run `openstack stack check` to verify every resource, or replace the resource by updating the stack");
}

// ---- events ----

const EVENT_FILTERS: Record<string, (e: ReturnType<typeof eventView>) => string> = {
  resource_name: (e) => e.resource_name,
  resource_type: (e) => e.resource_type,
  resource_action: (e) => e.resource_status.split("_")[0]!,
  resource_status: (e) => e.resource_status.split("_").slice(1).join("_"),
};
const MAX_EVENTS = 5000;

async function eventsRoute(ctx: HeatContext, resourceName?: string, eventId?: string): Promise<HeatAnswer> {
  const stack = await stackAt(ctx);
  const depth = intParam(ctx.query, "nested_depth", 0, 10) ?? 0;
  const rows = await listNotifications(ctx.rt.db, {
    ...(depth > 0 ? { rootStackId: stack.rootStackId } : { stackId: stack.id }),
    kinds: ["event"],
    resourceName,
    limit: MAX_EVENTS,
  });
  const stacks = stackCache(ctx);
  const root = (await stacks(stack.rootStackId)) ?? stack;
  const base = depthOf(stack.stackPath);
  let views = [];
  for (const e of rows) {
    if (depth > 0) {
      if (!(e.stackPath === stack.stackPath || e.stackPath.startsWith(stack.stackPath ? `${stack.stackPath}/` : ""))) continue;
      if (depthOf(e.stackPath) - base > depth) continue;
    }
    const holder = (await stacks(e.stackId)) ?? stack;
    views.push(eventView(ctx.base, e, holder, root));
  }
  if (eventId !== undefined) {
    const found = views.find((v) => v.id === eventId);
    if (!found) throw new NotFound(`The Event (${eventId}) could not be found.`);
    return ok({ event: { ...found, resource_properties: {} } });
  }
  for (const [key, field] of Object.entries(EVENT_FILTERS)) {
    const wanted = listParam(ctx.query, key);
    if (wanted.length) views = views.filter((v) => wanted.includes(field(v)));
  }
  const dir = ctx.query.get("sort_dir") ?? "asc";
  if (dir !== "asc" && dir !== "desc") throw bad("InvalidParameter", `Invalid sort direction "${dir}": use asc or desc`);
  if (dir === "desc") views.reverse();
  const marker = ctx.query.get("marker");
  if (marker) {
    const at = views.findIndex((v) => v.id === marker);
    if (at < 0) throw new NotFound(`The Event (${marker}) could not be found.`);
    views = views.slice(at + 1);
  }
  const limit = intParam(ctx.query, "limit", 0, MAX_EVENTS);
  if (limit !== undefined) views = views.slice(0, limit);
  return ok({ events: views });
}

// ---- validation, types, versions ----

const HEAT_PARAMETER_TYPE: Record<string, string> = { string: "String", number: "Number", comma_delimited_list: "CommaDelimitedList", json: "Json", boolean: "Boolean" };

async function validateRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const submission = await submissionOf(ctx, { requireTemplate: true });
  const v = validateTemplate(submission, ctx.rt.limits);
  if (!v.valid) throw bad("StackValidationFailed", v.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("\n"));
  const description = parseTemplate(submission.template).template?.description ?? "No description";
  const parameters = Object.fromEntries(
    v.parameters.schema.map((p) => [
      p.name,
      {
        Type: HEAT_PARAMETER_TYPE[p.type] ?? p.type,
        Description: p.description ?? "",
        Label: p.label ?? p.name,
        NoEcho: p.hidden ? "true" : "false",
        ...(p.default !== undefined ? { Default: p.default } : {}),
        ...(submission.parameters?.[p.name] !== undefined ? { Value: p.hidden ? "******" : submission.parameters[p.name] } : {}),
      },
    ]),
  );
  return ok({
    Description: description,
    Parameters: parameters,
    ...(v.parameters.groups.length ? { ParameterGroups: v.parameters.groups } : {}),
    Environment: mergedEnvironment(submission.environment ?? []),
  });
}

function listTypesRoute(ctx: HeatContext): Promise<HeatAnswer> {
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

function showTypeRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const type = resourceTypes.show(ctx.params.type_name!, { withDescription: boolParam(ctx.query, "with_description") ?? false });
  if (!type) throw new NotFound(`The Resource Type (${ctx.params.type_name}) could not be found.`);
  return Promise.resolve(ok(type));
}

/** Versions Kiln accepts, by date (a release name is an alias). */
const hotVersions = () => acceptedVersions.filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v));

function templateVersionsRoute(): Promise<HeatAnswer> {
  return Promise.resolve(
    ok({
      template_versions: hotVersions().map((date) => ({ version: `heat_template_version.${date}`, type: "hot", aliases: findVersion(date)?.release ? [`heat_template_version.${findVersion(date)!.release}`] : [] })),
    }),
  );
}

function templateFunctionsRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const name = ctx.params.template_version!.replace(/^heat_template_version\./, "");
  const version = findVersion(name);
  if (!version) throw new NotFound(`The Template version (${ctx.params.template_version}) could not be found.`);
  const conditions = boolParam(ctx.query, "with_condition_func") ?? false;
  const names = conditions ? [...version.conditionFunctions] : [...version.functions.keys()].filter((f) => !version.removed.has(f));
  return Promise.resolve(ok({ template_functions: names.sort().map((functions) => ({ functions, description: "" })) }));
}

const buildInfo = (): Promise<HeatAnswer> => Promise.resolve(ok({ api: { revision: `kiln-${versionInfo.version}` }, engine: { revision: `kiln-${versionInfo.version}` } }));

// ---- the table ----

const STACK = "/stacks/{stack_name}/{stack_id}";
/** Words after a stack's name that Heat's lookup redirects (a stack id is never one of them). */
const SUBPATHS = "resources|events|template|environment|files|outputs|actions|export|preview";

const lookups: HeatRoute[] = (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).flatMap((method) => [
  { method, path: "/stacks/{stack_name}", access: "reader" as const, changesNothing: true, handle: lookupRoute },
  { method, path: `/stacks/{stack_name}/{sub:${SUBPATHS}}`, access: "reader" as const, changesNothing: true, handle: lookupRoute },
  { method, path: `/stacks/{stack_name}/{sub:${SUBPATHS}}/{rest*}`, access: "reader" as const, changesNothing: true, handle: lookupRoute },
]);

export const heatRoutes: HeatRoute[] = [
  { method: "GET", path: "/stacks", access: "reader", handle: listStacksRoute },
  { method: "GET", path: "/stacks/detail", access: "reader", handle: listStacksRoute },
  { method: "POST", path: "/stacks", access: "member", handle: createStackRoute },
  {
    method: "POST",
    path: "/stacks/preview",
    access: "member",
    changesNothing: true,
    handle: () => Promise.reject(bad("NotSupported", "Kiln does not preview a stack's create; validate the template (POST /validate), or create the stack")),
  },
  // Before a name/id path: "events", "resources" and the rest are never stack ids.
  ...lookups,
  { method: "GET", path: STACK, access: "reader", handle: showStackRoute },
  { method: "PUT", path: STACK, access: "member", handle: updateRoute(false) },
  { method: "PATCH", path: STACK, access: "member", handle: updateRoute(true) },
  { method: "DELETE", path: STACK, access: "member", handle: deleteStackRoute },
  { method: "PUT", path: `${STACK}/preview`, access: "member", changesNothing: true, handle: previewRoute(false) },
  { method: "PATCH", path: `${STACK}/preview`, access: "member", changesNothing: true, handle: previewRoute(true) },
  { method: "GET", path: `${STACK}/template`, access: "reader", handle: async (ctx) => ok((await templateData(ctx)).template) },
  {
    method: "GET",
    path: `${STACK}/environment`,
    access: "reader",
    handle: async (ctx) => {
      const { stack, raw } = await templateData(ctx);
      return ok(await shownEnvironment(ctx, stack, raw));
    },
  },
  { method: "GET", path: `${STACK}/files`, access: "reader", handle: async (ctx) => ok((await templateData(ctx)).raw.files) },
  {
    method: "GET",
    path: `${STACK}/export`,
    access: "reader",
    // Heat's export is its abandon data; a resource's own data (credentials among it) is not exported.
    handle: async (ctx) => {
      const { stack, raw, template } = await templateData(ctx);
      const resources = await listResources(ctx.rt, stack);
      return ok({
        name: stack.name,
        id: stack.id,
        action: stack.action,
        status: stack.status,
        template,
        environment: await shownEnvironment(ctx, stack, raw),
        files: raw.files,
        resources: Object.fromEntries(resources.map((r) => [r.name, { name: r.name, resource_id: r.physicalId, type: r.type, action: r.action, status: r.status, metadata: {}, resource_data: {} }])),
        project_id: ctx.project.id,
        stack_user_project_id: ctx.project.id,
        tags: null,
      });
    },
  },
  { method: "GET", path: `${STACK}/outputs`, access: "reader", handle: async (ctx) => ok({ outputs: (await listOutputs(ctx.rt, await stackAt(ctx), viewer(ctx))).map((o) => ({ output_key: o.outputKey, description: o.description })) }) },
  {
    method: "GET",
    path: `${STACK}/outputs/{output_key}`,
    access: "reader",
    handle: async (ctx) => {
      const stack = await stackAt(ctx);
      const output = (await listOutputs(ctx.rt, stack, viewer(ctx))).find((o) => o.outputKey === ctx.params.output_key);
      if (!output) throw new NotFound(`Specified output key ${ctx.params.output_key} not found.`);
      return ok({ output: outputView(output) });
    },
  },
  { method: "POST", path: `${STACK}/actions`, access: "member", handle: actionsRoute },
  { method: "GET", path: `${STACK}/resources`, access: "reader", handle: listResourcesRoute },
  { method: "GET", path: `${STACK}/resources/{resource_name}`, access: "reader", handle: showResourceRoute },
  { method: "PATCH", path: `${STACK}/resources/{resource_name}`, access: "member", handle: markUnhealthyRoute },
  { method: "GET", path: `${STACK}/resources/{resource_name}/metadata`, access: "reader", handle: resourceMetadataRoute },
  { method: "POST", path: `${STACK}/resources/{resource_name}/signal`, access: "member", handle: signalRoute },
  { method: "GET", path: `${STACK}/events`, access: "reader", handle: (ctx) => eventsRoute(ctx) },
  { method: "GET", path: `${STACK}/resources/{resource_name}/events`, access: "reader", handle: (ctx) => eventsRoute(ctx, ctx.params.resource_name) },
  { method: "GET", path: `${STACK}/resources/{resource_name}/events/{event_id}`, access: "reader", handle: (ctx) => eventsRoute(ctx, ctx.params.resource_name, ctx.params.event_id) },
  { method: "POST", path: "/validate", access: "reader", changesNothing: true, handle: validateRoute },
  { method: "GET", path: "/resource_types", access: "reader", handle: listTypesRoute },
  { method: "GET", path: "/resource_types/{type_name}", access: "reader", handle: showTypeRoute },
  {
    method: "GET",
    path: "/resource_types/{type_name}/template",
    access: "reader",
    handle: async (ctx) => {
      if (!resourceTypes.show(ctx.params.type_name!)) throw new NotFound(`The Resource Type (${ctx.params.type_name}) could not be found.`);
      throw bad("NotSupported", "Kiln does not generate provider templates from resource types");
    },
  },
  { method: "GET", path: "/template_versions", access: "reader", handle: templateVersionsRoute },
  { method: "GET", path: "/template_versions/{template_version}/functions", access: "reader", handle: templateFunctionsRoute },
  { method: "GET", path: "/build_info", access: "reader", handle: buildInfo },
];
