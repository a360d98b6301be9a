/**
 * The `check` job: converge one node of a traversal, reading only the stack row, the node's
 * sync point and arrivals, and the rows of its own resource. Safe to run twice: a node already
 * converged in this traversal just propagates again.
 */
import { StoredDataUnreadable } from "../errors";
import type { ResourceRecord, StackRecord } from "../ports";
import type { ResourcePlugin } from "../resources/plugin";
import type { RestrictedAction } from "../template";
import { propertiesFor, updatePolicyFor } from "../resources/validateProperties";
import { checkCloudLookups, collectCloudLookups, type CloudLookup } from "../validation/cloudLookups";
import type { ResourceDefinition, ResourceOutput } from "./definition";
import type { EngineContext } from "./engineContext";
import { message, resourceEvent } from "./events";
import { DELETION_POLICY_KEY, METADATA_KEY, PROVIDER_KEY, TEMPLATE_TYPE_KEY, WAIT_KEY, type CheckBatch, type CheckJob } from "./jobs";
import { parseNode, STACK_NODE } from "./nodes";
import { propagate, recheckCurrent } from "./propagate";
import { createAtOnce, debug, deleteAtOnce, failResource, outputOf, runAction, startedState } from "./resourceActions";
import { metadataDigest, resourceChange, type ResourceChange } from "./resourceChange";
import { cloudProperties, driftOf, withDrift } from "./cloudObservation";
import { blankRow, byName, currentRow, rowToConverge } from "./resourceRows";
import { checkable, checkNotSupported } from "./stackCheck";
import { completeTraversal, failTraversal } from "./traversal";

/** A check job as it runs: `runner` is the queue's id of it, the same on each delivery (see StateStore.lockResource). */
type CheckRun = CheckJob & { runner?: string };

/**
 * `current`: the stack as this job read it, when the job knows its traversal is still the
 * current one; `known`: the rows of the node's resource, as its batch read them.
 */
export async function runCheckJob(ctx: EngineContext, job: CheckJob, runner?: string, current?: StackRecord, known?: ResourceRecord[]) {
  const stack = current ?? (await ctx.deps.store.getStack(job.stackId));
  if (!stack) return;
  const parsed = parseNode(job.node);
  if (stack.currentTraversal !== job.traversal) {
    if (parsed) await releaseAbandoned(ctx, stack.id, parsed.resource, job.traversal);
    return;
  }
  if (job.node === STACK_NODE) return completeTraversal(ctx, stack, job.traversal);
  if (!parsed) return;
  const run: CheckRun = { ...job, runner };
  if (parsed.kind === "update") return convergeResource(ctx, stack, run, parsed.resource, known);
  if (parsed.kind === "cleanup") return cleanupResource(ctx, stack, run, parsed.resource, known);
  return checkResource(ctx, stack, run, parsed.resource);
}

/**
 * The `checks` job: each node converged as its own check job would converge it, side by side
 * (as many as the process lets batches run at once: EngineContext.batchedNodes), on one read of
 * the stack and one of their resources' rows. All of them run to the end before the
 * job answers; if any failed, the job fails and the queue runs it again, every node again (a
 * node that converged just propagates again), so one delivery at a time ever runs a node, as
 * with single jobs. Every node runs under the job's id: each locks its own resource.
 */
export async function runCheckBatch(ctx: EngineContext, batch: CheckBatch, runner?: string) {
  const stack = await ctx.deps.store.getStack(batch.stackId);
  if (!stack) return;
  const current = stack.currentTraversal === batch.traversal;
  const rows = current ? await rowsOfBatch(ctx, stack.id, batch) : undefined;
  const settled = await Promise.allSettled(
    batch.nodes.map((node) => {
      const job: CheckJob = { stackId: batch.stackId, traversal: batch.traversal, node };
      const known = rows && (rows.get(parseNode(node)?.resource ?? "") ?? []);
      return ctx.batchedNodes.run(() => runCheckJob(ctx, job, runner, stack, known));
    }),
  );
  // A failure as it was thrown: the queue's policy tells a hopeless one by its class, so one of
  // those first (retrying the batch cannot help), else the first.
  const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
  if (failures.length) throw failures.find((e) => e instanceof StoredDataUnreadable) ?? failures[0];
}

