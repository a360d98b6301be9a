/**
 * Heat's stack routes: list, create, lookup (302 to name/id), show, update, preview, delete,
 * actions, and the stack's data (template, environment, files, export, outputs).
 */
import { parseSource } from "../../engine/template/source";
import { MASK, maskHidden } from "../../engine/template/hiddenValues";
import type { RawTemplateRecord, StackRecord } from "../../engine/ports";
import { storedTemplateModel } from "../../services/storedTemplates";
import { fileSecretsShownTo, secretsShownTo } from "../../services/shownSecrets";
import { mergedEnvironment } from "../../services/environment";
import { findStack, listOutputs, listResources, listStacks, NotFound, showStack } from "../../services/stacks";
import { HeatError } from "./heatErrors";
import { bad, boolParam, intParam, listParam, ok, type HeatAnswer, type HeatContext } from "./heatRequest";
import { parentOf, stackAt, viewer } from "./heatStackRef";
import { outputDescription, outputView, stackHref, stackListEntry, stackView } from "./heatViews";
import { submissionOf } from "./heatSubmission";
import { createStackFor } from "../stackCreation";

const STACK_SORT_KEYS: Record<string, (s: Awaited<ReturnType<typeof listStacks>>[number]) => string> = {
  stack_name: (s) => s.name,
  stack_status: (s) => s.stackStatus,
  creation_time: (s) => s.createdAt,
  updated_time: (s) => s.updatedAt,
};
/** A stack as Heat's list shows it; a nested one (show_nested) with the stack holding its parent resource. */
type ListedStack = Awaited<ReturnType<typeof listStacks>>[number] & { parentId?: string | null };

/** Filters Heat's stack list takes, and the field each compares. */
const STACK_FILTERS: Record<string, (s: ListedStack) => string> = {
  id: (s) => s.id,
  name: (s) => s.name,
  stack_name: (s) => s.name,
  status: (s) => s.status,
  action: (s) => s.action,
  stack_status: (s) => s.stackStatus,
};

export async function listStacksRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const q = ctx.query;
  if (q.get("tags") || q.get("tags_any") || q.get("not_tags") || q.get("not_tags_any")) {
    throw bad("NotSupported", "Kiln does not keep stack tags: filtering by tags is not supported");
  }
  if (boolParam(q, "global_tenant")) throw new HeatError(403, "Forbidden", "Listing the stacks of every project (global_tenant) is not allowed");
  let stacks: ListedStack[] = await listStacks(ctx.rt, ctx.project.id);
  if (boolParam(q, "show_nested")) {
    const nested: typeof stacks = [];
    let level = stacks.map((s) => s.id);
    for (let depth = 0; level.length && depth < 20; depth++) {
      // Ids alone: a row's sealed columns are not needed to find its nested stack.
      const stackOfRow = new Map((await Promise.all(level.map(async (id) => (await ctx.rt.store.listResourceIds(id)).map((r) => [r.id, id] as const)))).flat());
      const children = await ctx.rt.store.childStacks([...stackOfRow.keys()]);
      for (const c of children) {
        const parentId = c.parentResourceId ? (stackOfRow.get(c.parentResourceId) ?? null) : null;
        nested.push({ id: c.id, name: c.name, action: c.action, status: c.status, stackStatus: `${c.action}_${c.status}`, statusReason: c.statusReason, createdAt: c.createdAt, updatedAt: c.updatedAt, resourceCount: 0, lastEventId: 0, parentId });
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

export async function createStackRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const name = ctx.body.stack_name;
  if (typeof name !== "string" || !name) throw bad("InvalidParameter", "stack_name is required: the new stack's name");
  if (ctx.body.adopt_stack_data !== undefined) throw bad("NotSupported", "Kiln does not adopt stacks (adopt_stack_data): create the stack from its template");
  const submission = await submissionOf(ctx, { requireTemplate: true });
  const created = await submission.run((request) => createStackFor(ctx.rt, ctx.caller, { ...request, projectId: ctx.project.id, name }));
  return ok({ stack: { id: created.id, links: [{ href: stackHref(ctx.base, created), rel: "self" }] } }, 201);
}

/** A stack's own name/id path (Heat's lookup): 302 there, keeping the rest of the path and the query. */
export async function lookupRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await findStack(ctx.rt, ctx.project.id, ctx.params.stack_name!);
  const rest = [ctx.params.sub, ctx.params.rest].filter(Boolean).map((p) => p!.split("/").map(encodeURIComponent).join("/")).join("/");
  const query = ctx.query.toString();
  return { status: 302, headers: { location: `${stackHref(ctx.base, stack)}${rest ? `/${rest}` : ""}${query ? `?${query}` : ""}` } };
}


export async function showStackRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await stackAt(ctx);
  const shown = await showStack(ctx.rt, stack, viewer(ctx));
  const body = stackView(ctx.base, shown, ctx.project.id, await parentOf(ctx, stack));
  if (boolParam(ctx.query, "resolve_outputs") === false) delete (body as { outputs?: unknown }).outputs;
  return ok({ stack: body });
}

