/**
 * Runs a plugin action on a locked resource row and stores what came of it: done (unlock,
 * event, propagate), waiting (keep the lock, remember where to resume, maybe set a timer) or
 * failed (unlock, event, fail the traversal). Shared by check jobs and resume jobs.
 */
import { jsonSize, overValueLimit } from "../limits";
import type { LockRunner, NotificationInput, ResourceAction, ResourceRecord, StackRecord, StackTraversalAfterWrite } from "../ports";
import { maskText } from "../template/hiddenValues";
import { ResourceFailure, sameValue, type ActionName, type Drift, type NestedStacks, type Outcome, type ResourcePlugin } from "../resources/plugin";
import type { EngineContext } from "./engineContext";
import type { StackDefinition } from "./definition";
import { message, resourceEvent } from "./events";
import { JOB, MAX_DELAY_MS, REFERENCE_KEY, resumeJob, WAIT_KEY, withoutWait, type CheckJob, type ResumeJob, type WaitMarker } from "./jobs";
import { parseNode } from "./nodes";
import { nestedStacksFor } from "./nestedStacks";
import { propagate, recheckCurrent, type NodeOutput } from "./propagate";
import { failTraversal } from "./traversal";
import { GONE, GONE_STATE, observeCloudState, withDrift } from "./cloudObservation";
import { runCheckJob } from "./checkNode";

export interface ActionRun {
  stack: StackRecord;
  traversal: string;
  node: string;
  row: ResourceRecord;
  action: ActionName;
  plugin: ResourcePlugin;
  properties: Record<string, unknown>;
  previousProperties: Record<string, unknown>;
  metadata: unknown;
  /** The resource's update_policy, checked (none outside a create or update). */
  updatePolicy?: Record<string, unknown>;
  files?: Record<string, string>;
  /** StackDefinition.childEnvironment, for a nested stack of the resource. */
  childEnvironment?: StackDefinition["childEnvironment"];
  /**
   * What the action applies (the definition a create or update converges to), stored in the
   * same write as the IN_PROGRESS state: stored alone first, a worker dying before the state
   * would leave a row that looks converged to the new definition, and nothing would apply it.
   */
  applying?: Partial<ResourceRecord>;
  /** The IN_PROGRESS state (with `applying`) was stored already, by the write that took the lock (StateStore.lockResource's `start`). */
  started?: boolean;
  /** Woken from a wait (by the cloud's watcher, a signal, a timer): it acts on the object it made or found. */
  resumed?: boolean;
  /** The queue's id of the check job running the action, when one is (see StateStore.lockResource). */
  runner?: string;
}

export function outputOf(row: ResourceRecord): NodeOutput {
  const { [REFERENCE_KEY]: reference, ...attributes } = expandShared(row.attributes, row.properties);
  return { physicalId: row.physicalId, reference: (reference as string | undefined) ?? row.physicalId, attributes };
}

/** Stored attributes: what get_resource gives rides along under REFERENCE_KEY when it is not the physical id. */
const withReference = (attributes: Record<string, unknown>, reference: string | undefined): Record<string, unknown> =>
  reference === undefined ? { ...attributes } : { ...attributes, [REFERENCE_KEY]: reference };

/**
 * An attribute or data entry that is the very value of one of the resource's properties (a
 * Value's `value`, a TestResource's `output`) is stored once, in the properties, and the entry
 * keeps only this marker naming the property. Small values are simply copied.
 */
const SAME_AS_PROPERTY = "$kiln:sameAsProperty";
const SHARED_FROM_BYTES = 1024;

function shareWithProperties(values: Record<string, unknown>, properties: Record<string, unknown>): Record<string, unknown> {
  const large = Object.keys(properties).filter((p) => jsonSize(properties[p], SHARED_FROM_BYTES) >= SHARED_FROM_BYTES);
  if (large.length === 0) return values;
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => {
      const same = large.find((p) => properties[p] === v);
      return [k, same === undefined ? v : { [SAME_AS_PROPERTY]: same }];
    }),
  );
}

