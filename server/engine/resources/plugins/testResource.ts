import { testResource } from "../testResource";
import { done, ResourceFailure, wait, type ActionName, type ResourceContext, type ResourcePlugin } from "../plugin";

/**
 * Keeps a string, and simulates slow and failing actions: the action waits `wait_secs` (or the
 * action's entry in `action_wait_secs`; negative waits forever) and then fails if `fail` is set.
 * The wait is a timed wake-up, not a sleeping worker.
 */
function waitSecs(ctx: ResourceContext, action: ActionName): number {
  const perAction = ctx.properties.action_wait_secs as Record<string, number | undefined> | undefined;
  const secs = perAction?.[action.toLowerCase()];
  return Number(secs ?? ctx.properties.wait_secs ?? 0);
}

function finish(ctx: ResourceContext, action: ActionName, value?: unknown) {
  if (ctx.properties.fail && action !== "DELETE") throw new ResourceFailure(`Test Resource failed ${ctx.resourceName}`, "ValueError");
  if (action === "DELETE") return done();
  const stored = value ?? ctx.data.value;
  return done({
    physicalId: ctx.physicalId ?? ctx.physicalName(),
    attributes: { output: stored },
    // A finished action's wait is over: the row's data is merged with this, and a `pending`
    // left behind would make the delete after a waited create look like one stopped midway.
    data: { value: stored, pending: undefined },
  });
}

function act(ctx: ResourceContext, action: ActionName, value?: unknown) {
  // A create stopped mid-wait (its stack was deleted) made nothing that takes time to remove.
  const createAborted = action === "DELETE" && (ctx.data.pending as { action?: string } | undefined)?.action === "CREATE";
  const secs = createAborted ? 0 : waitSecs(ctx, action);
  if (secs === 0) return finish(ctx, action, value);
  const data = { ...ctx.data, pending: { action, value: value ?? ctx.data.value, until: secs < 0 ? null : ctx.now + secs * 1000 } };
  return wait({ data, wakeAfterMs: secs < 0 ? undefined : secs * 1000 });
}

export const testResourcePlugin: ResourcePlugin = {
  ...testResource,
  create: (ctx) => act(ctx, "CREATE", ctx.properties.value),
  update: (ctx) => act(ctx, "UPDATE", ctx.properties.value),
  delete: (ctx) => act(ctx, "DELETE"),
  resume(ctx) {
    const pending = ctx.data.pending as { action: ActionName; value: unknown; until: number | null } | undefined;
    if (!pending) return done();
    if (pending.until === null || ctx.now < pending.until) {
      return wait({ wakeAfterMs: pending.until === null ? undefined : pending.until - ctx.now });
    }
    const { pending: _, ...rest } = ctx.data;
    return finish({ ...ctx, data: rest }, pending.action, pending.value);
  },
  // Heat replaces on a change of `value` when `update_replace` is set, and on any change of
  // `update_replace_value`; everything else updates in place.
  needsReplacement(oldProps, newProps) {
    if (oldProps.update_replace_value !== newProps.update_replace_value) return true;
    return Boolean(newProps.update_replace) && oldProps.value !== newProps.value;
  },
};
