/**
 * The create, update and resume of a group of members in a nested stack of its own, all at once
 * or a batch at a time as its update_policy asks (batch_create, rolling_update: groupBatches.ts).
 * ResourceGroup and the deployment groups share it as Heat's SoftwareDeploymentGroup shares
 * ResourceGroup's: they differ only in what their members are made from and how they are named
 * (a GroupShape).
 */
import { canonicalJson } from "../../template/values";
import { overValueLimit } from "../../limits";
import { ResourceFailure, sameValue, wait, type NestedStackStatus, type Outcome, type ResourceContext } from "../plugin";
import { afterBatch, mostMembers, nextBatchOf, startBatches, type BatchProgress, type MemberDefinitions } from "./groupBatches";
import { convergeNested, inherited, nestedOutcome, waitForNested } from "./nestedOutcome";

/** What a group keeps in its data. */
export type GroupData<Source = unknown> = {
  members?: string[];
  removed?: string[];
  /** What every member was last made from, kept once an action finishes (rows from before have none: their previous properties say). */
  source?: Source;
  batched?: BatchedChange<Source>;
};

/** What tells one group type from another. */
export interface GroupShape<Source> {
  /** What every member is made from, out of the group's properties: kept between batches, so JSON. */
  sourceOf(properties: Record<string, unknown>): Source;
  /** Whether members made from `a` are made the same from `b`: a rolling update rolls only when not. */
  sameMembers(a: Source, b: Source): boolean;
  /** Member `name`'s resource, made from `source`, as the nested template holds it. */
  definition(source: Source, name: string): Record<string, unknown>;
  /** How many members the group has once this action is done. */
  count(ctx: ResourceContext): number;
  /** The members the group has once this action is done, in its order, and those it drops (a ResourceGroup's removal policies, for good; a server gone from a deployment group's map). */
  members(ctx: ResourceContext, data: GroupData<Source>): { members: string[]; removed: string[] };
  /** The first `capacity` names of the group's members, in its order, none of the `removed`. */
  namesAt(ctx: ResourceContext, capacity: number, removed: readonly string[]): string[];
  /** Sorts member names in the group's order (a member the group no longer names last, as it was). */
  order(ctx: ResourceContext, data: GroupData<Source>): (a: string, b: string) => number;
  /** The group's attributes from its converged nested stack. */
  attributes(ctx: ResourceContext, s: NestedStackStatus, data: GroupData<Source>): Record<string, unknown>;
}

/** A batched create or rolling update under way, or cut short (then the next update starts from it). */
interface BatchedChange<Source> {
  /** The sources the members have, each member's by its index here. */
  sources: Source[];
  /** The source the change brings every member to. */
  newest: number;
  /** The nested stack's members, as the last batch left them. */
  members: MemberDefinitions;
  progress: BatchProgress;
  /** A batched create's first step: the nested stack created empty (no pause after it). */
  createEmpty?: boolean;
  pauseMs: number;
  /** The batch just run ends in a pause. */
  pauseNext?: boolean;
  /** When the pause before the next batch ends (ms since the epoch): a wake before then waits on. */
  pauseUntil?: number;
  /** Minutes each batch's nested update may take (batchTimeoutMins). */
  timeoutMins?: number;
}

interface BatchPolicy {
  max_batch_size: number;
  pause_time: number;
  min_in_service?: number;
}

/** The nested stack's template: each member made from its own source, in the order given. */
function templateOf<Source>(shape: GroupShape<Source>, names: readonly string[], sourceFor: (name: string) => Source) {
  const resources = Object.fromEntries(names.map((name) => [name, shape.definition(sourceFor(name), name)]));
  return JSON.stringify({ heat_template_version: "2015-04-30", resources });
}

/**
 * How this create or update goes a batch at a time, or undefined for all at once: a create
 * with batch_create; an update with rolling_update that changes what members are made from
 * (Heat batches nothing else: a resize alone is done at once).
 */