function expandShared(values: Record<string, unknown>, properties: Record<string, unknown>): Record<string, unknown> {
  const isMarker = (v: unknown): v is Record<typeof SAME_AS_PROPERTY, string> =>
    typeof v === "object" && v !== null && Object.keys(v).length === 1 && typeof (v as Record<string, unknown>)[SAME_AS_PROPERTY] === "string";
  if (!Object.values(values).some(isMarker)) return values;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, isMarker(v) ? properties[v[SAME_AS_PROPERTY]] : v]));
}

/**
 * A JSON column for the write that ends an action, left out when it would store what the row
 * holds already (a OS::Heat::None's data, say): each one written is sealed, a cipher per column.
 */
function changedColumn<K extends "attributes" | "data">(column: K, stored: Record<string, unknown>, next: Record<string, unknown>): Partial<Record<K, Record<string, unknown>>> {
  return sameValue(stored, next) ? {} : ({ [column]: next } as Partial<Record<K, Record<string, unknown>>>);
}

/** Attributes and data a plugin produced over the value limit, as a failure reason; undefined when they fit. */
function outcomeTooLarge(outcome: Outcome): string | undefined {
  for (const [what, value] of [["attributes", "attributes" in outcome ? outcome.attributes : undefined], ["data", outcome.data]] as const) {
    const over = value === undefined ? undefined : overValueLimit(value, `the value of its ${what}`);
    if (over) return over;
  }
  return undefined;
}

export function pluginContext(ctx: EngineContext, run: Omit<ActionRun, "plugin" | "traversal" | "node">) {
  const { row, stack } = run;
  let nested: NestedStacks | undefined;
  return {
    action: run.action,
    stackId: stack.id,
    stackName: stack.name,
    projectId: stack.projectId,
    resourceId: row.id,
    resourceName: row.name,
    physicalId: row.physicalId,
    properties: run.properties,
    previousProperties: run.previousProperties,
    metadata: run.metadata,
    updatePolicy: run.updatePolicy ?? {},
    timeoutMins: ctx.timeoutMinsOf(stack),
    files: run.files ?? {},
    inheritedEnvironment: (request = {}) => run.childEnvironment?.(row.name, request),
    // Data was stored against the properties the resource had before this action.
    data: expandShared(withoutWait(row.data), run.previousProperties),
    now: ctx.deps.clock.now(),
    // Made when first asked for: a dozen closures, which most types (all that act in the store only) never use.
    get nested() {
      return (nested ??= nestedStacksFor(ctx, stack, row));
    },
    publicUrl: ctx.deps.publicUrl(),
    software: {
      store: ctx.deps.software,
      config: async (id: string) => {
        const config = await ctx.deps.software.getConfig(id);
        return config?.projectId === stack.projectId ? config : undefined;
      },
      changed: (serverId: string, projectId: string) => ctx.serverMetadataChanged(serverId, projectId),
    },
    cloud: async () => {
      const cloud = await ctx.deps.cloud?.(stack);
      if (!cloud) {
        throw new ResourceFailure(
          "No OpenStack cloud is configured for this project (give it credentials: the UI's Cloud page or kiln cloud set; or start the server with OS_CLOUD or OS_AUTH_URL and its OS_* variables)",
          "CloudNotConfigured",
        );
      }
      return cloud;
    },
    physicalName: () => `${stack.name}-${row.name}-${row.id.replace(/-/g, "").slice(0, 12)}`,
    peer: async (reference: string) => {
      const rows = await ctx.deps.store.listResources(stack.id);
      const peer = rows.find((r) => !r.replacedBy && (r.physicalId === reference || outputOf(r).reference === reference));
      return peer && { name: peer.name, type: peer.type, attributes: outputOf(peer).attributes, data: expandShared(peer.data, peer.properties) };
    },
  };
}