export const updateRoute = (patch: boolean) => async (ctx: HeatContext): Promise<HeatAnswer> => {
  const stack = await stackAt(ctx);
  const submission = await submissionOf(ctx, { requireTemplate: !patch, current: stack });
  await submission.run((request) => ctx.rt.engine.updateStack(stack.id, { ...request, existing: patch }));
  return { status: 202 };
};

export const previewRoute = (patch: boolean) => async (ctx: HeatContext): Promise<HeatAnswer> => {
  const stack = await stackAt(ctx);
  const submission = await submissionOf(ctx, { requireTemplate: !patch, current: stack });
  boolParam(ctx.query, "show_nested"); // accepted; Kiln's preview compares the stack's own resources (nested stacks show as updated)
  const changes = await submission.run((request) => ctx.rt.engine.previewUpdate(stack.id, { ...request, existing: patch }));
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
      // Heat has no "may change": its preview calls those unchanged.
      unchanged: [...changes.may_change.map(({ reason: _, ...e }) => e), ...changes.unchanged].map(entry),
    },
  });
};

export async function deleteStackRoute(ctx: HeatContext): Promise<HeatAnswer> {
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
async function shownEnvironment(ctx: HeatContext, stack: StackRecord, raw: RawTemplateRecord) {
  const env = mergedEnvironment(raw.environment, stack);
  const hidden = new Set(storedTemplateModel(raw)?.parameters.filter((p) => p.hidden).map((p) => p.name) ?? []);
  for (const section of ["parameters", "parameter_defaults"]) {
    const values = env[section];
    if (isMap(values)) env[section] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, hidden.has(k) ? MASK : v]));
  }
  return maskHidden(env, await secretsShownTo(ctx.rt, stack, viewer(ctx)));
}

/** A stored template or environment document (YAML or JSON) as data: Heat answers them as JSON. */
const asData = (text: string): unknown => parseSource(text).value;


const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

export async function actionsRoute(ctx: HeatContext): Promise<HeatAnswer> {
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

export async function templateRoute(ctx: HeatContext): Promise<HeatAnswer> {
  return ok((await templateData(ctx)).template);
}

export async function environmentRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack, raw } = await templateData(ctx);
  return ok(await shownEnvironment(ctx, stack, raw));
}

export async function filesRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack, raw } = await templateData(ctx);
  return ok(await shownFiles(ctx, stack, raw));
}

/** The files the stack was sent with as shown to this caller: every hidden value of its tree masked in them. */
async function shownFiles(ctx: HeatContext, stack: StackRecord, raw: RawTemplateRecord) {
  return maskHidden(raw.files, await fileSecretsShownTo(ctx.rt, stack, viewer(ctx)));
}

/** Heat's export is its abandon data; a resource's own data (credentials among it) is not exported. */
export async function exportRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack, raw, template } = await templateData(ctx);
  const resources = await listResources(ctx.rt, stack);
  return ok({
    name: stack.name,
    id: stack.id,
    action: stack.action,
    status: stack.status,
    template,
    environment: await shownEnvironment(ctx, stack, raw),
    files: await shownFiles(ctx, stack, raw),
    resources: Object.fromEntries(resources.map((r) => [r.name, { name: r.name, resource_id: r.physicalId, type: r.type, action: r.action, status: r.status, metadata: {}, resource_data: {} }])),
    project_id: ctx.project.id,
    stack_user_project_id: ctx.project.id,
    tags: null,
  });
}

export async function listOutputsRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const outputs = await listOutputs(ctx.rt, await stackAt(ctx), viewer(ctx));
  return ok({ outputs: outputs.map((o) => ({ output_key: o.outputKey, description: outputDescription(o) })) });
}

export async function showOutputRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const stack = await stackAt(ctx);
  const output = (await listOutputs(ctx.rt, stack, viewer(ctx))).find((o) => o.outputKey === ctx.params.output_key);
  if (!output) throw new NotFound(`Specified output key ${ctx.params.output_key} not found.`);
  return ok({ output: outputView(output) });
}

export function createPreviewRoute(): Promise<HeatAnswer> {
  return Promise.reject(bad("NotSupported", "Kiln does not preview a stack's create; validate the template (POST /validate), or create the stack"));
}