/**
 * The rows of a batch's resources, by name: those this process stored blank as the traversal
 * started, as it stored them; the others read in one statement.
 */
async function rowsOfBatch(ctx: EngineContext, stackId: string, batch: CheckBatch): Promise<Map<string, ResourceRecord[]>> {
  const known = new Map<string, ResourceRecord[]>();
  const unknown: string[] = [];
  for (const node of batch.nodes) {
    const parsed = parseNode(node);
    if (!parsed) continue;
    const blank = parsed.kind === "update" ? ctx.takeBlankRow(batch.traversal, parsed.resource) : undefined;
    if (blank) known.set(parsed.resource, [blank]);
    else unknown.push(parsed.resource);
  }
  if (unknown.length) for (const [name, rows] of byName(await ctx.deps.store.findResourcesNamed(stackId, unknown))) known.set(name, rows);
  return known;
}

/**
 * A job of an outdated traversal whose worker died mid-action left its lock behind: release
 * it so the current traversal can take the resource. (Waiting resources keep theirs: their
 * resume finishes the action and releases it.)
 */
async function releaseAbandoned(ctx: EngineContext, stackId: string, name: string, traversal: string) {
  const rows = await ctx.deps.store.findResources(stackId, name);
  const abandoned = rows.filter((r) => r.lockTraversal === traversal && !r.data[WAIT_KEY]);
  for (const r of abandoned) await ctx.deps.store.unlockResource(r.id, traversal, {});
  if (abandoned.length) await recheckCurrent(ctx, stackId, name);
}

/** Who takes a row's lock for the job (see StateStore.lockResource). */
const runnerOf = (job: CheckRun) => (job.runner === undefined ? undefined : { id: job.runner, takeover: job.takeover });

/**
 * Takes the row's lock for the job; `start` (see StateStore.lockResource) begins its create in
 * the same write. Undefined when the row is busy.
 */
async function lock(ctx: EngineContext, row: ResourceRecord, job: CheckRun, start?: Partial<ResourceRecord>) {
  const { resource, heldBy, started } = await ctx.deps.store.lockResource(row.id, job.traversal, runnerOf(job), start);
  // Another job for this same node (a copy queued twice) is converging it: that one goes on.
  if (!resource && heldBy === job.traversal) return undefined;
  if (!resource && heldBy) {
    await debug(ctx, job.stackId, `${row.name} is busy with traversal ${heldBy.slice(0, 8)}; it will be converged when that finishes`, row.name, job.traversal);
  }
  return resource && { row: resource, started: started === true };
}