/** What a row holds once an action on it starts: what the action applies, and the IN_PROGRESS state. */
export function startedState(action: ActionName, traversal: string, applying?: Partial<ResourceRecord>): Partial<ResourceRecord> {
  return { ...applying, action: action as ResourceAction, status: "IN_PROGRESS", statusReason: "state changed", convergedTraversal: traversal };
}

/** Starts an action: IN_PROGRESS state and event, then the plugin's handler. */
export async function runAction(ctx: EngineContext, run: ActionRun) {
  const { store, notifier } = ctx.deps;
  const patch = startedState(run.action, run.traversal, run.applying);
  if (!run.started) await store.updateResource(run.row.id, patch);
  Object.assign(run.row, patch);
  // Stored with the events that follow in this turn (an action done at once is one insert);
  // a failure to store it fails the job once the action is recorded.
  const announced = notifier.notify([resourceEvent(run.row, run.action, "IN_PROGRESS", "state changed", run.traversal)]);
  announced.catch(() => {});
  const handler =
    run.action === "CREATE"
      ? run.plugin.create
      : run.action === "UPDATE"
        ? run.plugin.update ?? run.plugin.create
        : run.action === "DELETE"
          ? run.plugin.delete
          : run.plugin.check ?? (() => ({ state: "done" as const }));
  await settle(ctx, run, () => handler.call(run.plugin, pluginContext(ctx, run)));
  await announced;
}

/**
 * Wakes a waiting resource: the plugin's resume handler decides whether it is done. Answers
 * false when the resource no longer waits (it finished, or is gone).
 */
export async function resumeResource(ctx: EngineContext, job: ResumeJob): Promise<boolean> {
  const { store } = ctx.deps;
  const row = await store.getResource(job.resourceId);
  const marker = row?.data[WAIT_KEY] as WaitMarker | undefined;
  if (!row || !marker) return false;
  const stack = await store.getStack(row.stackId);
  const plugin = ctx.pluginForRow(row);
  if (!stack || !plugin) return true;
  const run: ActionRun = {
    stack,
    traversal: marker.traversal,
    node: marker.node,
    row,
    action: row.action as ActionName,
    plugin,
    properties: row.properties,
    previousProperties: row.properties,
    metadata: undefined,
    resumed: true,
  };
  await settle(ctx, run, () =>
    plugin.resume ? plugin.resume(pluginContext(ctx, run)) : { state: "done" as const },
  );
  return true;
}

async function settle(ctx: EngineContext, run: ActionRun, act: () => Promise<Outcome> | Outcome) {
  let outcome: Outcome;
  try {
    outcome = await act();
  } catch (e) {
    const kind = e instanceof ResourceFailure ? e.kind : (e as Error).name;
    const left = e instanceof ResourceFailure ? e.left : undefined;
    // A check, or a wait the watcher woke, that finds the object gone marks it so, for the page and the next update.
    const gone = (run.action === "CHECK" || (run.resumed === true && run.action !== "DELETE")) && kind === "NotFound";
    return recordFailure(ctx, run, `${kind}: resources.${run.row.name}: ${(e as Error).message}`, left, gone);
  }
  const tooLarge = outcomeTooLarge(outcome);
  // What it made is kept all the same (an id is small), so that the stack's delete finds it.
  const made = outcome.physicalId !== undefined && outcome.physicalId !== run.row.physicalId ? { physicalId: outcome.physicalId, attributes: {} } : undefined;
  if (tooLarge) return recordFailure(ctx, run, `ValueTooLarge: resources.${run.row.name}: ${tooLarge}`, made);
  if (outcome.state === "wait") return recordWait(ctx, run, outcome);
  return recordDone(ctx, run, outcome);
}