function batchedChange<Source>(shape: GroupShape<Source>, ctx: ResourceContext, count: number, data: GroupData<Source>, removed: readonly string[]): BatchedChange<Source> | undefined {
  const source = shape.sourceOf(ctx.properties);
  if (ctx.action === "CREATE") {
    const policy = ctx.updatePolicy.batch_create as BatchPolicy | undefined;
    if (!policy || count === 0) return undefined;
    // Created empty first, then grown a batch at a time.
    return { sources: [source], newest: 0, members: {}, progress: startBatches(count, 0, policy.max_batch_size, 0), createEmpty: true, pauseMs: policy.pause_time * 1000 };
  }
  const policy = ctx.updatePolicy.rolling_update as BatchPolicy | undefined;
  if (!policy) return undefined;
  // Members as an earlier batched change left them (cut short), or all made from what was last
  // applied: not the previous properties, which a failed or redelivered update already set to
  // its own, so a retry rolls again (as Heat, which keeps the last properties that succeeded).
  const earlier = data.batched;
  const applied = data.source ?? shape.sourceOf(ctx.previousProperties);
  if (!earlier && shape.sameMembers(applied, source)) return undefined;
  const gone = new Set(removed);
  const before = earlier?.members ?? Object.fromEntries((data.members ?? []).map((m) => [m, 0]));
  const had = earlier?.sources ?? [applied];
  // Only the sources some member still has, and the new one.
  const sources: Source[] = [];
  const indexOf = (s: Source) => {
    const i = sources.findIndex((known) => canonicalJson(known) === canonicalJson(s));
    return i >= 0 ? i : sources.push(s) - 1;
  };
  const members: MemberDefinitions = {};
  for (const [name, i] of Object.entries(before)) if (!gone.has(name)) members[name] = indexOf(had[i]!);
  const newest = indexOf(source);
  if (Object.values(members).every((i) => i === newest) && Object.keys(members).length === count) return undefined;
  const progress = startBatches(count, Object.keys(members).length, policy.max_batch_size, policy.min_in_service ?? 0);
  return { sources, newest, members, progress, pauseMs: policy.pause_time * 1000 };
}

/** The update_policy entry this action goes by. */
const policyName = (ctx: ResourceContext) => (ctx.action === "CREATE" ? "batch_create" : "rolling_update");

/** The batches a change has left to run (the empty create of a batched one is not one of them). */
function batchesLeft(progress: BatchProgress): number {
  let n = 0;
  for (let next = nextBatchOf(progress); next; next = nextBatchOf(next.after)) n++;
  return n;
}

/**
 * Refuses a change whose pauses alone would outlast the stack's timeout, before it starts (as
 * Heat does): it could only time out, some members changed and the rest not. Answers the
 * minutes each batch's nested update may take, as Heat gives them: the stack's timeout less the
 * pauses, rounded up.
 */
function batchTimeoutMins(ctx: ResourceContext, change: BatchedChange<unknown>): number {
  const pauses = Math.max(batchesLeft(change.progress) - 1, 0);
  const pausedMs = pauses * change.pauseMs;
  if (pausedMs < ctx.timeoutMins * 60_000) return Math.ceil((ctx.timeoutMins * 60_000 - pausedMs) / 60_000);
  const policy = policyName(ctx);
  throw new ResourceFailure(
    `update_policy.${policy}: its ${pauses} pauses of ${change.pauseMs / 1000} s between batches take ${pausedMs / 1000} s, ` +
      `at least the stack's timeout of ${ctx.timeoutMins} min; lower pause_time, raise max_batch_size or the stack's timeout`,
    "ValueError",
  );
}

/**
 * Refuses a batched change whose progress, which keeps the definitions the members have and the
 * one they go to, is over the value limit a resource's data is stored within.
 */
function refuseTooLargeToKeep(ctx: ResourceContext, kept: GroupData<unknown>) {
  const over = overValueLimit(kept, "what the group keeps while it goes a batch at a time (its members' old and new definitions)");
  if (!over) return;
  const policy = policyName(ctx);
  throw new ResourceFailure(`update_policy.${policy}: ${over}; pass less in the group's properties, or change it without ${policy}`, "ValueTooLarge");
}

/**
 * Runs the next batch: the nested stack updated to it, waited for. The first batch goes with
 * this action's files and environment; a later one, run when the resource wakes, keeps those
 * the nested stack has.
 */
