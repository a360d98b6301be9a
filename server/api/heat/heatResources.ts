/** Heat's resource routes: list (nested_depth, with_detail, filters), show, metadata, signal, mark unhealthy. */
import { storedTemplateModel } from "../../services/storedTemplates";
import { waitConditionHandlePlugin } from "../../engine/resources/plugins/waitConditionHandle";
import { listResources, showResource } from "../../services/stacks";
import { bad, boolParam, intParam, listParam, ok, type HeatAnswer, type HeatContext } from "./heatRequest";
import { lastSegment, stackAt, stackCache, viewer } from "./heatStackRef";
import { resourceDetailView, resourceView } from "./heatViews";

const RESOURCE_FILTERS: Record<string, (r: ReturnType<typeof resourceView>) => string> = {
  name: (r) => r.resource_name,
  type: (r) => r.resource_type,
  status: (r) => r.resource_status.split("_").slice(1).join("_"),
  action: (r) => r.resource_status.split("_")[0]!,
  id: (r) => r.physical_resource_id,
  physical_resource_id: (r) => r.physical_resource_id,
};

export async function listResourcesRoute(ctx: HeatContext): Promise<HeatAnswer> {
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

export async function resourceAt(ctx: HeatContext) {
  const stack = await stackAt(ctx);
  const r = await showResource(ctx.rt, stack, ctx.params.resource_name!, viewer(ctx));
  return { stack, r };
}

export async function showResourceRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack, r } = await resourceAt(ctx);
  const nested = r.nestedStackId ? await ctx.rt.store.getStack(r.nestedStackId) : undefined;
  return ok({ resource: resourceDetailView(ctx.base, r, { name: stack.name, id: stack.id, parentResourceName: lastSegment(stack.stackPath) }, nested) });
}

export async function resourceMetadataRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack } = await resourceAt(ctx);
  const raw = stack.templateId ? await ctx.rt.store.getTemplate(stack.templateId) : undefined;
  const def = raw ? storedTemplateModel(raw)?.resources.find((d) => d.name === ctx.params.resource_name) : undefined;
  return ok({ metadata: (def?.metadata as Record<string, unknown> | undefined) ?? {} });
}

/** A signal from someone with the member role: a wait condition handle takes it as if sent with its own token. */
export async function signalRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { stack, r } = await resourceAt(ctx);
  const row = (await ctx.rt.store.listResources(stack.id)).find((x) => x.name === r.name && !x.replacedBy);
  if (!row || row.type !== waitConditionHandlePlugin.type || typeof row.data.token !== "string") {
    throw bad("ResourceActionNotSupported", `Resource "${r.name}" (${r.type}) does not take signals through this API; Kiln signals OS::Heat::WaitConditionHandle resources`);
  }
  await ctx.rt.engine.signal(row.id, row.data.token, ctx.body);
  return { status: 200 };
}

export async function markUnhealthyRoute(ctx: HeatContext): Promise<HeatAnswer> {
  await resourceAt(ctx);
  throw bad("NotSupported", "Kiln does not mark resources unhealthy yet; run `openstack stack check` to verify every resource, or replace the resource by updating the stack");
}