async function recordWait(ctx: EngineContext, run: ActionRun, outcome: Extract<Outcome, { state: "wait" }>) {
  const { store, queue, notifier } = ctx.deps;
  const marker: WaitMarker = { traversal: run.traversal, node: run.node };
  const physicalId = outcome.physicalId !== undefined ? outcome.physicalId : run.row.physicalId;
  const seen = observeCloudState(
    { ...run.row, physicalId },
    run.action,
    run.row.data,
    outcome.data ?? expandShared(withoutWait(run.row.data), run.previousProperties),
    outcome.cloudState,
    run.traversal,
  );
  const held = await store.updateHeldResource(run.row.id, run.traversal, {
    data: { ...seen.data, [WAIT_KEY]: marker },
    ...(outcome.physicalId !== undefined ? { physicalId: outcome.physicalId } : {}),
    ...(outcome.attributes ? { attributes: outcome.attributes } : {}),
  });
  // Released while the plugin ran (the stack timed out, the queue gave up): that ended the wait for good.
  if (!held) return keepMadeObject(ctx, run, outcome.physicalId);
  if (seen.notice) await notifier.notify([seen.notice]);
  const payload = resumeJob(run.row.id, run.stack.id, marker);
  if (outcome.finishedBeforeWaiting && (await outcome.finishedBeforeWaiting())) await queue.enqueue([{ kind: JOB.resume, payload }]);
  if (outcome.wakeAfterMs !== undefined) {
    await queue.enqueue([{ kind: JOB.resume, payload, delayMs: Math.min(MAX_DELAY_MS, Math.max(0, outcome.wakeAfterMs)) }]);
  }
}

/** What an action that is done leaves of the resource, and the notice of a cloud state it changed. */
interface Completion {
  physicalId: string | null;
  attributes: Record<string, unknown>;
  data: Record<string, unknown>;
  notice?: NotificationInput;
}

async function completion(ctx: EngineContext, run: ActionRun, outcome: Extract<Outcome, { state: "done" }>): Promise<Completion> {
  const { row } = run;
  const attributes = withReference(outcome.attributes ?? expandShared(row.attributes, run.previousProperties), outcome.reference);
  const physicalId = outcome.physicalId !== undefined ? outcome.physicalId : row.physicalId;
  // A check says what drifted; a create or update has just applied the template, so nothing has.
  const drift = run.action === "CHECK" ? await shownDrift(ctx, run.stack, outcome.drift ?? []) : [];
  const applied = withDrift(withoutWait({ ...expandShared(row.data, run.previousProperties), ...(outcome.data ?? {}) }), drift);
  const seen = observeCloudState({ ...row, physicalId }, run.action, row.data, applied, outcome.cloudState, run.traversal);
  return { physicalId, attributes, data: seen.data, notice: seen.notice };
}

/** The write that stores a completion on the row, of the columns it changes. */
const completed = (run: ActionRun, done: Completion): Partial<ResourceRecord> => ({
  status: "COMPLETE",
  statusReason: "state changed",
  physicalId: done.physicalId,
  ...changedColumn("attributes", run.row.attributes, shareWithProperties(done.attributes, run.properties)),
  ...changedColumn("data", run.row.data, shareWithProperties(done.data, run.properties)),
});

/** The events of a completion: the cloud state it changed, if it did, and the action's COMPLETE. */
const completionEvents = (run: ActionRun, done: Completion): NotificationInput[] => [
  ...(done.notice ? [done.notice] : []),
  resourceEvent({ ...run.row, physicalId: done.physicalId }, run.action, "COMPLETE", "state changed", run.traversal),
];

/** Hands a completed create, update or check on to the node's successors. */
const propagateCompletion = (ctx: EngineContext, run: ActionRun, done: Completion) =>
  propagate(ctx, { stackId: run.stack.id, traversal: run.traversal, node: run.node }, outputOf({ ...run.row, physicalId: done.physicalId, attributes: done.attributes }));

