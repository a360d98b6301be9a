/**
 * Races around the one-write create and delete of store-only types (OS::Heat::None, Value,
 * RandomString) and the order of what jobs report: each of these failed on a first version of
 * that change (found in review).
 */
import { expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { builtinPlugins } from "../resources/plugins";
import { DefinitionBook, definitionOf, testEngine } from "../testing/harness";
import { Engine } from "./engine";

it("a node with several predecessors is queued only once every one of their events is stored, whichever arrives last", async () => {
  const book = new DefinitionBook();
  const t = testEngine({ loadDefinition: book.load, concurrency: 4 });
  const def = definitionOf({
    b: { type: "OS::Heat::TestResource" },
    c: { type: "OS::Heat::TestResource" },
    d: { type: "OS::Heat::TestResource", requires: ["b", "c"] },
  });
  // b's events are slow to store (another process's insert queued behind the event lock).
  const notify = t.notifier.notify.bind(t.notifier);
  t.notifier.notify = async (items) => {
    if (items.some((n) => n.resourceName === "b" && n.status === "COMPLETE")) await new Promise((r) => setTimeout(r, 30));
    return notify(items);
  };
  const seenAtEnqueue: string[][] = [];
  const enqueue = t.queue.enqueue.bind(t.queue);
  t.queue.enqueue = async (jobs) => {
    if (jobs.some((j) => (j.payload as { node?: string }).node === "update:d")) seenAtEnqueue.push(t.notifier.events());
    return enqueue(jobs);
  };
  await t.engine.createStack({ projectId: "p", name: "s", template: book.add("d", def) });
  await t.settle();
  expect(seenAtEnqueue[0]).toContain("b CREATE_COMPLETE");
  expect(seenAtEnqueue[0]).toContain("c CREATE_COMPLETE");
});

it("a store-only resource whose policy became Retain in an update is kept on delete", async () => {
  const book = new DefinitionBook();
  const t = testEngine({ loadDefinition: book.load });
  const stack = await t.engine.createStack({ projectId: "p", name: "s", template: book.add("a", definitionOf({ keep: { type: "OS::Heat::None" }, v: { type: "OS::Heat::Value", properties: { value: "x" } } })) });
  await t.settle();
  await t.engine.updateStack(stack.id, { template: book.add("b", definitionOf({ keep: { type: "OS::Heat::None", deletionPolicy: "Retain" }, v: { type: "OS::Heat::Value", properties: { value: "x" }, deletionPolicy: "Retain" } })) });
  await t.settle();
  await t.engine.deleteStack(stack.id);
  await t.settle();
  expect(t.notifier.events()).not.toContain("keep DELETE_IN_PROGRESS");
  expect(t.notifier.events()).not.toContain("v DELETE_IN_PROGRESS");
});

it("a stack delete overtaking an update whose cleanup deletes a store-only row at once still ends: the row's delete hands the node to the delete", async () => {
  const book = new DefinitionBook();
  const t = testEngine({ loadDefinition: book.load });
  const stack = await t.engine.createStack({ projectId: "p", name: "s", template: book.add("a", definitionOf({ x: { type: "OS::Heat::None" }, y: { type: "OS::Heat::TestResource" } })) });
  await t.settle();
  let starting = false;
  let stashed: { kind: string; payload: unknown } | undefined;
  const enqueue = t.queue.enqueue.bind(t.queue);
  t.queue.enqueue = async (jobs) => {
    const keep = jobs.filter((j) => {
      if (starting && (j.payload as { node?: string }).node === "cleanup:x") {
        stashed = j;
        return false;
      }
      return true;
    });
    return enqueue(keep);
  };
  const store = t.store as unknown as { deleteAtOnce: (...a: unknown[]) => Promise<boolean> };
  const original = store.deleteAtOnce.bind(t.store);
  let t1: string | undefined;
  let t2Reached!: () => void;
  const reached = new Promise<void>((r) => (t2Reached = r));
  let t1Done!: () => void;
  const done = new Promise<void>((r) => (t1Done = r));
  let t2Job: Promise<unknown> | undefined;
  store.deleteAtOnce = async (id, traversal, runner) => {
    if (t1 === undefined) {
      t1 = traversal as string;
      starting = true;
      await t.engine.deleteStack(stack.id);
      starting = false;
      t2Job = t.queue.handlers.check!(structuredClone(stashed!.payload), "t2-job") as Promise<unknown>;
      await reached;
      const answer = await original(id, traversal, runner);
      t1Done();
      return answer;
    }
    if (traversal !== t1) {
      t2Reached();
      await done;
    }
    return original(id, traversal, runner);
  };
  await t.engine.updateStack(stack.id, { template: book.add("b", definitionOf({ y: { type: "OS::Heat::TestResource" } })) });
  await t.settle();
  await t2Job;
  await t.settle();
  expect(stashed).toBeDefined();
  const st = await t.stack(stack.id);
  expect(st).toBeUndefined();
});

it("the blank rows a process remembers from starting a traversal are only a hint: a batch another process converged first is not created again here", async () => {
  const book = new DefinitionBook();
  const t = testEngine({ loadDefinition: book.load });
  let stashed: { kind: string; payload: unknown } | undefined;
  const enqueue = t.queue.enqueue.bind(t.queue);
  t.queue.enqueue = async (jobs) => {
    stashed ??= jobs.find((j) => j.kind === "checks");
    return enqueue(jobs.filter((j) => j !== stashed));
  };
  const stack = await t.engine.createStack({ projectId: "p", name: "s", template: book.add("a", definitionOf({ x: { type: "OS::Heat::None" }, y: { type: "OS::Heat::None" } })) });
  expect(stashed).toBeDefined();
  // Another process (an engine of its own over the same store: it knows no blank rows) takes the
  // batch first and converges both resources.
  const other = new Engine({ store: t.store, queue: t.queue, notifier: t.notifier, clock: t.clock, plugins: builtinPlugins, loadDefinition: book.load, newId: randomUUID, publicUrl: () => "http://kiln.test", software: t.store });
  await other.handlers.checks!(structuredClone(stashed!.payload), "other-process");
  // What each row holds, but for when it was last written (the delivery here locks and releases them).
  const held = async () => (await t.store.listResources(stack.id)).map(({ updatedAt: _, ...row }) => row);
  const rowsBefore = await held();
  // The batch delivered again here, where the blank rows are still remembered as INIT.
  await t.engine.handlers.checks!(structuredClone(stashed!.payload), "this-process");
  await t.settle();
  expect(t.notifier.events().filter((e) => e.endsWith("CREATE_IN_PROGRESS") && !e.startsWith("s "))).toEqual(["x CREATE_IN_PROGRESS", "y CREATE_IN_PROGRESS"]);
  expect(await held()).toEqual(rowsBefore);
  expect((await t.stack(stack.id))?.status).toBe("COMPLETE");
});
