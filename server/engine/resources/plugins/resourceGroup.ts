import { resourceGroup } from "../resourceGroup";
import { groupAttributes } from "../storedAttributes";
import { wait, type NestedStackStatus, type Outcome, type ResourceContext, type ResourcePlugin } from "../plugin";
import { canonicalJson } from "../../template/values";
import { checkNested, convergeNested, deleteNested, inherited, membersOf, nestedOutcome, waitForNested } from "./nestedOutcome";
import { afterBatch, byIndex, mostMembers, nextBatchOf, startBatches, type BatchProgress, type MemberDefinitions } from "./groupBatches";

type GroupData = {
  members?: string[];
  removed?: string[];
  /** What every member was last made from, kept once an action finishes (rows from before have none: their previous properties say). */
  source?: MemberSource;
  batched?: BatchedChange;
};

function replaceIndex(value: unknown, indexVar: string, index: string): unknown {
  if (typeof value === "string") return value.split(indexVar).join(index);
  if (Array.isArray(value)) return value.map((v) => replaceIndex(v, indexVar, index));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIndex(v, indexVar, index)]));
  }
  return value;
}

/**
 * Member names after a resize: members named by removal policies go first, then the
 * highest-numbered ones; new members take the lowest unused numbers never removed before.
 */
export function memberNames(count: number, data: GroupData, removalPolicies: { resource_list?: string[] }[]) {
  const removed = new Set(data.removed ?? []);
  let members = [...(data.members ?? [])];
  for (const policy of removalPolicies) {
    for (const name of policy.resource_list ?? []) {
      if (members.includes(String(name))) {
        members = members.filter((m) => m !== String(name));
        removed.add(String(name));
      }
    }
  }
  while (members.length > count) members.pop();
  // A set, not members.includes: naming n members must cost n steps, not n² (100,000 took 30 s).
  const taken = new Set(members);
  for (let i = 0; members.length < count; i++) {
    const name = String(i);
    if (!taken.has(name) && !removed.has(name)) members.push(name);
  }
  members.sort(byIndex);
  return { members, removed: [...removed] };
}

/** What a member is made from: the group's resource_def and the placeholder its index replaces. */
interface MemberSource {
  def: { type: string; properties?: unknown; metadata?: unknown };
  indexVar: string;
}

const sourceOf = (p: Record<string, unknown>): MemberSource => ({
  def: (p.resource_def ?? {}) as MemberSource["def"],
  indexVar: String(p.index_var ?? "%index%"),
});

function memberDefinition(source: MemberSource, name: string) {
  const { def, indexVar } = source;
  return {
    // Resolved in the nested stack, by the member's name, in the environment it inherits (as in Heat).
    type: def.type,
    ...(def.properties ? { properties: replaceIndex(def.properties, indexVar, name) } : {}),
    ...(def.metadata ? { metadata: replaceIndex(def.metadata, indexVar, name) } : {}),
  };
}

/** The nested stack's template: each member made from its own source. */
function templateOf(members: readonly string[], sourceFor: (name: string) => MemberSource) {
  const resources = Object.fromEntries(members.map((name) => [name, memberDefinition(sourceFor(name), name)]));
  return JSON.stringify({ heat_template_version: "2015-04-30", resources });
}

/** A batched create or rolling update under way, or cut short (then the next update starts from it). */
interface BatchedChange {
  /** The sources the members have, each member's by its index here. */
  sources: MemberSource[];
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
}

interface BatchPolicy {
  max_batch_size: number;
  pause_time: number;
  min_in_service?: number;
}

/**
 * How this create or update goes a batch at a time, or undefined for all at once: a create
 * with batch_create; an update with rolling_update that changes resource_def (Heat batches
 * nothing else: a resize alone is done at once).
 */
