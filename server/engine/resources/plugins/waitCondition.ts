import { waitCondition } from "../waitCondition";
import { done, ResourceFailure, wait, type ResourceContext, type ResourcePlugin } from "../plugin";
import type { WaitSignal } from "./waitConditionHandle";

async function evaluate(ctx: ResourceContext, setTimer: boolean) {
  const deadline = Number(ctx.data.deadline);
  const handle = await ctx.peer(String(ctx.properties.handle));
  if (!handle) throw new ResourceFailure(`The wait condition handle ${String(ctx.properties.handle)} is not in this stack`);
  const signals = (handle.data.signals as WaitSignal[] | undefined) ?? [];
  const failure = signals.find((s) => s.status === "FAILURE");
  if (failure) throw new ResourceFailure(failure.reason, "WaitConditionFailure");
  const needed = Number(ctx.properties.count ?? 1);
  if (signals.length >= needed) {
    const data = Object.fromEntries(signals.map((s) => [s.id, s.data]));
    return done({ physicalId: ctx.physicalId ?? ctx.physicalName(), attributes: { data: JSON.stringify(data) } });
  }
  if (ctx.now >= deadline) {
    throw new ResourceFailure(`${signals.length} of ${needed} received`, "WaitConditionTimeout");
  }
  return wait({ data: { deadline }, ...(setTimer ? { wakeAfterMs: deadline - ctx.now } : {}) });
}

/**
 * OS::Heat::WaitCondition: waits for `count` success signals on its handle. A signal wakes it
 * at once; the only timer is the one for its timeout.
 */
export const waitConditionPlugin: ResourcePlugin = {
  ...waitCondition,
  create(ctx) {
    const deadline = (ctx.data.deadline as number | undefined) ?? ctx.now + Number(ctx.properties.timeout) * 1000;
    return evaluate({ ...ctx, data: { ...ctx.data, deadline } }, true);
  },
  update: () => done(),
  delete: () => done(),
  resume: (ctx) => evaluate(ctx, false),
};
