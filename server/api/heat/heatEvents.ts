/** Heat's event routes: a stack's events and a resource's, with filters, sort_dir, limit/marker and nested_depth. */
import { listNotifications } from "../../notify/notificationHistory";
import { NotFound } from "../../services/stacks";
import { bad, intParam, listParam, ok, type HeatAnswer, type HeatContext } from "./heatRequest";
import { depthOf, stackAt, stackCache } from "./heatStackRef";
import { eventView } from "./heatViews";

const EVENT_FILTERS: Record<string, (e: ReturnType<typeof eventView>) => string> = {
  resource_name: (e) => e.resource_name,
  resource_type: (e) => e.resource_type,
  resource_action: (e) => e.resource_status.split("_")[0]!,
  resource_status: (e) => e.resource_status.split("_").slice(1).join("_"),
};
const MAX_EVENTS = 5000;

export async function eventsRoute(ctx: HeatContext, resourceName?: string, eventId?: string): Promise<HeatAnswer> {
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
