import { describe, expect, it } from "vitest";
import { DefinitionBook, definitionOf, testEngine } from "../testing/harness";
import { WorkerDied } from "../testing/memoryQueue";
import { failTraversal } from "./traversal";

const P = "project";

function setup(opts: Parameters<typeof testEngine>[0] = {}) {
  const book = new DefinitionBook();
  const t = testEngine({ ...opts, loadDefinition: book.load });
  return { ...t, book };
}
const nones = (n: number) => definitionOf(Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, { type: "OS::Heat::None" }])));
const slow = (value: string, n = 3, extra: Record<string, unknown> = {}) =>
  definitionOf(Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, { type: "OS::Heat::TestResource", properties: { value, action_wait_secs: { create: 5, update: 5 }, ...extra } }])));

/** Traversals of the stack that still have sync points stored. */
const graphsLeft = (t: ReturnType<typeof setup>, stackId: string) => [...new Set([...t.store.syncPoints.values()].filter((p) => p.stackId === stackId).map((p) => p.traversal))];

/**
 * A traversal's sync state (its graph and arrivals) lives while it may become or is current, and
 * no longer: once a stack has settled, none of its traversals' is left, however its operations met.
 */
describe("every ended traversal's graph is dropped", () => {
  it("an update overtaken by one stored before it, which becomes current after it, leaves no graph", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", nones(3)) });
    await t.settle();
    const updateStack = t.store.updateStack.bind(t.store);
    let second: Promise<unknown> | undefined;
    t.store.updateStack = async (id, patch, expected) => {
      if (!second && patch.action === "UPDATE" && patch.currentTraversal) await (second = t.engine.updateStack(stack.id, { template: t.book.add("v3", nones(5)) }));
      return updateStack(id, patch, expected);
    };
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", nones(4)) });
    expect(second).toBeDefined();
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE", currentTraversal: null });
    // The first update's four resources: the second's fifth was never created, and its blank row is gone with it.
    expect(await t.resources(stack.id)).toEqual({ r0: "CREATE_COMPLETE", r1: "CREATE_COMPLETE", r2: "CREATE_COMPLETE", r3: "CREATE_COMPLETE" });
    expect(t.notifier.events()).not.toContain("r4 CREATE_IN_PROGRESS");
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });

  it("an update that read the rows before another stored a row of the same new name, and became current after it, leaves one copy", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", nones(3)) });
    await t.settle();
    const list = t.store.listResources.bind(t.store);
    let armed = true;
    t.store.listResources = async (id) => {
      const rows = await list(id);
      if (armed) {
        armed = false;
        // Between this update's read and its start, another adds the same r3 and converges it.
        await t.engine.updateStack(stack.id, { template: t.book.add("v3", nones(4)) });
        await t.settle();
        t.clock.time += 1000;
      }
      return rows;
    };
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", nones(4)) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect((await list(stack.id)).filter((r) => r.name === "r3").map((r) => `${r.action}_${r.status}`)).toEqual(["CREATE_COMPLETE"]);
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });

  it("an update stored while the stack's create was not yet current leaves none of its rows once the create overtakes it", async () => {
    const t = setup();
    const updateStack = t.store.updateStack.bind(t.store);
    let update: Promise<unknown> | undefined;
    t.store.updateStack = async (id, patch, expected) => {
      if (!update && patch.action === "CREATE" && patch.currentTraversal) {
        await (update = t.engine.updateStack(id, { template: t.book.add("v2", nones(5)) }));
        await t.settle();
      }
      return updateStack(id, patch, expected);
    };
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", nones(3)) });
    await t.settle();
    expect(update).toBeDefined();
    expect(await t.stack(stack.id)).toMatchObject({ action: "CREATE", status: "COMPLETE" });
    expect(await t.resources(stack.id)).toEqual({ r0: "CREATE_COMPLETE", r1: "CREATE_COMPLETE", r2: "CREATE_COMPLETE" });
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });

  it("two updates submitted at the same moment over a running one leave no graph", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", slow("one")) });
    await t.settle(() => t.notifier.events().includes("r0 CREATE_IN_PROGRESS"));
    await Promise.all([t.engine.updateStack(stack.id, { template: t.book.add("v2", slow("two")) }), t.engine.updateStack(stack.id, { template: t.book.add("v3", slow("three")) })]);
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE", currentTraversal: null });
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });

  it("an update whose stack read predates a rollback's start drops the rollback's graph", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", slow("one")), disableRollback: false });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", slow("two")) });
    await t.settle(() => t.notifier.events().includes("r0 UPDATE_IN_PROGRESS"));
    const failing = (await t.stack(stack.id))!.currentTraversal!;
    // While the next update is being submitted, the running one fails (a resource's job in another worker) and rolls back.
    const updateStack = t.store.updateStack.bind(t.store);
    let rolledBack = false;
    t.store.updateStack = async (id, patch, expected) => {
      if (!rolledBack && patch.action === "UPDATE" && patch.currentTraversal) {
        rolledBack = true;
        await failTraversal(t.engine.ctx, stack.id, failing, "Resource UPDATE failed: boom");
      }
      return updateStack(id, patch, expected);
    };
    await t.engine.updateStack(stack.id, { template: t.book.add("v3", slow("three")) });
    expect(rolledBack).toBe(true);
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE", currentTraversal: null });
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });

  it("two cancels at the same moment (one rollback loses the race) leave no graph", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", slow("one")) });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", slow("two")) });
    await t.settle(() => t.notifier.events().includes("r0 UPDATE_IN_PROGRESS"));
    await Promise.all([t.engine.cancelUpdate(stack.id), t.engine.cancelUpdate(stack.id)]);
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE", currentTraversal: null });
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });

  it("a worker dying after the completion is stored, before the purge, leaves no graph once redelivered", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", nones(2)) });
    const purge = t.store.purgeTraversal.bind(t.store);
    let died = false;
    t.store.purgeTraversal = async (traversal) => {
      if (!died) {
        died = true;
        throw new WorkerDied();
      }
      return purge(traversal);
    };
    await t.settle();
    expect(died).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ action: "CREATE", status: "COMPLETE", currentTraversal: null });
    // The next operation's start sweeps it.
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", nones(3)) });
    await t.settle();
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });
});

describe("resources failing together", () => {
  it("two resources failing at the same moment in an update with rollback leave no graph (the losing rollback's start)", async () => {
    const t = setup({ concurrency: 4 });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", slow("one", 4)), disableRollback: false });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", slow("two", 4, { fail: true })) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE", currentTraversal: null });
    expect(graphsLeft(t, stack.id)).toEqual([]);
  });
});