/** Runs a create or delete of a type that acts only in the store (ResourcePlugin.actsInStoreOnly) before anything is stored: what it did, or undefined when it did not simply succeed. */
async function actedInStoreOnly(ctx: EngineContext, run: ActionRun): Promise<Completion | undefined> {
  let outcome: Outcome;
  try {
    outcome = await (run.action === "DELETE" ? run.plugin.delete : run.plugin.create).call(run.plugin, pluginContext(ctx, run));
  } catch {
    return undefined;
  }
  if (outcome.state !== "done" || outcomeTooLarge(outcome)) return undefined;
  return completion(ctx, run, outcome);
}

/** An action done in one write: both its events at once. */
const announceAtOnce = (ctx: EngineContext, run: ActionRun, done: Completion) =>
  ctx.deps.notifier.notify([resourceEvent(run.row, run.action, "IN_PROGRESS", "state changed", run.traversal), ...completionEvents(run, done)]);

/**
 * The create of a type whose create acts on nothing outside the store
 * (ResourcePlugin.actsInStoreOnly), in one write: the plugin runs first, on the row as its
 * create would begin, and what it made is stored with the lock taken and released in the same
 * statement (StateStore.createAtOnce). Nothing is stored before, so a worker dying on the way
 * leaves the row to be created again. Answers false, having stored nothing, when the create did
 * not simply succeed or the row could not be taken: the resource then goes the usual way (lock,
 * act, release), which runs its create again.
 */
export async function createAtOnce(ctx: EngineContext, given: ActionRun, runner: LockRunner | undefined): Promise<boolean> {
  const started = startedState("CREATE", given.traversal, given.applying);
  const run: ActionRun = { ...given, action: "CREATE", row: { ...given.row, ...started } };
  const done = await actedInStoreOnly(ctx, run);
  if (!done) return false;
  const { written, stackTraversal } = await ctx.deps.store.createAtOnce(run.row.id, run.traversal, runner, { ...started, ...completed(run, done) });
  if (!written) return false;
  await announceAtOnce(ctx, run, done);
  await afterRelease(ctx, run, stackTraversal, () => propagateCompletion(ctx, run, done));
  return true;
}

/**
 * The delete of a type whose delete acts on nothing outside the store
 * (ResourcePlugin.actsInStoreOnly), in one write: the plugin runs first and the row is deleted
 * unless another job holds it (StateStore.deleteAtOnce). Answers "refused", having stored
 * nothing, when the delete did not simply succeed or the row is held: it then goes the usual
 * way. Deleted, the node goes on ("deleted") while its traversal is the stack's; otherwise the
 * resource is handed to the current one ("handed over"), as after any release, and the job stops.
 */
export async function deleteAtOnce(
  ctx: EngineContext,
  run: ActionRun & { action: "DELETE" },
  runner: LockRunner | undefined,
): Promise<"refused" | "deleted" | "handed over"> {
  const done = await actedInStoreOnly(ctx, run);
  if (!done) return "refused";
  const { deleted, stackTraversal } = await ctx.deps.store.deleteAtOnce(run.row.id, run.traversal, runner);
  if (!deleted) return "refused";
  await announceAtOnce(ctx, run, done);
  return (await stillCurrent(ctx, run, stackTraversal)) ? "deleted" : "handed over";
}

async function recordDone(ctx: EngineContext, run: ActionRun, outcome: Extract<Outcome, { state: "done" }>) {
  const { store, notifier } = ctx.deps;
  const done = await completion(ctx, run, outcome);
  const stackTraversal = run.action === "DELETE" ? await store.deleteResource(run.row.id) : await store.unlockResource(run.row.id, run.traversal, completed(run, done));
  if (stackTraversal === undefined && (await releasedMeanwhile(ctx, run))) return keepMadeObject(ctx, run, done.physicalId);
  // Stored before any arrival: a node with several predecessors, queued by whichever arrives
  // last (in any process), must report after every one of them.
  await notifier.notify(completionEvents(run, done));
  await afterRelease(ctx, run, stackTraversal, () => {
    if (run.action !== "DELETE") return propagateCompletion(ctx, run, done);
    // A cleanup node may have more rows to delete: run it again; it propagates when none are
    // left. Its own check job runs it at once, on the stack it read, its traversal still
    // current (redelivered, that job runs the node again too); a resumed delete queues it.
    const job: CheckJob = { stackId: run.stack.id, traversal: run.traversal, node: run.node };
    if (run.runner !== undefined) return runCheckJob(ctx, job, run.runner, run.stack);
    return ctx.deps.queue.enqueue([{ kind: JOB.check, payload: job }]);
  });
}