function batchedChange(ctx: ResourceContext, count: number, data: GroupData, removed: readonly string[]): BatchedChange | undefined {
  const source = sourceOf(ctx.properties);
  if (ctx.action === "CREATE") {
    const policy = ctx.updatePolicy.batch_create as BatchPolicy | undefined;
    if (!policy) return undefined;
    // Created empty first, then grown a batch at a time.
    return { sources: [source], newest: 0, members: {}, progress: startBatches(count, 0, policy.max_batch_size, 0), createEmpty: true, pauseMs: policy.pause_time * 1000 };
  }
  const policy = ctx.updatePolicy.rolling_update as BatchPolicy | undefined;
  if (!policy) return undefined;
  // Members as an earlier batched change left them (cut short), or all made from what was last
  // applied: not the previous properties, which a failed or redelivered update already set to
  // its own, so a retry rolls again (as Heat, which keeps the last properties that succeeded).
  const earlier = data.batched;
  const applied = data.source ?? sourceOf(ctx.previousProperties);
  if (!earlier && canonicalJson(applied.def) === canonicalJson(source.def)) return undefined;
  const gone = new Set(removed);
  const before = earlier?.members ?? Object.fromEntries((data.members ?? []).map((m) => [m, 0]));
  const had = earlier?.sources ?? [applied];
  // Only the sources some member still has, and the new one.
  const sources: MemberSource[] = [];
  const indexOf = (s: MemberSource) => {
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

/**
 * Runs the next batch: the nested stack updated to it, waited for. The first batch goes with
 * this action's files and environment; a later one, run when the resource wakes, keeps those
 * the nested stack has.
 */
async function nextBatch(ctx: ResourceContext, change: BatchedChange, removed: string[], first: boolean): Promise<Outcome> {
  const next = change.createEmpty ? { batch: { capacity: 0, updates: 0 }, after: change.progress } : nextBatchOf(change.progress)!;
  const members = afterBatch(change.members, next.batch, change.progress.target, change.newest, removed);
  const names = Object.keys(members).sort(byIndex);
  const template = templateOf(names, (name) => change.sources[members[name]!]!);
  // Members still made from an earlier template may name its files, which this action need not send.
  const outcome = first ? await convergeNested(ctx, { template, files: ctx.files, parameters: {}, keepFiles: true, ...inherited(ctx) }) : (await ctx.nested.retemplate(template), waitForNested(ctx));
  const pauseNext = change.pauseMs > 0 && !change.createEmpty;
  const data: GroupData = { ...keptOf(ctx.data as GroupData), members: names, removed, batched: { ...change, members, progress: next.after, createEmpty: false, pauseNext, pauseUntil: undefined } };
  return { ...outcome, data };
}

async function converge(ctx: ResourceContext) {
  const p = ctx.properties;
  const count = Number(p.count ?? 1);
  const data = ctx.data as GroupData;
  // Asked before a single member is named: a count the tree cannot hold builds nothing.
  await ctx.nested.admit(count);
  const { members, removed } = memberNames(count, data, (p.removal_policies as { resource_list?: string[] }[]) ?? []);
  const batched = batchedChange(ctx, count, data, removed);
  if (batched && (batched.createEmpty || nextBatchOf(batched.progress))) {
    // Nor the extra members a rolling update that keeps some in service adds for a while.
    const most = mostMembers(batched.progress);
    if (most > count) await ctx.nested.admit(most);
    return nextBatch(ctx, batched, removed, true);
  }
  const source = sourceOf(p);
  const template = templateOf(members, () => source);
  return { ...(await convergeNested(ctx, { template, files: ctx.files, parameters: {}, ...inherited(ctx) })), data: { ...keptOf(data), members, removed, batched: undefined } };
}

/** What a group keeps from one action to the next whatever the action does: what its members were last made from. */
const keptOf = (data: GroupData): GroupData => (data.source ? { source: data.source } : {});

/**
 * Woken with a nested stack that converged: every member is made from the action's properties
 * (those a resumed action is given are the ones it applies), which are kept.
 */
const finishedData = (ctx: ResourceContext, data: GroupData): GroupData => ({ members: data.members, removed: data.removed, source: sourceOf(ctx.properties), batched: undefined });

/** Woken: the nested stack finished a batch (or the pause after one ended), failed, or is still at it. */
async function resume(ctx: ResourceContext): Promise<Outcome> {
  const data = ctx.data as GroupData;
  const change = data.batched;
  const finished = (s: NestedStackStatus) => ({ attributes: attributesOf(s, data) });
  const converging = ctx.action === "CREATE" || ctx.action === "UPDATE";
  if (!converging || !change || !nextBatchOf(change.progress)) {
    const outcome = await nestedOutcome(ctx, finished);
    return converging && outcome.state === "done" ? { ...outcome, data: finishedData(ctx, data) } : outcome;
  }
  const s = await ctx.nested.status();
  if (s?.status !== "COMPLETE") return nestedOutcome(ctx, finished);
  if (change.pauseNext) {
    // Woken again before the pause ends (a job delivered twice, a timer left from an earlier
    // try): the pause goes on for what is left of it.
    const until = change.pauseUntil ?? ctx.now + change.pauseMs;
    if (ctx.now < until) return wait({ wakeAfterMs: until - ctx.now, data: { ...data, batched: { ...change, pauseUntil: until } } });
  }
  return nextBatch(ctx, change, data.removed ?? [], false);
}

/** The group's attributes: its members as they stand in the nested stack, in the group's order. */
function attributesOf(s: NestedStackStatus, data: GroupData) {
  return groupAttributes(membersOf(s, data.members ?? Object.keys(s.resources)), data.removed ?? []);
}

/** OS::Heat::ResourceGroup: identical members, numbered, in a nested stack of their own. */
export const resourceGroupPlugin: ResourcePlugin = {
  ...resourceGroup,
  create: converge,
  update: converge,
  delete: deleteNested,
  check: checkNested,
  nestedStack: true,
  resume,
  needsReplacement: () => false,
};