async function convergeResource(ctx: EngineContext, stack: StackRecord, job: CheckRun, name: string, known?: ResourceRecord[]) {
  const { store, newId, clock } = ctx.deps;
  const definition = await ctx.definition(stack.templateId, stack);
  const def = definition.resources.get(name);
  if (!def) return propagate(ctx, job, {});
  const rows = known ?? (await store.findResources(stack.id, name));
  let row = rowToConverge(rows, job.traversal, stack.templateId);
  if (!row) {
    row = blankRow(newId(), stack.id, def, new Date(clock.now()).toISOString());
    await store.createResources([row]);
  }
  if (convergedHere(row, job)) return convergedBefore(ctx, stack, job, row);
  const resumedAfterCrash = row.convergedTraversal === job.traversal;
  if (resumedAfterCrash && row.data[WAIT_KEY]) return;

  const plugin = ctx.pluginFor(def, definition.files);
  const wanted = await desiredProperties(ctx, job, def, plugin);
  const properties = wanted.properties ?? {};
  const record = { type: def.type, requires: def.requires, templateId: stack.templateId, properties };
  const base = {
    stack,
    traversal: job.traversal,
    node: job.node,
    plugin: plugin!,
    properties,
    metadata: wanted.metadata,
    updatePolicy: wanted.updatePolicy,
    files: definition.files,
    childEnvironment: definition.childEnvironment,
  };

  // A resource not created yet (the row read unlocked is the row locked while it is still INIT),
  // the current one, whose properties resolve with nothing to ask the cloud: its create starts
  // in the write that takes its lock.
  const marks = rowMarks(def, wanted.metadata);
  const createNow = !resumedAfterCrash && row.action === "INIT" && !row.replaces && (currentRow(rows) ?? row).id === row.id && wanted.properties && !wanted.lookups.length;
  const creating = createNow ? { ...record, data: { ...row.data, ...marks } } : undefined;
  if (creating && plugin!.actsInStoreOnly) {
    const run = { ...base, row, applying: creating, action: "CREATE" as const, previousProperties: {} };
    if (await createAtOnce(ctx, run, runnerOf(job))) return;
  }
  const locked = await lock(ctx, row, job, creating && startedState("CREATE", job.traversal, creating));
  if (!locked) return;
  row = locked.row;
  if (locked.started) return runAction(ctx, { ...base, row, applying: creating, started: true, action: "CREATE", previousProperties: {} });
  // The row as locked, not as read: another copy of this node (queued twice), converging it
  // when this one read it, may have finished it since. Its outcome stands.
  if (convergedHere(row, job)) {
    await store.unlockResource(row.id, job.traversal, {});
    return convergedBefore(ctx, stack, job, row);
  }
  await returnTo(ctx, stack, job, row, rows);
  if (wanted.failure !== undefined) return failBeforeAction(ctx, stack, job, row, wanted.failure);

  const policy = { ...row.data, ...marks };
  // Its worker died mid-action (the row as locked: this job holds it now).
  if (row.convergedTraversal === job.traversal) {
    return runAction(ctx, { ...base, row, action: row.action === "UPDATE" ? "UPDATE" : "CREATE", previousProperties: row.properties });
  }
  // A top-level stack's values were looked up when it was submitted; a nested stack's never were.
  const unknown = () => unknownToCloud(ctx, stack, stack.parentResourceId ? [] : definition.cloudLookups ?? [], wanted.lookups, wanted.outputs);
  if (row.action === "INIT") {
    const missing = await unknown();
    if (missing) return failResource(ctx, stack.id, job.traversal, row, "CREATE", missing);
    // A worker died between creating this replacement and releasing the copy it replaces.
    const replaced = row.replaces ? rows.find((r) => r.id === row!.replaces && r.lockTraversal === job.traversal) : undefined;
    if (replaced) await markReplaced(ctx, stack, job, replaced, row.id, resourceChange(replaced, def, plugin!, properties, wanted.metadata));
    return runAction(ctx, { ...base, row, applying: { ...record, data: policy }, action: "CREATE", previousProperties: {} });
  }
  const change = resourceChange(row, def, plugin!, properties, wanted.metadata);
  if (change.kind === "none" && row.status === "COMPLETE") {
    // A type that takes changes silently keeps the properties it was given; others have the same ones.
    // So does one whose drift the template now matches: the cloud has the template's values.
    const drifted = driftOf(row.data).length > 0;
    const taken = plugin!.takesChangesSilently || drifted ? { properties } : {};
    await store.unlockResource(row.id, job.traversal, { convergedTraversal: job.traversal, templateId: stack.templateId, requires: def.requires, data: withDrift(policy, []), ...taken });
    return propagate(ctx, job, outputOf(row));
  }
  const restricted = change.kind === "replace" ? "replace" : "update";
  if (def.restrictedActions?.includes(restricted)) return refuseRestricted(ctx, stack, job, row, restricted);
  const missing = await unknown();
  if (missing) return failResource(ctx, stack.id, job.traversal, row, "UPDATE", missing);
  if (change.kind !== "replace") {
    return runAction(ctx, { ...base, row, applying: { ...record, data: policy }, action: "UPDATE", previousProperties: cloudProperties(row) });
  }
  // Replacement: the new copy is created now; the old one is deleted by this resource's cleanup
  // node, after everything that depended on it has moved to the new copy. Until then the old
  // one is whole, and a failure of the new copy goes back to it.
  const fresh = { ...blankRow(newId(), stack.id, def, new Date(clock.now()).toISOString()), ...record, replaces: row.id, data: marks };
  await store.createResources([fresh]);
  await markReplaced(ctx, stack, job, row, fresh.id, change);
  const freshLocked = await lock(ctx, fresh, job);
  if (!freshLocked) return;
  return runAction(ctx, { ...base, row: freshLocked.row, action: "CREATE", previousProperties: {} });
}