/** Drift as it may be shown: a value applied from a hidden parameter is masked (the cloud's own value is kept, to be converged from). */
async function shownDrift(ctx: EngineContext, stack: StackRecord, drift: Drift[]): Promise<Drift[]> {
  if (!drift.length) return drift;
  const secrets = await ctx.secrets(stack);
  return drift.map((d) => (typeof d.applied === "string" ? { ...d, applied: maskText(d.applied, secrets) } : d));
}

async function recordFailure(ctx: EngineContext, run: ActionRun, given: string, left?: ResourceFailure["left"], gone = false) {
  const { store, notifier } = ctx.deps;
  // A reason is shown and logged: it must not carry a hidden value (a plugin may quote its input).
  const reason = maskText(given, await ctx.secrets(run.stack));
  // What a failure leaves is kept only within the value limit, as a success's attributes are.
  const kept = left && overValueLimit(left.attributes, "the value of its attributes") === undefined ? left : undefined;
  const attributes = kept && withReference(kept.attributes, kept.reference);
  const before = expandShared(withoutWait(run.row.data), run.previousProperties);
  const data = gone ? withDrift(before, GONE) : before;
  const seen = observeCloudState(run.row, run.action, run.row.data, data, gone ? GONE_STATE : undefined, run.traversal);
  const stackTraversal = await store.unlockResource(run.row.id, run.traversal, {
    status: "FAILED",
    statusReason: reason,
    convergedTraversal: run.traversal,
    // The id of what it made, whatever the size of the rest.
    ...(left ? { physicalId: left.physicalId } : {}),
    // Kept whole: the properties may have changed under entries stored once with the old ones.
    attributes: attributes ?? expandShared(run.row.attributes, run.previousProperties),
    data: seen.data,
  });
  if (stackTraversal === undefined && (await releasedMeanwhile(ctx, run))) return keepMadeObject(ctx, run, left?.physicalId);
  await notifier.notify([
    ...(seen.notice ? [seen.notice] : []),
    resourceEvent(run.row, run.action, "FAILED", reason, run.traversal),
    message(run.stack.id, "warning", `${run.row.name} ${run.action} failed: ${reason}`, run.row.name, run.traversal),
  ]);
  if (run.action === "CHECK") {
    // A failed check is reported at the end, but does not stop the other checks.
    return afterRelease(ctx, run, stackTraversal, () => propagate(ctx, { stackId: run.stack.id, traversal: run.traversal, node: run.node }, {}));
  }
  // A traversal this failure ends starts its rollback's jobs itself; one overtaken already may
  // have a newer traversal waiting for this resource, which is handed over now (queueing the
  // rollback's node again could run it twice at once, making a second copy of a replacement).
  if (!(await failTraversal(ctx, run.stack.id, run.traversal, `Resource ${run.action} failed: ${reason}`))) {
    await recheckCurrent(ctx, run.stack.id, run.row.name);
  }
}

