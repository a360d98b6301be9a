/**
 * The `check` job: converge one node of a traversal, reading only the stack row, the node's
 * sync point and arrivals, and the rows of its own resource. Safe to run twice: a node already
 * converged in this traversal just propagates again.
 */
import type { ResourceRecord, StackRecord } from "../ports";
import { needsReplacement, sameValue, changedProperties, propertiesFor, alwaysUpdatedInPlace } from "../resources/plugin";
import type { ResourceDefinition, ResourceOutput } from "./definition";
import type { EngineContext } from "./engineContext";
import { message, resourceEvent } from "./events";
import { DELETION_POLICY_KEY, PROVIDER_KEY, WAIT_KEY, type CheckJob } from "./jobs";
import { parseNode, STACK_NODE } from "./nodes";
import { propagate, recheckCurrent } from "./propagate";
import { debug, failResource, outputOf, runAction } from "./resourceActions";
import { blankRow, currentRow } from "./resourceRows";
import { completeTraversal, failTraversal } from "./traversal";

export async function runCheckJob(ctx: EngineContext, job: CheckJob) {
  const stack = await ctx.deps.store.getStack(job.stackId);
  if (!stack) return;
  const parsed = parseNode(job.node);
  if (stack.currentTraversal !== job.traversal) {
    if (parsed) await releaseAbandoned(ctx, stack.id, parsed.resource, job.traversal);
    return;
  }
  if (job.node === STACK_NODE) return completeTraversal(ctx, stack, job.traversal);
  if (!parsed) return;
  if (parsed.kind === "update") return convergeResource(ctx, stack, job, parsed.resource);
  if (parsed.kind === "cleanup") return cleanupResource(ctx, stack, job, parsed.resource);
  return checkResource(ctx, stack, job, parsed.resource);
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

async function lock(ctx: EngineContext, row: ResourceRecord, job: CheckJob): Promise<ResourceRecord | undefined> {
  const { resource, heldBy } = await ctx.deps.store.lockResource(row.id, job.traversal);
  if (!resource && heldBy) {
    await debug(ctx, job.stackId, `${row.name} is busy with traversal ${heldBy.slice(0, 8)}; it will be converged when that finishes`, row.name, job.traversal);
  }
  return resource;
}

async function convergeResource(ctx: EngineContext, stack: StackRecord, job: CheckJob, name: string) {
  const { store, newId, clock } = ctx.deps;
  const definition = await ctx.definition(stack.templateId, stack);
  const def = definition.resources.get(name);
  if (!def) return propagate(ctx, job, {});
  const rows = await store.findResources(stack.id, name);
  let row = currentRow(rows);
  if (!row) {
    row = blankRow(newId(), stack.id, def, new Date(clock.now()).toISOString());
    await store.createResources([row]);
  }
  const resumedAfterCrash = row.convergedTraversal === job.traversal && row.status === "IN_PROGRESS";
  if (row.convergedTraversal === job.traversal && !resumedAfterCrash) {
    if (row.status === "COMPLETE") await propagate(ctx, job, outputOf(row), true);
    // Its worker died between storing the failure and failing the traversal.
    if (row.status === "FAILED") await failTraversal(ctx, stack.id, job.traversal, `Resource ${row.action} failed: ${row.statusReason}`);
    return;
  }
  if (resumedAfterCrash && row.data[WAIT_KEY]) return;

  const locked = await lock(ctx, row, job);
  if (!locked) return;
  row = locked;

  const plugin = ctx.pluginFor(def, definition.files);
  const outputs = new Map<string, ResourceOutput>();
  for (const a of await store.arrivals(job.traversal, job.node)) {
    const dep = parseNode(a.predecessor);
    if (dep?.kind === "update") outputs.set(dep.resource, a.payload as ResourceOutput);
  }
  let properties: Record<string, unknown>;
  let metadata: unknown;
  try {
    if (!plugin) throw new Error(`The resource type "${def.type}" is not available`);
    const resolved = def.resolve((n) => outputs.get(n));
    const checked = propertiesFor(plugin, resolved.properties, { path: `resources.${name}.properties`, typeName: def.type });
    const errors = checked.diagnostics.filter((d) => d.severity === "error");
    if (errors.length) throw new Error(errors.map((d) => `${d.path}: ${d.message}`).join("; "));
    properties = checked.values;
    metadata = resolved.metadata;
  } catch (e) {
    return failBeforeAction(ctx, stack, job, row, (e as Error).message);
  }

  const record = { type: def.type, requires: def.requires, templateId: stack.templateId, properties };
  const policy = { ...row.data, ...rowMarks(def) };
  const base = { stack, traversal: job.traversal, node: job.node, plugin: plugin!, properties, metadata, files: definition.files, resolveType: definition.resolveType };

  if (resumedAfterCrash) {
    return runAction(ctx, { ...base, row, action: row.action === "UPDATE" ? "UPDATE" : "CREATE", previousProperties: row.properties });
  }
  if (row.action === "INIT") {
    await store.updateResource(row.id, { ...record, data: policy });
    return runAction(ctx, { ...base, row: { ...row, ...record, data: policy }, action: "CREATE", previousProperties: {} });
  }
  const inPlace = alwaysUpdatedInPlace(plugin!, row.physicalId);
  const replaceBecause =
    row.status === "FAILED" && !inPlace
      ? `${row.name} is ${row.action}_FAILED`
      : row.type !== def.type
        ? `its type changed from ${row.type} to ${def.type}`
        : needsReplacement(plugin!, row.properties, properties)
          ? `${changedProperties(row.properties, properties).join(", ")} cannot be updated in place`
          : undefined;
  if (!replaceBecause && row.status === "COMPLETE" && sameValue(row.properties, properties) && !inPlace) {
    await store.unlockResource(row.id, job.traversal, { convergedTraversal: job.traversal, templateId: stack.templateId, requires: def.requires, data: policy });
    return propagate(ctx, job, outputOf(row));
  }
  if (!replaceBecause) {
    await store.updateResource(row.id, { ...record, data: policy });
    return runAction(ctx, { ...base, row: { ...row, ...record, data: policy }, action: "UPDATE", previousProperties: row.properties });
  }
  // Replacement: the new copy is created now; the old one is deleted by this resource's cleanup
  // node, after everything that depended on it has moved to the new copy.
  const fresh = { ...blankRow(newId(), stack.id, def, new Date(clock.now()).toISOString()), ...record, replaces: row.id, data: rowMarks(def) };
  await store.createResources([fresh]);
  await store.unlockResource(row.id, job.traversal, { replacedBy: fresh.id });
  await debug(ctx, stack.id, `replacing ${name} because ${replaceBecause}`, name, job.traversal);
  const freshLocked = await lock(ctx, fresh, job);
  if (!freshLocked) return;
  return runAction(ctx, { ...base, row: freshLocked, action: "CREATE", previousProperties: {} });
}

/** What a row must remember of its definition for when the definition is gone (delete, resume). */
function rowMarks(def: ResourceDefinition): Record<string, unknown> {
  return { [DELETION_POLICY_KEY]: def.deletionPolicy, ...(def.providerTemplate !== undefined ? { [PROVIDER_KEY]: def.providerTemplate } : {}) };
}

async function cleanupResource(ctx: EngineContext, stack: StackRecord, job: CheckJob, name: string) {
  const { store, notifier } = ctx.deps;
  const desired = (await ctx.definition(stack.templateId, stack)).resources.has(name);
  const rows = await store.findResources(stack.id, name);
  const keep = desired ? currentRow(rows) : undefined;
  for (const candidate of rows) {
    if (candidate.id === keep?.id) continue;
    const row = await lock(ctx, candidate, job);
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
    });
  }
  await propagate(ctx, job, {});
}

async function checkResource(ctx: EngineContext, stack: StackRecord, job: CheckJob, name: string) {
  const row = currentRow(await ctx.deps.store.findResources(stack.id, name));
  if (!row) return propagate(ctx, job, {});
  if (row.convergedTraversal === job.traversal && row.status !== "IN_PROGRESS") return propagate(ctx, job, {}, true);
  const locked = await lock(ctx, row, job);
  if (!locked) return;
  const plugin = ctx.pluginForRow(row);
  if (!plugin) return propagate(ctx, job, {});
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