/**
 * An update or replacement the environment forbids (restricted_actions) fails the stack's
 * operation and leaves the resource as it was, as in Heat: only its event says UPDATE_FAILED.
 * Its row is not marked converged, so a copy of this job finds the same and refuses again.
 */
async function refuseRestricted(ctx: EngineContext, stack: StackRecord, job: CheckJob, row: ResourceRecord, action: RestrictedAction) {
  const refused = `${action} is restricted for resource.`;
  await ctx.deps.store.unlockResource(row.id, job.traversal, {});
  await ctx.deps.notifier.notify([
    resourceEvent(row, "UPDATE", "FAILED", refused, job.traversal),
    message(stack.id, "warning", `${row.name} was not changed: the environment's restricted_actions forbid its ${action === "replace" ? "replacement" : "update in place"}`, row.name, job.traversal),
  ]);
  await failTraversal(ctx, stack.id, job.traversal, `Resource UPDATE failed: ResourceActionRestricted: resources.${row.name}: ${refused}`);
}

/** Whether the row was converged in the job's traversal, and finished there. */
const convergedHere = (row: ResourceRecord, job: CheckJob) => row.convergedTraversal === job.traversal && row.status !== "IN_PROGRESS";

/** A node whose resource was converged already (a redelivered job, or a copy of it queued twice): its outcome is handed on again. */
async function convergedBefore(ctx: EngineContext, stack: StackRecord, job: CheckJob, row: ResourceRecord) {
  if (row.status === "COMPLETE") await propagate(ctx, job, outputOf(row), true);
  // Its worker died between storing the failure and failing the traversal.
  if (row.status === "FAILED") await failTraversal(ctx, stack.id, job.traversal, `Resource ${row.action} failed: ${row.statusReason}`);
}

/** The properties a resource is to have, resolved against what its dependencies handed on and checked against its type; or why they cannot be. */
async function desiredProperties(ctx: EngineContext, job: CheckJob, def: ResourceDefinition, plugin: ResourcePlugin | undefined) {
  const outputs = new Map<string, ResourceOutput>();
  // A resource that refers to none has nothing at its sync point to read.
  for (const a of def.requires.length ? await ctx.deps.store.arrivals(job.traversal, job.node) : []) {
    const dep = parseNode(a.predecessor);
    if (dep?.kind === "update") outputs.set(dep.resource, a.payload as ResourceOutput);
  }
  const lookups: CloudLookup[] = [];
  const wanted = {
    outputs,
    lookups,
    properties: undefined as Record<string, unknown> | undefined,
    metadata: undefined as unknown,
    updatePolicy: {} as Record<string, unknown>,
    failure: undefined as string | undefined,
  };
  try {
    if (!plugin) throw new Error(`The resource type "${def.type}" is not available`);
    const resolved = def.resolve((n) => outputs.get(n));
    const checked = propertiesFor(plugin, resolved.properties, {
      path: `resources.${def.name}.properties`,
      typeName: def.type,
      resolved: true,
      customConstraints: collectCloudLookups(lookups),
    });
    const policy = updatePolicyFor(plugin, resolved.updatePolicy, { path: `resources.${def.name}.update_policy`, typeName: def.type, resolved: true });
    const errors = [...checked.diagnostics, ...policy.diagnostics].filter((d) => d.severity === "error");
    if (errors.length) throw new Error(errors.map((d) => `${d.path}: ${d.message}`).join("; "));
    return { ...wanted, properties: checked.values, metadata: resolved.metadata, updatePolicy: policy.values };
  } catch (e) {
    return { ...wanted, failure: (e as Error).message };
  }
}

