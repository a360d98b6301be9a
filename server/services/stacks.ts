/**
 * Stack use cases for the API and CLI: operations go to the engine; reads assemble Heat-shaped
 * views (stack show, resource list, outputs) from the store.
 */
import { cloudStateOf, driftLines, driftOf } from "../engine/convergence/cloudObservation";
import type { StackRecord, ResourceRecord } from "../engine/ports";
import { stackOutputs } from "../engine/convergence/stackOutputs";
import { currentRow, byName, shownType } from "../engine/convergence/resourceRows";
import { outputOf } from "../engine/convergence/resourceActions";
import { shownAttributes } from "../engine/resources/storedAttributes";
import { storedTemplateModel } from "./storedTemplates";
import type { ParameterType } from "../engine/template/constraints";
import { maskHidden, maskText, MASK } from "../engine/template/hiddenValues";
import { mergedEnvironment } from "./environment";
import type { Runtime } from "./runtime";
import { secretsShownTo, type Viewer } from "./shownSecrets";

export class NotFound extends Error {}

export async function findStack(rt: Runtime, projectId: string, idOrName: string): Promise<StackRecord> {
  const byId = await rt.store.getStack(idOrName);
  const stack = byId && byId.projectId === projectId ? byId : await rt.store.findStackByName(projectId, idOrName);
  if (!stack) throw new NotFound(`Stack "${idOrName}" not found`);
  return stack;
}

const stackStatus = (s: Pick<StackRecord, "action" | "status">) => `${s.action}_${s.status}`;

export interface StackSummary {
  id: string;
  name: string;
  action: string;
  status: string;
  stackStatus: string;
  statusReason: string;
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
  resourceCount: number;
  /** Newest notification of the stack's tree: a client following it live starts after this. */
  lastEventId: number;
}

/** Top-level stacks of a project, newest first, with their resource counts. */
export async function listStacks(rt: Runtime, projectId: string): Promise<StackSummary[]> {
  const stacks = await rt.store.listStacks(projectId);
  const counts = await rt.db.prisma.resource.groupBy({
    by: ["stackId"],
    where: { stackId: { in: stacks.map((s) => s.id) }, replacedBy: null },
    _count: { _all: true },
  });
  const byStack = new Map(counts.map((c) => [c.stackId, c._count._all]));
  const newest = await rt.db.prisma.event.groupBy({
    by: ["rootStackId"],
    where: { rootStackId: { in: stacks.map((s) => s.id) } },
    _max: { id: true },
  });
  const lastEvent = new Map(newest.map((e) => [e.rootStackId, e._max.id ?? 0]));
  return stacks
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((s) => ({
      id: s.id,
      name: s.name,
      action: s.action,
      status: s.status,
      stackStatus: stackStatus(s),
      statusReason: s.statusReason,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      resourceCount: byStack.get(s.id) ?? 0,
      lastEventId: lastEvent.get(s.id) ?? 0,
    }));
}

export async function showStack(rt: Runtime, stack: StackRecord, viewer: Viewer) {
  // A create that rolled back has no template left; show the one it attempted.
  const templateId = stack.templateId ?? stack.prevTemplateId;
  const raw = templateId ? await rt.store.getTemplate(templateId) : undefined;
  const model = raw ? storedTemplateModel(raw) : undefined;
  const hidden = new Set(model?.parameters.filter((p) => p.hidden).map((p) => p.name) ?? []);
  const parameters: Record<string, unknown> = {
    "OS::stack_name": stack.name,
    "OS::stack_id": stack.id,
    "OS::project_id": stack.projectId,
  };
  for (const [k, v] of Object.entries(stack.parameters)) parameters[k] = hidden.has(k) ? MASK : v;
  // The parameters not given, with the value each took from the environment (parameters, then
  // parameter_defaults) or the template's default: Heat's stack show lists them with the rest.
  // Kept apart, since an update that keeps the stack's parameters keeps only the given ones.
  const defaulted: Record<string, unknown> = {};
  if (raw && model) {
    const env = mergedEnvironment(raw.environment, stack) as { parameters: Record<string, unknown>; parameter_defaults: Record<string, unknown> };
    for (const p of model.parameters) {
      if (p.name in parameters) continue;
      const value = env.parameters[p.name] ?? env.parameter_defaults[p.name] ?? p.default;
      if (value !== undefined) defaulted[p.name] = p.hidden ? MASK : value;
    }
  }
  const secrets = await secretsShownTo(rt, stack, viewer);
  // The template is shown as submitted (as Heat does): a hidden parameter's default is the author's to keep out of it.
  return {
    id: stack.id,
    name: stack.name,
    description: model?.description ?? "",
    action: stack.action,
    status: stack.status,
    stackStatus: stackStatus(stack),
    statusReason: maskText(stack.statusReason, secrets),
    createdAt: stack.createdAt,
    updatedAt: stack.updatedAt,
    parameters: maskHidden(parameters, secrets),
    defaultedParameters: maskHidden(defaulted, secrets),
    /** Each template parameter's type, for showing its value as Heat does (parameterText). */
    parameterTypes: Object.fromEntries((model?.parameters ?? []).map((p) => [p.name, p.type])) as Record<string, ParameterType>,
    outputs: await listOutputs(rt, stack, viewer),
    timeoutMins: stack.timeoutMins,
    disableRollback: stack.disableRollback,
    parentResourceId: stack.parentResourceId,
    rootStackId: stack.rootStackId,
    /** Where a nested stack sits under its root ("" for a top-level stack). */
    stackPath: stack.stackPath,
    template: raw?.template ?? null,
  };
}