/** Stores a resource's failure (releasing the traversal's lock and any wait), reports it, and fails the traversal when it is still current. */
export async function failResource(ctx: EngineContext, stackId: string, traversal: string, row: ResourceRecord, action: ResourceAction, given: string) {
  const { store, notifier } = ctx.deps;
  const stack = await store.getStack(stackId);
  const reason = stack ? maskText(given, await ctx.secrets(stack)) : given;
  const patch: Partial<ResourceRecord> = { action, status: "FAILED", statusReason: reason, convergedTraversal: traversal, data: withoutWait(row.data) };
  if (row.lockTraversal === traversal) await store.unlockResource(row.id, traversal, patch);
  else await store.updateResource(row.id, patch);
  await notifier.notify([
    resourceEvent(row, action, "FAILED", reason, traversal),
    message(stackId, "warning", `${row.name} ${action} failed: ${reason}`, row.name, traversal),
  ]);
  await failTraversal(ctx, stackId, traversal, `Resource ${action} failed: ${reason}`);
}

/**
 * Whether the job's traversal is still the stack's after a release (as the release read it, or
 * read now when it could not); when it is not, the resource is handed to the current one.
 */
async function stillCurrent(ctx: EngineContext, run: ActionRun, stackTraversal: StackTraversalAfterWrite): Promise<boolean> {
  const current = stackTraversal !== undefined ? stackTraversal : (await ctx.deps.store.getStack(run.stack.id))?.currentTraversal;
  if (current === run.traversal) return true;
  const parsed = parseNode(run.node);
  if (parsed) await recheckCurrent(ctx, run.stack.id, parsed.resource);
  return false;
}

/**
 * Whether the release that answered no traversal found the row no longer held by the action's,
 * its outcome not stored: whoever released it decided its end (a timeout failed it and said so;
 * the queue giving up left it for the traversal's recheck). Not when the stack is gone, which is
 * the other reason a release answers none.
 */
async function releasedMeanwhile(ctx: EngineContext, run: ActionRun): Promise<boolean> {
  const row = await ctx.deps.store.getResource(run.row.id);
  if (row?.lockTraversal === run.traversal) return false;
  // Gone under a create or update: what overtook the action deleted it (a rollback, the stack's
  // delete). Gone under a delete: the delete itself, maybe an earlier delivery of it, and the
  // node goes on.
  if (!row && run.action === "DELETE") return false;
  return (await ctx.deps.store.getStack(run.stack.id)) !== undefined;
}

/**
 * An action whose row was released while it ran (releasedMeanwhile) may still have made a cloud
 * object: its id goes on the row, which the release left FAILED, so that the stack's delete or
 * next update finds it (Heat stores a resource's id the moment its plugin has one). When the row
 * has moved on meanwhile (another action holds it, it names another object, or a rollback or the
 * stack's delete removed it), the stack is warned with the object's id rather than left to lose
 * it without a word.
 */
async function keepMadeObject(ctx: EngineContext, run: ActionRun, physicalId: string | null | undefined) {
  if (!physicalId || physicalId === run.row.physicalId) return;
  if (await ctx.deps.store.recordMadeObject(run.row.id, run.row.physicalId, physicalId)) return;
  // Another delivery of the action found the same object (cloud creates adopt what an earlier
  // try made) and stored it: it is the resource's own.
  if ((await ctx.deps.store.getResource(run.row.id))?.physicalId === physicalId) return;
  const text = `${run.row.name} ${run.action} made ${physicalId} after it had been given up, and the resource has moved on: it is recorded nowhere else; delete it by hand if it is not wanted`;
  await ctx.deps.notifier.notify([message(run.stack.id, "warning", text, run.row.name, run.traversal)]);
}

/** Goes on with the traversal when it is still current; otherwise the resource was handed to the current one (stillCurrent). */
async function afterRelease(ctx: EngineContext, run: ActionRun, stackTraversal: StackTraversalAfterWrite, continueTraversal: () => Promise<void>) {
  if (await stillCurrent(ctx, run, stackTraversal)) await continueTraversal();
}

export async function debug(ctx: EngineContext, stackId: string, text: string, resource: string | null, traversal: string) {
  await ctx.deps.notifier.notify([message(stackId, "debug", text, resource, traversal)]);
}