/**
 * As Heat validates a resource's properties before its create: a value known only now (from
 * another resource's attribute, say) or in a nested stack must exist in the cloud too. What
 * was asked about when the stack was submitted (`checked`), and the ids of the resources it
 * depends on, are not asked again. Answers the failure reason, or undefined.
 */
async function unknownToCloud(
  ctx: EngineContext,
  stack: StackRecord,
  checked: readonly CloudLookup[],
  lookups: CloudLookup[],
  outputs: ReadonlyMap<string, ResourceOutput>,
): Promise<string | undefined> {
  const known = new Set([...checked.map((l) => `${l.path}\0${l.value}`)]);
  const made = new Set([...outputs.values()].map((o) => o.physicalId));
  const ask = lookups.filter((l) => !known.has(`${l.path}\0${l.value}`) && !made.has(l.value));
  const cloud = ask.length ? await ctx.deps.cloud?.(stack) : undefined;
  if (!cloud) return undefined;
  const problems = await checkCloudLookups(ask, cloud);
  return problems.length ? `StackValidationFailed: ${problems.map((p) => `Property error: ${p.path}: ${p.message}`).join("; ")}` : undefined;
}

/**
 * Releases the copy being replaced, marked replaced by `by`. A copy whose type refused the
 * change in place is shown UPDATE_COMPLETE first, as Heat shows it.
 */
async function markReplaced(ctx: EngineContext, stack: StackRecord, job: CheckJob, row: ResourceRecord, by: string, change: ResourceChange) {
  const refused = change.kind === "replace" && change.refusedInPlace;
  const because = change.kind === "replace" ? change.because : "it changed";
  const reason = `Requires replacement: ${because}`;
  await ctx.deps.store.unlockResource(row.id, job.traversal, refused ? { replacedBy: by, action: "UPDATE", status: "COMPLETE", statusReason: reason } : { replacedBy: by });
  if (refused) {
    await ctx.deps.notifier.notify([
      resourceEvent(row, "UPDATE", "IN_PROGRESS", "state changed", job.traversal),
      resourceEvent(row, "UPDATE", "COMPLETE", reason, job.traversal),
    ]);
  }
  await debug(ctx, stack.id, `replacing ${row.name} because ${because}`, row.name, job.traversal);
}

/**
 * Makes `row`, an earlier copy of the resource, the current one again when a later copy stands
 * for it now (see rowToConverge): first `row` is no longer marked replaced, then every later
 * copy is marked replaced by it, to be deleted by the resource's cleanup node. In that order a
 * worker dying between the writes leaves the later copy current, and the job delivered again
 * picks `row` again.
 */
async function returnTo(ctx: EngineContext, stack: StackRecord, job: CheckJob, row: ResourceRecord, rows: ResourceRecord[]) {
  const { store } = ctx.deps;
  const current = currentRow(rows);
  if (!current || current.id === row.id) return;
  if (row.replacedBy) await store.updateResource(row.id, { replacedBy: null });
  row.replacedBy = null;
  for (const later of rows) if (later.id !== row.id && !later.replacedBy) await store.updateResource(later.id, { replacedBy: row.id });
  await debug(ctx, stack.id, `going back to ${row.name} ${row.physicalId ?? ""}: the copy made to replace it (${current.action}_${current.status}) is deleted`, row.name, job.traversal);
}

/**
 * What a row must remember of its definition for when the definition is gone (delete, resume).
 * The deletion policy only when it is not Heat's default, Delete (undefined clears one stored
 * before), and the metadata's digest only when there is metadata: most rows then keep no data at all, which is stored as it is rather than sealed.
 */
function rowMarks(def: ResourceDefinition, metadata: unknown): Record<string, unknown> {
  return {
    [DELETION_POLICY_KEY]: def.deletionPolicy === "Delete" ? undefined : def.deletionPolicy,
    [METADATA_KEY]: metadataDigest(metadata),
    ...(def.providerTemplate !== undefined ? { [PROVIDER_KEY]: def.providerTemplate } : {}),
    [TEMPLATE_TYPE_KEY]: def.templateType,
  };
}