/** Outputs derived from a hidden value show the mask where it was (Heat 19 shows them in clear). */
export async function listOutputs(rt: Runtime, stack: StackRecord, viewer: Viewer) {
  const outputs = await stackOutputs(rt.engine.ctx, stack);
  const secrets = await secretsShownTo(rt, stack, viewer);
  return maskHidden(
    Object.entries(outputs).map(([key, o]) => ({
      outputKey: key,
      outputValue: o.value ?? null,
      description: o.description ?? "",
      outputError: o.error ?? null,
    })),
    secrets,
  );
}

export interface ResourceView {
  name: string;
  physicalId: string | null;
  type: string;
  action: string;
  status: string;
  resourceStatus: string;
  statusReason: string;
  createdAt: string;
  updatedAt: string;
  requires: string[];
  /** Nested-stack path of the stack holding the resource, "" for the stack itself. */
  stackPath: string;
  stackId: string;
  /** Set when the resource has a nested stack of its own. */
  nestedStackId: string | null;
  /** What the cloud last said of its object (BUILD, ACTIVE, in-use…); null for what is not a cloud object. */
  cloudState: string | null;
  /** Where its cloud object differs from what Kiln applied, as a stack check found it: one line each. */
  drift: string[];
}

function view(r: ResourceRecord, stackPath: string, nestedStackId: string | null): ResourceView {
  return {
    name: r.name,
    physicalId: r.physicalId,
    type: shownType(r),
    action: r.action,
    status: r.status,
    resourceStatus: `${r.action}_${r.status}`,
    statusReason: r.statusReason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    requires: r.requires,
    stackPath,
    stackId: r.stackId,
    nestedStackId,
    cloudState: cloudStateOf(r.data),
    drift: driftLines(driftOf(r.data)),
  };
}

/** The stack's resources as they are now: one row per name, replaced copies left out. */
const currentRows = async (rt: Runtime, stackId: string) =>
  [...byName(await rt.store.listResources(stackId)).values()].map(currentRow).filter((r): r is ResourceRecord => !!r);

/** Current resources of the stack, and of nested stacks down to `nestedDepth` levels. */
export async function listResources(rt: Runtime, stack: StackRecord, nestedDepth = 0): Promise<ResourceView[]> {
  const out: ResourceView[] = [];
  let level: { stack: StackRecord }[] = [{ stack }];
  for (let depth = 0; level.length; depth++) {
    const next: { stack: StackRecord }[] = [];
    for (const { stack: s } of level) {
      const rows = await currentRows(rt, s.id);
      const children = await rt.store.childStacks(rows.map((r) => r.id));
      const childOf = new Map(children.map((c) => [c.parentResourceId!, c]));
      for (const r of rows) out.push(view(r, s.stackPath, childOf.get(r.id)?.id ?? null));
      if (depth < nestedDepth) next.push(...children.map((c) => ({ stack: c })));
    }
    level = next;
  }
  return out;
}

export async function showResource(rt: Runtime, stack: StackRecord, name: string, viewer: Viewer) {
  const current = await currentRows(rt, stack.id);
  const row = current.find((r) => r.name === name);
  if (!row) throw new NotFound(`Resource "${name}" not found in stack "${stack.name}"`);
  const [child] = await rt.store.childStacks([row.id]);
  const secrets = await secretsShownTo(rt, stack, viewer);
  return {
    ...view(row, stack.stackPath, child?.id ?? null),
    statusReason: maskText(row.statusReason, secrets),
    /** Heat's `required_by`: the resources that depend on this one (`requires` goes the other way). */
    requiredBy: current.filter((r) => r.requires.includes(name)).map((r) => r.name).sort(),
    attributes: maskHidden(shownAttributes(outputOf(row).attributes), secrets),
    properties: maskHidden(row.properties, secrets),
    createdAt: row.createdAt,
  };
}

