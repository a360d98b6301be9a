/**
 * Nested stacks of a resource (OS::Heat::Stack, provider templates, ResourceGroup members):
 * stacks of their own, with their own traversals on the same queue, so any worker runs any
 * part of the tree. A child's completion wakes the parent resource; nothing polls.
 */
import type { RawTemplateRecord, ResourceRecord, StackRecord } from "../ports";
import { ResourceFailure, sameValue, type NestedStackRequest, type NestedStacks, type NestedStackStatus } from "../resources/plugin";
import type { EngineContext } from "./engineContext";
import { OperationRefused } from "../errors";
import { stackOutputs } from "./stackOutputs";
import { storeTemplate, templateRecord } from "./stackTemplates";
import { sizeOf } from "./definition";
import { defaultLimits } from "../template/source";
import { leastResources } from "../validation/treeSize";
import { startTraversal } from "./traversal";
import { currentRow, byName } from "./resourceRows";
import { outputOf } from "./resourceActions";

/** Heat's nesting limit, the same rule validation applies: a stack inside five others is refused. */
const MAX_NESTING_DEPTH = defaultLimits.maxNestingDepth;

export function nestedStacksFor(ctx: EngineContext, parentStack: StackRecord, row: ResourceRecord): NestedStacks {
  const { store } = ctx.deps;
  const child = async () => (await store.childStacks([row.id]))[0];
  const root = parentStack.rootStackId;
  /** Refuses a nested stack that cannot fit in the tree. */
  const admit = async (resources: number, existing: StackRecord | undefined) => {
    const max = ctx.limits.maxResourcesPerStack;
    if (max < 0) return;
    // An update replaces what the nested stack holds now, so that is not counted twice.
    const replaced = existing ? (await store.listResources(existing.id)).length : 0;
    const total = (await store.countTreeResources(root)) - replaced + resources;
    if (total > max) {
      throw new ResourceFailure(
        `Request limit exceeded: a nested stack of ${resources} resources would bring the stack and its nested stacks to ${total} resources, over the limit of ${max}`,
        "RequestLimitExceeded",
      );
    }
  };
  /** The nested stack's current template, when it has one. */
  const templateOf = async (existing: StackRecord | undefined) => (existing?.templateId ? await store.getTemplate(existing.templateId) : undefined);
  /** Whether the nested stack's current template is what `request` asks for (then it need not be stored again). */
  const convergingTo = (current: RawTemplateRecord | undefined, request: NestedStackRequest) => current !== undefined && sameValue(current, templateRecord(current.id, current.projectId, request));
  const converge = async (request: NestedStackRequest) => {
    const depth = parentStack.stackPath ? parentStack.stackPath.split("/").length + 1 : 1;
    if (depth > MAX_NESTING_DEPTH) {
      throw new OperationRefused(`Recursion depth exceeds ${MAX_NESTING_DEPTH}: stacks nest no deeper than that`);
    }
    const existing = await child();
    const current = await templateOf(existing);
    const { keepFiles, timeoutMins: own, ...asked } = request;
    request = keepFiles && current ? { ...asked, files: { ...current.files, ...asked.files } } : asked;
    // Heat gives a nested stack its parent's timeout_mins on each create and update.
    const timeoutMins = own !== undefined ? own : parentStack.timeoutMins;
    // A new timeout is a new request too (a retry given longer), even of the same template.
    if (existing && existing.action !== "DELETE" && convergingTo(current, request) && existing.timeoutMins === timeoutMins) {
      // Converging to this very request already: a redelivered job, so leave it running.
      // Otherwise converge it again with the template it has (Heat does on every update of the
      // parent), so that what failed in it is retried.
      if (!existing.currentTraversal) {
        await startTraversal(ctx, existing, { action: "UPDATE", templateId: existing.templateId, prevTemplateId: existing.templateId, timeoutMins });
      }
      return { stackId: existing.id };
    }
    // A new request. A nested stack still converging to an earlier one (its parent's wait was
    // cancelled or timed out, and the parent is retried or rolled back) is overtaken.
    if (existing) {
      return ctx.admitting(root, async () => {
        const stored = await storeTemplate(ctx, existing, request, (def) => admit(leastResources(sizeOf(def)), existing));
        await startTraversal(ctx, existing, { action: "UPDATE", templateId: stored.id, prevTemplateId: existing.templateId, timeoutMins });
        return { stackId: existing.id };
      });
    }
    const now = new Date(ctx.deps.clock.now()).toISOString();
    const id = ctx.deps.newId();
    const name = `${parentStack.name}-${row.name}-${row.id.replace(/-/g, "").slice(0, 12)}`;
    // Admission to stored rows in one turn per tree: siblings created at the same moment
    // (four groups fed by one get_attr) would each count the tree without the others.
    return ctx.admitting(root, async () => {
      const stored = await storeTemplate(ctx, { id, name, projectId: parentStack.projectId, parentResourceId: row.id }, request, (def) => admit(leastResources(sizeOf(def)), undefined));
      const stack: StackRecord = {
        id,
        projectId: parentStack.projectId,
        name,
        parentResourceId: row.id,
        rootStackId: parentStack.rootStackId,
        stackPath: parentStack.stackPath ? `${parentStack.stackPath}/${row.name}` : row.name,
        action: "CREATE",
        status: "IN_PROGRESS",
        statusReason: "",
        templateId: stored.id,
        prevTemplateId: null,
        parameters: request.parameters,
        currentTraversal: null,
        disableRollback: true,
        timeoutMins,
        createdAt: now,
        updatedAt: now,
      };
      await store.createStack(stack);
      await startTraversal(ctx, stack, { action: "CREATE", templateId: stored.id, prevTemplateId: null });
      return { stackId: stack.id };
    });
  };
  return {
    admit: async (resources) => admit(resources, await child()),
    converge,
    async retemplate(template, timeoutMins) {
      const existing = await child();
      const current = await templateOf(existing);
      if (!existing || !current) throw new ResourceFailure(existing ? "The nested stack's template is missing" : "The nested stack is missing");
      // The parameters a request has are kept in the environment (templateRecord): none is lost.
      return converge({ template, files: current.files, parameters: {}, environment: current.environment, timeoutMins });
    },
    async check() {
      const existing = await child();
      if (!existing) return false;
      if (!(existing.action === "CHECK" && existing.status === "IN_PROGRESS")) {
        await startTraversal(ctx, existing, { action: "CHECK", templateId: existing.templateId, prevTemplateId: existing.prevTemplateId });
      }
      return true;
    },
    async delete() {
      // In turn with the tree's other nested-stack changes: two jobs deleting the same resource
      // at once (a cleanup node queued twice) must not both start a delete, the second
      // overtaking the first mid-way.
      return ctx.admitting(root, async () => {
        const existing = await child();
        if (!existing) return false;
        if (!(existing.action === "DELETE" && existing.status === "IN_PROGRESS")) {
          await startTraversal(ctx, existing, { action: "DELETE", templateId: null, prevTemplateId: existing.templateId });
        }
        return true;
      });
    },
    async settled() {
      return (await child())?.status !== "IN_PROGRESS";
    },
    async status(): Promise<NestedStackStatus | undefined> {
      const existing = await child();
      if (!existing) return undefined;
      const rows = byName(await store.listResources(existing.id));
      const resources: NestedStackStatus["resources"] = {};
      for (const [name, list] of rows) {
        const r = currentRow(list);
        if (r) resources[name] = outputOf(r);
      }
      return {
        id: existing.id,
        action: existing.action,
        status: existing.status,
        statusReason: existing.statusReason,
        outputs: await stackOutputs(ctx, existing, rows),
        resources,
      };
    },
  };
}