async function cleanupResource(ctx: EngineContext, stack: StackRecord, job: CheckRun, name: string, known?: ResourceRecord[]) {
  const { store, notifier } = ctx.deps;
  const rows = known ?? (await store.findResources(stack.id, name));
  for (const candidate of await cleanedUp(ctx, stack, name, rows)) {
    const atOnce = await deletedAtOnce(ctx, stack, job, candidate);
    if (atOnce === "handed over") return;
    if (atOnce === "deleted") continue;
    const row = (await lock(ctx, candidate, job))?.row;
    if (!row) return;
    if (row.data[WAIT_KEY]) return; // its delete is in progress; resuming it runs this node again
    const plugin = ctx.pluginForRow(row);
    if (row.action === "INIT" || !plugin) {
      await store.deleteResource(row.id);
      continue;
    }
    if (row.data[DELETION_POLICY_KEY] === "Retain") {
      await store.deleteResource(row.id);
      await notifier.notify([resourceEvent(row, "DELETE", "COMPLETE", "deletion_policy is Retain: the resource itself was kept", job.traversal)]);
      continue;
    }
    // One row at a time: its completion (now or when it wakes) runs this node again for the rest.
    return runAction(ctx, {
      stack,
      traversal: job.traversal,
      node: job.node,
      row,
      action: "DELETE",
      plugin,
      properties: row.properties,
      previousProperties: row.properties,
      metadata: undefined,
      runner: job.runner,
    });
  }
  await propagate(ctx, job, {});
}

/**
 * The rows of a resource its cleanup node deletes: all of them when the stack's template no
 * longer has it, else every copy but the current one.
 */
export async function cleanedUp(ctx: EngineContext, stack: StackRecord, name: string, rows: ResourceRecord[]): Promise<ResourceRecord[]> {
  const desired = (await ctx.definition(stack.templateId, stack)).resources.has(name);
  const keep = desired ? currentRow(rows) : undefined;
  return rows.filter((r) => r.id !== keep?.id);
}

/** Deletes a created row of a type that acts only in the store in one write (see deleteAtOnce); "refused" when it goes the usual way. */
async function deletedAtOnce(ctx: EngineContext, stack: StackRecord, job: CheckRun, row: ResourceRecord): Promise<"refused" | "deleted" | "handed over"> {
  const plugin = ctx.pluginForRow(row);
  if (!plugin?.actsInStoreOnly || row.action === "INIT" || row.data[WAIT_KEY] || row.data[DELETION_POLICY_KEY] === "Retain") return "refused";
  const run = { stack, traversal: job.traversal, node: job.node, row, action: "DELETE" as const, plugin, properties: row.properties, previousProperties: row.properties, metadata: undefined, runner: job.runner };
  return deleteAtOnce(ctx, run, runnerOf(job));
}

async function checkResource(ctx: EngineContext, stack: StackRecord, job: CheckRun, name: string) {
  const row = currentRow(await ctx.deps.store.findResources(stack.id, name));
  if (!row || !checkable(row)) return propagate(ctx, job, {});
  if (row.convergedTraversal === job.traversal && row.status !== "IN_PROGRESS") return propagate(ctx, job, {}, true);
  const locked = (await lock(ctx, row, job))?.row;
  if (!locked) return;
  const plugin = ctx.pluginForRow(row);
  if (!plugin?.check) return checkNotSupported(ctx, job, locked);
  return runAction(ctx, {
    stack,
    traversal: job.traversal,
    node: job.node,
    row: locked,
    action: "CHECK",
    plugin,
    properties: row.properties,
    previousProperties: row.properties,
    metadata: undefined,
  });
}

/** The definition could not be applied (properties do not resolve or validate): the resource fails. */
async function failBeforeAction(ctx: EngineContext, stack: StackRecord, job: CheckJob, row: ResourceRecord, reason: string) {
  await failResource(ctx, stack.id, job.traversal, row, row.action === "INIT" ? "CREATE" : "UPDATE", `resources.${row.name}: ${reason}`);
}