async function nextBatch<Source>(shape: GroupShape<Source>, ctx: ResourceContext, change: BatchedChange<Source>, removed: string[], first: boolean): Promise<Outcome> {
  const next = change.createEmpty ? { batch: { capacity: 0, updates: 0 }, after: change.progress } : nextBatchOf(change.progress)!;
  const data = ctx.data as GroupData<Source>;
  const order = shape.order(ctx, data);
  const changes = (name: string, from: number) => !sameValue(shape.definition(change.sources[from]!, name), shape.definition(change.sources[change.newest]!, name));
  const members = afterBatch(change.members, next.batch, change.progress.target, change.newest, shape.namesAt(ctx, next.batch.capacity, removed), order, changes);
  const names = Object.keys(members).sort(order);
  const template = templateOf(shape, names, (name) => change.sources[members[name]!]!);
  const pauseNext = change.pauseMs > 0 && !change.createEmpty;
  // Not what the members were last made from (data.source) while they roll: the change keeps
  // that among its sources, and a resource's data holds only so much.
  const kept: GroupData<Source> = { members: names, removed, batched: { ...change, members, progress: next.after, createEmpty: false, pauseNext, pauseUntil: undefined } };
  // Refused before the first batch changes anything (its data could not be stored after it); later batches keep no more.
  if (first) refuseTooLargeToKeep(ctx, kept);
  const { timeoutMins } = change;
  // Members still made from an earlier template may name its files, which this action need not send.
  const outcome = first
    ? await convergeNested(ctx, { template, files: ctx.files, parameters: {}, keepFiles: true, ...inherited(ctx), timeoutMins })
    : (await ctx.nested.retemplate(template, timeoutMins), waitForNested(ctx));
  return { ...outcome, data: kept };
}

/** What a group keeps from one action to the next whatever the action does: what its members were last made from. */
const keptOf = <Source>(data: GroupData<Source>): GroupData<Source> => (data.source ? { source: data.source } : {});

/**
 * The group's data with the members it has: a row an earlier Kiln stored (its deployment groups
 * kept none) has those of its nested stack, so a rolling update keeps them rather than starting
 * from none.
 */
async function withMembers<Source>(ctx: ResourceContext, data: GroupData<Source>): Promise<GroupData<Source>> {
  if (data.members || ctx.action !== "UPDATE") return data;
  const s = await ctx.nested.status();
  return s ? { ...data, members: Object.keys(s.resources) } : data;
}

/** A group's create and update: its nested stack converged to its members, at once or a first batch. */
export function convergeGroup<Source>(shape: GroupShape<Source>) {
  return async (ctx: ResourceContext): Promise<Outcome> => {
    const data = await withMembers(ctx, ctx.data as GroupData<Source>);
    // Asked before a single member is named: a count the tree cannot hold builds nothing.
    await ctx.nested.admit(shape.count(ctx));
    const { members, removed } = shape.members(ctx, data);
    const batched = batchedChange(shape, ctx, members.length, data, removed);
    if (batched && (batched.createEmpty || nextBatchOf(batched.progress))) {
      batched.timeoutMins = batchTimeoutMins(ctx, batched);
      // Nor the extra members a rolling update that keeps some in service adds for a while.
      const most = mostMembers(batched.progress);
      if (most > members.length) await ctx.nested.admit(most);
      return nextBatch(shape, ctx, batched, removed, true);
    }
    const source = shape.sourceOf(ctx.properties);
    const template = templateOf(shape, members, () => source);
    return { ...(await convergeNested(ctx, { template, files: ctx.files, parameters: {}, ...inherited(ctx) })), data: { ...keptOf(data), members, removed, batched: undefined } };
  };
}

/** Woken: the nested stack finished a batch (or the pause after one ended), failed, or is still at it. */
export function resumeGroup<Source>(shape: GroupShape<Source>) {
  return async (ctx: ResourceContext): Promise<Outcome> => {
    const data = ctx.data as GroupData<Source>;
    const change = data.batched;
    const finished = (s: NestedStackStatus) => ({ attributes: shape.attributes(ctx, s, data) });
    const converging = ctx.action === "CREATE" || ctx.action === "UPDATE";
    if (!converging || !change || !nextBatchOf(change.progress)) {
      const outcome = await nestedOutcome(ctx, finished);
      // Every member is made from the action's properties (those a resumed action is given are the ones it applies), which are kept.
      const done: GroupData<Source> = { members: data.members, removed: data.removed, source: shape.sourceOf(ctx.properties), batched: undefined };
      return converging && outcome.state === "done" ? { ...outcome, data: done } : outcome;
    }
    const s = await ctx.nested.status();
    if (s?.status !== "COMPLETE") return nestedOutcome(ctx, finished);
    if (change.pauseNext) {
      // Woken again before the pause ends (a job delivered twice, a timer left from an earlier
      // try): the pause goes on for what is left of it.
      const until = change.pauseUntil ?? ctx.now + change.pauseMs;
      if (ctx.now < until) return wait({ wakeAfterMs: until - ctx.now, data: { ...data, batched: { ...change, pauseUntil: until } } });
    }
    return nextBatch(shape, ctx, change, data.removed ?? [], false);
  };
}
