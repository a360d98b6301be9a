import { describe, expect, it } from "vitest";
import { DefinitionBook, definitionOf, testEngine, type TestEngineOptions } from "../testing/harness";
import { WorkerDied } from "../testing/memoryQueue";
import { dieAtWrite } from "../testing/dieAtWrite";
import { DEFAULT_LIMITS } from "../limits";
import { Engine } from "./engine";
import { DuplicateStackName, OperationRefused } from "../errors";
import { builtinPlugins } from "../resources/plugins";
import { nonePlugin } from "../resources/plugins/none";
import { done, ResourceFailure, wait, type Outcome, type ResourcePlugin } from "../resources/plugin";
import type { StackDefinition } from "./definition";
import { isStackLevelEvent } from "./events";

const P = "project";

function setup(opts: TestEngineOptions = {}) {
  const book = new DefinitionBook();
  const t = testEngine({ ...opts, loadDefinition: book.load });
  return { ...t, book };
}

const chain = definitionOf({
  a: { type: "OS::Heat::TestResource", properties: { value: "A" } },
  b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: `${get("a")?.attributes.output}+B` }) },
  c: { type: "OS::Heat::TestResource", requires: ["b"], properties: (get) => ({ value: `${get("b")?.attributes.output}+C` }) },
});

describe("create", () => {
  it("resources of types that act in the store only, made ready together by one they all need, go in batches too; others alone", async () => {
    const t = setup();
    const fan = definitionOf({
      root: { type: "OS::Heat::None" },
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`n${i}`, { type: "OS::Heat::None", requires: ["root"] }])),
      slow: { type: "OS::Heat::TestResource", requires: ["root"] },
    });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("fan", fan) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const batches = t.queue.log.filter((j) => j.kind === "checks").map((j) => (j.payload as { nodes: string[] }).nodes);
    expect(batches.map((b) => b.length).sort((x, y) => y - x)).toEqual([16, 4]);
    expect(batches.flat()).not.toContain("update:slow");
    expect(t.queue.log.some((j) => j.kind === "check" && (j.payload as { node: string }).node === "update:slow")).toBe(true);
  });

  it("a process that did not start the traversal reads its template and graph once, however many of its nodes run at once", async () => {
    const t = setup({ concurrency: 4 });
    const forty = definitionOf(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`r${i}`, { type: "OS::Heat::None" }])));
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("forty", forty) });
    // A second process (a worker) takes every job: it has neither the template nor the graph.
    const reads = { getTemplate: 0, getSyncPoints: 0, getSyncPoint: 0, parsed: 0 };
    const store = new Proxy(t.store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (key in reads) reads[key as keyof typeof reads]++;
          return value.apply(target, args);
        };
      },
    });
    const loadDefinition = (...args: Parameters<typeof t.book.load>): StackDefinition => {
      reads.parsed++;
      return t.book.load(...args);
    };
    const worker = new Engine({ store, queue: t.queue, notifier: t.notifier, clock: t.queue.clock, plugins: builtinPlugins, loadDefinition, newId: () => crypto.randomUUID(), publicUrl: () => "http://kiln.test", software: t.store });
    t.queue.handlers = worker.handlers;
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(reads).toEqual({ getTemplate: 1, getSyncPoints: 1, getSyncPoint: 0, parsed: 1 });
  });

  it("converges resources of types that act in the store only, ready together, in batches of 16, each created once", async () => {
    const t = setup();
    const forty = definitionOf(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`r${i}`, { type: "OS::Heat::None" }])));
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("forty", forty) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const batches = t.queue.log.filter((j) => j.kind === "checks").map((j) => (j.payload as { nodes: string[] }).nodes.length);
    expect(batches.sort((x, y) => y - x)).toEqual([16, 16, 8]);
    for (let i = 0; i < 40; i++) expect(t.notifier.events().filter((e) => e === `r${i} CREATE_COMPLETE`)).toHaveLength(1);
  });

  it("creates every resource in dependency order and completes the stack", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("chain", chain) });
    expect(stack).toMatchObject({ action: "CREATE", status: "IN_PROGRESS" });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "CREATE", status: "COMPLETE", statusReason: "Stack CREATE completed successfully" });
    expect(await t.resources(stack.id)).toEqual({ a: "CREATE_COMPLETE", b: "CREATE_COMPLETE", c: "CREATE_COMPLETE" });
    const events = t.notifier.events();
    expect(events[0]).toBe("s CREATE_IN_PROGRESS");
    expect(events.at(-1)).toBe("s CREATE_COMPLETE");
    expect(events.indexOf("a CREATE_COMPLETE")).toBeLessThan(events.indexOf("b CREATE_IN_PROGRESS"));
    expect(events.indexOf("b CREATE_COMPLETE")).toBeLessThan(events.indexOf("c CREATE_IN_PROGRESS"));
  });

  it("passes attribute values along the chain through sync points", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("chain", chain) });
    await t.settle();
    const c = (await t.store.findResources(stack.id, "c"))[0]!;
    expect(c.attributes.output).toBe("A+B+C");
  });

  it("an empty template creates an empty stack", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("empty", definitionOf({})) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
  });

  it("refuses a duplicate or malformed stack name and changes nothing", async () => {
    const t = setup();
    const template = t.book.add("chain", chain);
    await t.engine.createStack({ projectId: P, name: "s", template });
    await expect(t.engine.createStack({ projectId: P, name: "s", template })).rejects.toThrow('A stack named "s" already exists');
    await expect(t.engine.createStack({ projectId: P, name: "9lives", template })).rejects.toThrow(/must start with a letter/);
    expect(t.store.stacks.size).toBe(1);
    // Two at the same moment: the one the store's unique name refuses is refused alike (a conflict, not an internal error).
    const twins = await Promise.allSettled([t.engine.createStack({ projectId: P, name: "twin", template }), t.engine.createStack({ projectId: P, name: "twin", template })]);
    expect(twins.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = twins.flatMap((r) => (r.status === "rejected" ? [r.reason] : []))[0];
    expect(refused).toBeInstanceOf(DuplicateStackName);
    expect(refused).toBeInstanceOf(OperationRefused);
  });

  it("a failing resource fails the stack with its reason, and rollback deletes what was created", async () => {
    const t = setup();
    const def = definitionOf({
      ok: { type: "OS::Heat::TestResource" },
      bad: { type: "OS::Heat::TestResource", requires: ["ok"], properties: { fail: true } },
    });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", def), disableRollback: false });
    await t.settle();
    const events = t.notifier.events();
    expect(events).toContain("bad CREATE_FAILED");
    expect(events).toContain("s CREATE_FAILED");
    const failed = t.notifier.all.find((n) => n.resourceName === "s" && n.status === "FAILED")!;
    // Heat 19 answers exactly this (heat-oracle).
    expect(failed.reason).toBe("Resource CREATE failed: ValueError: resources.bad: Test Resource failed bad");
    expect(events.slice(events.indexOf("s CREATE_FAILED"))).toEqual(
      expect.arrayContaining(["s ROLLBACK_IN_PROGRESS", "ok DELETE_COMPLETE", "s ROLLBACK_COMPLETE"]),
    );
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect(t.store.resources.size).toBe(0);
  });

  it("after a rollback the stack's reason still names the failure that caused it (Heat's says only that the rollback succeeded)", async () => {
    const t = setup();
    const def = definitionOf({ bad: { type: "OS::Heat::TestResource", properties: { fail: true } } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", def), disableRollback: false });
    await t.settle();
    const cause = "Resource CREATE failed: ValueError: resources.bad: Test Resource failed bad";
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE", statusReason: `Stack ROLLBACK completed after: ${cause}` });
    const reasons = t.notifier.all.filter((n) => n.resourceName === "s").map((n) => `${n.action}_${n.status} ${n.reason}`);
    expect(reasons).toContain(`ROLLBACK_IN_PROGRESS Stack ROLLBACK started after: ${cause}`);
    expect(reasons.at(-1)).toBe(`ROLLBACK_COMPLETE Stack ROLLBACK completed after: ${cause}`);
  });

  it("without rollback a failed create stays as it is for inspection", async () => {
    const t = setup();
    const def = definitionOf({ bad: { type: "OS::Heat::TestResource", properties: { fail: true } }, other: { type: "OS::Heat::None" } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", def) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "CREATE", status: "FAILED" });
    expect((await t.resources(stack.id)).bad).toBe("CREATE_FAILED");
  });

  it("a resource whose properties do not validate fails with the property named", async () => {
    const t = setup();
    const def = definitionOf({ r: { type: "OS::Heat::RandomString", properties: { length: "many" } } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", def) });
    await t.settle();
    const s = await t.stack(stack.id);
    expect(s?.status).toBe("FAILED");
    expect(s?.statusReason).toMatch(/resources\.r\.properties\.length/);
  });
});

describe("waiting", () => {
  it("a TestResource waits wait_secs after its delete too, as Heat's does; one whose create was stopped midway goes at once", async () => {
    const t = setup();
    /** Creates `stack` of one TestResource `name` waiting 30 s, until `event`; then how long its delete took. */
    const deleteAfter = async (stack: string, name: string, event: string) => {
      const def = definitionOf({ [name]: { type: "OS::Heat::TestResource", properties: { wait_secs: 30 } } });
      const { id } = await t.engine.createStack({ projectId: P, name: stack, template: t.book.add(stack, def) });
      await t.settle(() => t.notifier.events().includes(event));
      const deleting = t.clock.now();
      await t.engine.deleteStack(id);
      await t.settle(() => t.notifier.events().includes(`${stack} DELETE_COMPLETE`));
      return t.clock.now() - deleting;
    };
    expect(await deleteAfter("done", "slow", "done CREATE_COMPLETE")).toBe(30_000);
    expect(await deleteAfter("stopped", "halted", "halted CREATE_IN_PROGRESS")).toBe(0);
  });

  it("a resource that waits is woken by a timer, not by polling", async () => {
    const t = setup();
    const def = definitionOf({ slow: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 30 } } } });
    const start = t.clock.now();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", def) });
    await t.settle(() => t.notifier.events().includes("s CREATE_COMPLETE"));
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(t.clock.now() - start).toBe(30_000);
    expect(t.queue.log.filter((j) => j.kind === "resume")).toHaveLength(1);
  });

  it("times out a stack that takes longer than timeout_mins", async () => {
    const t = setup();
    const def = definitionOf({ slow: { type: "OS::Heat::TestResource", properties: { wait_secs: 600 } } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", def), timeoutMins: 1 });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED", statusReason: expect.stringMatching(/^Timed out/) });
  });

  it("a stack without timeout_mins fails after Heat's 60 minutes instead of staying IN_PROGRESS forever", async () => {
    const t = setup();
    const def = definitionOf({ stuck: { type: "OS::Heat::TestResource", properties: { wait_secs: -1 } } });
    const start = t.clock.now();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", def) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED", statusReason: "Timed out: the stack CREATE did not finish within 60 minutes" });
    expect(t.clock.now() - start).toBe(60 * 60_000);
    // Nothing is left locked: the resource's wait was stopped, and an update converges it.
    expect((await t.store.findResources(stack.id, "stuck"))[0]).toMatchObject({ status: "FAILED", statusReason: "CREATE aborted: the stack timed out", lockTraversal: null });
    await t.engine.updateStack(stack.id, { template: t.book.add("fixed", definitionOf({ stuck: { type: "OS::Heat::TestResource" } })) });
    await t.settle(() => t.notifier.events().includes("s UPDATE_COMPLETE"));
    expect(await t.resources(stack.id)).toEqual({ stuck: "CREATE_COMPLETE" });
  });

  it("the default timeout is the operator's, and a stack's timeout_mins overrides it", async () => {
    const t = setup({ limits: { ...DEFAULT_LIMITS, stackTimeoutMins: 2 } });
    const def = definitionOf({ stuck: { type: "OS::Heat::TestResource", properties: { wait_secs: -1 } } });
    const start = t.clock.now();
    const byDefault = await t.engine.createStack({ projectId: P, name: "a", template: t.book.add("w", def) });
    await t.settle();
    expect(await t.stack(byDefault.id)).toMatchObject({ status: "FAILED", statusReason: "Timed out: the stack CREATE did not finish within 2 minutes" });
    expect(t.clock.now() - start).toBe(2 * 60_000);
    const own = await t.engine.createStack({ projectId: P, name: "b", template: "w", timeoutMins: 5 });
    await t.settle();
    expect(await t.stack(own.id)).toMatchObject({ status: "FAILED", statusReason: "Timed out: the stack CREATE did not finish within 5 minutes" });
  });
});

describe("update", () => {
  const v1 = definitionOf({
    a: { type: "OS::Heat::TestResource", properties: { value: "one" } },
    b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: `b-of-${get("a")?.attributes.output}` }) },
    gone: { type: "OS::Heat::None" },
  });

  it("updates in place, replaces what cannot be updated, deletes what left, and adds what is new", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1) });
    await t.settle();
    const oldA = (await t.store.findResources(stack.id, "a"))[0]!;
    const v2 = definitionOf({
      a: { type: "OS::Heat::TestResource", properties: { value: "two", update_replace: true } },
      b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: `b-of-${get("a")?.attributes.output}` }) },
      fresh: { type: "OS::Heat::RandomString" },
    });
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", v2) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await t.resources(stack.id)).toEqual({ a: "CREATE_COMPLETE", b: "UPDATE_COMPLETE", fresh: "CREATE_COMPLETE" });
    const newA = (await t.store.findResources(stack.id, "a"))[0]!;
    expect(newA.id).not.toBe(oldA.id);
    expect((await t.store.findResources(stack.id, "b"))[0]!.attributes.output).toBe("b-of-two");
    const events = t.notifier.events();
    // The old copy of a is deleted only after b moved to the new one.
    expect(events.indexOf("b UPDATE_COMPLETE")).toBeLessThan(events.lastIndexOf("a DELETE_COMPLETE"));
    expect(events).toContain("gone DELETE_COMPLETE");
    expect(t.notifier.all.some((n) => n.kind === "debug" && /replacing a because .*value/.test(n.reason ?? ""))).toBe(true);
  });

  it("leaves unchanged resources alone", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1) });
    await t.settle();
    const before = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: "v1" });
    await t.settle();
    expect(t.notifier.events((n) => n.id > before)).toEqual(["s UPDATE_IN_PROGRESS", "s UPDATE_COMPLETE"]);
  });

  it("a RandomString keeps its value across updates that do not replace it", async () => {
    const t = setup();
    const def = definitionOf({ pw: { type: "OS::Heat::RandomString", properties: { length: 16 } } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("r", def) });
    await t.settle();
    const first = (await t.store.findResources(stack.id, "pw"))[0]!.attributes.value;
    expect(first).toHaveLength(16);
    await t.engine.updateStack(stack.id, { template: "r" });
    await t.settle();
    expect((await t.store.findResources(stack.id, "pw"))[0]!.attributes.value).toBe(first);
  });

  it("a failed update rolls back to the previous template when rollback is enabled", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1), disableRollback: false });
    await t.settle();
    const bad = definitionOf({
      a: { type: "OS::Heat::TestResource", properties: { value: "one" } },
      b: { type: "OS::Heat::TestResource", requires: ["a"], properties: { value: "x", fail: true } },
      gone: { type: "OS::Heat::None" },
    });
    await t.engine.updateStack(stack.id, { template: t.book.add("bad", bad) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect((await t.store.findResources(stack.id, "b")).find((r) => !r.replacedBy)!.attributes.output).toBe("b-of-one");
  });

  it("preview tells what an update would do without doing it", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1) });
    await t.settle();
    const v2 = definitionOf({
      a: { type: "OS::Heat::TestResource", properties: { value: "two", update_replace: true } },
      b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: `b-of-${get("a")?.attributes.output}` }) },
      extra: { type: "OS::Heat::None" },
    });
    const before = t.notifier.all.length;
    const preview = await t.engine.previewUpdate(stack.id, { template: t.book.add("v2", v2) });
    expect(preview.replaced.map((r) => r.resource_name)).toEqual(["a"]);
    // b reads a, so its value is known only once a is replaced.
    expect(preview.may_change).toEqual([{ resource_name: "b", resource_type: "OS::Heat::TestResource", reason: "reads a, which is replaced" }]);
    expect(preview.unchanged).toEqual([]);
    expect(preview.added.map((r) => r.resource_name)).toEqual(["extra"]);
    expect(preview.deleted.map((r) => r.resource_name)).toEqual(["gone"]);
    expect(t.notifier.all.length).toBe(before);
    expect(t.queue.size).toBe(0);
  });
});

describe("an action given up while it ran", () => {
  // A resource type whose create is given up by the queue (its job over its budget) before it
  // answers, then answers with a cloud object it made; `after` runs between the two (another
  // traversal taking the row, say). Its delete says which object it deleted.
  function givenUpMidCreate(answer: () => Outcome, after: (t: ReturnType<typeof setup>, resourceId: string) => Promise<unknown> = async () => {}) {
    const t = setup();
    const deleted: (string | null)[] = [];
    const slowCloud: ResourcePlugin = {
      ...nonePlugin,
      actsInStoreOnly: false,
      create: async (ctx) => {
        const stack = (await t.store.getStack(ctx.stackId))!;
        await engine.abandon("check", { stackId: ctx.stackId, traversal: stack.currentTraversal, node: `update:${ctx.resourceName}` }, "the engine gave up after 3 attempts: it ran past its time");
        await after(t, ctx.resourceId);
        return answer();
      },
      delete: (ctx) => {
        deleted.push(ctx.physicalId);
        return done();
      },
    };
    const engine = new Engine({ store: t.store, queue: t.queue, notifier: t.notifier, clock: t.queue.clock, plugins: new Map([...builtinPlugins, ["OS::Heat::None", slowCloud]]), loadDefinition: t.book.load, newId: () => crypto.randomUUID(), publicUrl: () => "http://kiln.test", software: t.store });
    t.queue.handlers = engine.handlers;
    return { ...t, engine, deleted };
  }

  /** A slow create's answers, each with the object it made. */
  const ANSWERS_WITH_VM_1 = [
    ["waits for it", () => wait({ physicalId: "vm-1", wakeAfterMs: 1000 })],
    ["is done", () => done({ physicalId: "vm-1" })],
    [
      "fails with it made",
      () => {
        throw new ResourceFailure("it never became ACTIVE", "Error", { physicalId: "vm-1", attributes: {} });
      },
    ],
  ] as const;

  it.each(ANSWERS_WITH_VM_1)("a create that %s after it was given up keeps the object it made on its row, so the stack's delete deletes it", async (_, answer) => {
    const t = givenUpMidCreate(answer);
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", definitionOf({ w: { type: "OS::Heat::None" } })), disableRollback: true });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED" });
    expect((await t.store.findResources(stack.id, "w"))[0]).toMatchObject({ status: "FAILED", physicalId: "vm-1", lockTraversal: null });
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.deleted).toEqual(["vm-1"]);
  });

  it.each(ANSWERS_WITH_VM_1)("a create that %s after the rollback its failure started deleted the resource names the object in a warning", async (_, answer) => {
    const t = givenUpMidCreate(answer, (t) => t.settle());
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", definitionOf({ w: { type: "OS::Heat::None" } })), disableRollback: false });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect(await t.store.findResources(stack.id, "w")).toEqual([]);
    expect(t.notifier.all.filter((n) => n.kind === "warning").map((n) => n.reason)).toContain(
      "w CREATE made vm-1 after it had been given up, and the resource has moved on: it is recorded nowhere else; delete it by hand if it is not wanted",
    );
    // Nothing is announced of the outcome, which the rollback overtook.
    expect(t.notifier.events().filter((e) => e.startsWith("w CREATE_COMPLETE"))).toEqual([]);
  });

  it("one whose object another delivery of the same create found and stored warns of nothing", async () => {
    const t = givenUpMidCreate(
      () => done({ physicalId: "vm-1" }),
      (t, id) => t.store.updateResource(id, { physicalId: "vm-1" }),
    );
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", definitionOf({ w: { type: "OS::Heat::None" } })), disableRollback: true });
    await t.settle();
    expect((await t.store.findResources(stack.id, "w"))[0]).toMatchObject({ physicalId: "vm-1", lockTraversal: null });
    expect(t.notifier.all.filter((n) => n.kind === "warning" && n.reason?.includes("vm-1"))).toEqual([]);
  });

  it("one whose resource another operation took meanwhile is named in a warning, not lost without a word", async () => {
    const t = givenUpMidCreate(
      () => done({ physicalId: "vm-1" }),
      (t, id) => t.store.lockResource(id, "a-newer-traversal"),
    );
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", definitionOf({ w: { type: "OS::Heat::None" } })), disableRollback: true });
    await t.settle();
    expect((await t.store.findResources(stack.id, "w"))[0]).toMatchObject({ physicalId: null, lockTraversal: "a-newer-traversal" });
    expect(t.notifier.all.map((n) => n.reason)).toContain(
      "w CREATE made vm-1 after it had been given up, and the resource has moved on: it is recorded nowhere else; delete it by hand if it is not wanted",
    );
  });
});

describe("a create that made an object but answered more than can be stored", () => {
  const tooLarge = { big: "x".repeat(1_100_000) };
  it.each([
    ["answered attributes over the value limit", () => done({ physicalId: "vm-1", attributes: tooLarge })],
    ["failed, leaving attributes over the value limit", () => {
      throw new ResourceFailure("it never became ACTIVE", "Error", { physicalId: "vm-1", attributes: tooLarge });
    }],
  ])("one that %s fails, keeping the object's id, so the stack's delete deletes it", async (_, answer) => {
    const t = setup();
    const deleted: (string | null)[] = [];
    const cloud: ResourcePlugin = { ...nonePlugin, actsInStoreOnly: false, create: answer, delete: (ctx) => (deleted.push(ctx.physicalId), done()) };
    const engine = new Engine({ store: t.store, queue: t.queue, notifier: t.notifier, clock: t.queue.clock, plugins: new Map([...builtinPlugins, ["OS::Heat::None", cloud]]), loadDefinition: t.book.load, newId: () => crypto.randomUUID(), publicUrl: () => "http://kiln.test", software: t.store });
    t.queue.handlers = engine.handlers;
    const stack = await engine.createStack({ projectId: P, name: "s", template: t.book.add("w", definitionOf({ w: { type: "OS::Heat::None" } })), disableRollback: true });
    await t.settle();
    expect((await t.store.findResources(stack.id, "w"))[0]).toMatchObject({ status: "FAILED", physicalId: "vm-1" });
    await engine.deleteStack(stack.id);
    await t.settle();
    expect(deleted).toEqual(["vm-1"]);
  });
});

describe("a wait on something that wakes the resource when it finishes", () => {
  // A resource type whose create waits for something that wakes it when done (as a nested stack
  // does), which may have finished before the wait was stored: `finished` says whether it had.
  function waitsFor(finished: boolean) {
    const t = setup();
    const waits: ResourcePlugin = { ...nonePlugin, actsInStoreOnly: false, create: () => wait({ finishedBeforeWaiting: async () => finished }), resume: () => done({ physicalId: "woken" }) };
    const engine = new Engine({ store: t.store, queue: t.queue, notifier: t.notifier, clock: t.queue.clock, plugins: new Map([...builtinPlugins, ["OS::Heat::None", waits]]), loadDefinition: t.book.load, newId: () => crypto.randomUUID(), publicUrl: () => "http://kiln.test", software: t.store });
    t.queue.handlers = engine.handlers;
    return { ...t, engine };
  }

  it("is woken at once when what it waits for finished before its wait was stored", async () => {
    const t = waitsFor(true);
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", definitionOf({ w: { type: "OS::Heat::None" } })) });
    await t.settleNow();
    expect(await t.resources(stack.id)).toEqual({ w: "CREATE_COMPLETE" });
    expect((await t.store.findResources(stack.id, "w"))[0]!.physicalId).toBe("woken");
  });

  it("is left waiting, with no wake-up queued, while what it waits for has not finished", async () => {
    const t = waitsFor(false);
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", definitionOf({ w: { type: "OS::Heat::None" } })) });
    await t.settleNow();
    expect(await t.resources(stack.id)).toEqual({ w: "CREATE_IN_PROGRESS" });
    expect(t.queue.log.filter((j) => j.kind === "resume")).toEqual([]);
  });
});

describe("delete", () => {
  it("deletes dependents first and removes the stack", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("chain", chain) });
    await t.settle();
    await t.engine.deleteStack(stack.id);
    await t.settle();
    const events = t.notifier.events();
    expect(events.indexOf("c DELETE_COMPLETE")).toBeLessThan(events.indexOf("b DELETE_IN_PROGRESS"));
    expect(events.indexOf("b DELETE_COMPLETE")).toBeLessThan(events.indexOf("a DELETE_IN_PROGRESS"));
    expect(events.at(-1)).toBe("s DELETE_COMPLETE");
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.store.resources.size).toBe(0);
  });

  it("keeps resources whose deletion_policy is Retain, without deleting them", async () => {
    const t = setup();
    const def = definitionOf({ keep: { type: "OS::Heat::TestResource", deletionPolicy: "Retain" } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("k", def) });
    await t.settle();
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(t.notifier.events()).not.toContain("keep DELETE_IN_PROGRESS");
    expect(t.notifier.all.some((n) => /Retain/.test(n.reason ?? ""))).toBe(true);
  });

  it("deletes resources of types that act in the store only in batches of 16, each deleted once; others alone", async () => {
    const t = setup();
    const def = definitionOf({
      ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`r${i}`, { type: "OS::Heat::None" }])),
      slow: { type: "OS::Heat::TestResource" },
    });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("forty", def) });
    await t.settle();
    const before = t.queue.log.length;
    await t.engine.deleteStack(stack.id);
    await t.settle();
    const jobs = t.queue.log.slice(before);
    const batches = jobs.filter((j) => j.kind === "checks").map((j) => (j.payload as { nodes: string[] }).nodes);
    expect(batches.map((b) => b.length).sort((x, y) => y - x)).toEqual([16, 16, 8]);
    expect(batches.flat().every((n) => n.startsWith("cleanup:r"))).toBe(true);
    expect(jobs.some((j) => j.kind === "check" && (j.payload as { node: string }).node === "cleanup:slow")).toBe(true);
    for (let i = 0; i < 40; i++) expect(t.notifier.events().filter((e) => e === `r${i} DELETE_COMPLETE`)).toHaveLength(1);
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.store.resources.size).toBe(0);
  });

  it("resources of types that act in the store only, all needed by one deleted first, are deleted in a batch after it", async () => {
    const t = setup();
    const def = definitionOf({
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`n${i}`, { type: "OS::Heat::None" }])),
      top: { type: "OS::Heat::None", requires: Array.from({ length: 20 }, (_, i) => `n${i}`) },
    });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("fanIn", def) });
    await t.settle();
    const before = t.queue.log.length;
    await t.engine.deleteStack(stack.id);
    await t.settle();
    const batches = t.queue.log.slice(before).filter((j) => j.kind === "checks").map((j) => (j.payload as { nodes: string[] }).nodes.length);
    expect(batches.sort((x, y) => y - x)).toEqual([16, 4]);
    const events = t.notifier.events();
    for (let i = 0; i < 20; i++) expect(events.indexOf(`n${i} DELETE_IN_PROGRESS`)).toBeGreaterThan(events.indexOf("top DELETE_COMPLETE"));
    expect(await t.stack(stack.id)).toBeUndefined();
  });

  it("deleting resources that finish together completes the stack once, and queues what they all needed once", async () => {
    const t = setup({ concurrency: 8 });
    const def = definitionOf({
      c: { type: "OS::Heat::TestResource" },
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`r${i}`, { type: "OS::Heat::TestResource", requires: ["c"] }])),
    });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("d", def) });
    await t.settle();
    const before = t.queue.log.length;
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.notifier.events().filter((e) => e === "s DELETE_COMPLETE")).toHaveLength(1);
    expect(t.queue.log.slice(before).filter((j) => (j.payload as { node?: string }).node === "cleanup:c")).toHaveLength(1);
  });

  it("deletes a stack whose create is still in progress, leaking nothing", async () => {
    const t = setup();
    const def = definitionOf({
      fast: { type: "OS::Heat::TestResource" },
      slow: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 10 } } },
      after: { type: "OS::Heat::TestResource", requires: ["slow"] },
    });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("d", def) });
    await t.settle(() => t.notifier.events().includes("fast CREATE_COMPLETE"));
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.store.resources.size).toBe(0);
  });
});

describe("big stacks share the event loop", () => {
  it("starting a traversal of a thousand resources lets other callbacks run while its rows, graph and jobs are stored", async () => {
    const t = setup();
    const spec = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`r${i}`, { type: "OS::Heat::None" }]));
    const turns: number[] = [];
    let stored = false;
    const tick = () => {
      turns.push(t.store.resources.size);
      if (!stored) setImmediate(tick);
    };
    setImmediate(tick);
    await t.engine.createStack({ projectId: P, name: "big", template: t.book.add("big", definitionOf(spec)) });
    stored = true;
    // Other callbacks ran between the slices, not only before the first or after the last.
    expect(turns.filter((rows) => rows > 0 && rows < 1000).length).toBeGreaterThan(0);
  });
});

describe("deleting a stack stops the waits in it", () => {
  async function deleteMidCreate(def: ReturnType<typeof definitionOf>, waiting: string) {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", def) });
    await t.settle(() => t.notifier.events().includes(`${waiting} CREATE_IN_PROGRESS`));
    const before = t.clock.now();
    await t.engine.deleteStack(stack.id);
    await t.settle(() => t.notifier.events().includes("s DELETE_COMPLETE"));
    return { t, stack, waitedMs: t.clock.now() - before };
  }

  it.each([
    ["a create waiting 120 s", { action_wait_secs: { create: 120 } }],
    ["a create waiting 1e12 s", { wait_secs: 1e12 }],
    ["a create waiting forever", { wait_secs: -1 }],
  ])("%s is aborted and the stack deleted at once", async (_, properties) => {
    const { t, stack, waitedMs } = await deleteMidCreate(definitionOf({ slow: { type: "OS::Heat::TestResource", properties } }), "slow");
    expect(waitedMs).toBe(0);
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.store.resources.size).toBe(0);
    expect(t.notifier.all.find((n) => n.resourceName === "slow" && n.status === "FAILED")?.reason).toBe("CREATE aborted: the stack is being deleted");
  });

  it("an unsignalled wait condition is aborted at once", async () => {
    const def = definitionOf({
      handle: { type: "OS::Heat::WaitConditionHandle" },
      wait: { type: "OS::Heat::WaitCondition", requires: ["handle"], properties: (get) => ({ handle: get("handle")?.reference, timeout: 120 }) },
    });
    const { t, stack, waitedMs } = await deleteMidCreate(def, "wait");
    expect(waitedMs).toBe(0);
    expect(await t.stack(stack.id)).toBeUndefined();
  });

  it("a group whose members wait is deleted at once, members and nested stack too", async () => {
    const def = definitionOf({
      group: { type: "OS::Heat::ResourceGroup", properties: { count: 3, resource_def: { type: "OS::Heat::TestResource", properties: { wait_secs: 1e12 } } } },
    });
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("g", def) });
    await t.settle(() => t.notifier.all.filter((n) => n.resourceName === "2" && n.status === "IN_PROGRESS").length > 0);
    const before = t.clock.now();
    await t.engine.deleteStack(stack.id);
    await t.settle(() => t.notifier.events().includes("s DELETE_COMPLETE"));
    expect(t.clock.now() - before).toBe(0);
    expect(await t.store.listStacks(P)).toEqual([]);
    expect(t.store.resources.size).toBe(0);
  });

  it("a wait longer than a timer can hold is handed to the queue in steps it can", async () => {
    const t = setup();
    const def = definitionOf({ slow: { type: "OS::Heat::TestResource", properties: { wait_secs: 1e12 } } });
    await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("w", def) });
    await t.settle(() => t.notifier.events().includes("slow CREATE_IN_PROGRESS"));
    const delays = t.queue.delays.filter((d) => d.kind === "resume").map((d) => d.delayMs);
    expect(delays).toEqual([2 ** 31 - 1]);
  });
});

describe("an operation started the moment the one before it completes", () => {
  it.each(["delete", "update"] as const)("a %s requested as soon as the create is announced complete converges", async (next) => {
    const t = setup();
    const nones = (n: number) => definitionOf(Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, { type: "OS::Heat::None" }])));
    const v1 = nones(4);
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1) });
    // Whoever hears CREATE_COMPLETE acts before the job that announced it has finished.
    const notify = t.notifier.notify.bind(t.notifier);
    let started = false;
    t.notifier.notify = async (items) => {
      await notify(items);
      if (started || !items.some((n) => isStackLevelEvent(n) && n.action === "CREATE" && n.status === "COMPLETE")) return;
      started = true;
      if (next === "delete") await t.engine.deleteStack(stack.id);
      else await t.engine.updateStack(stack.id, { template: t.book.add("v2", nones(5)) });
    };
    await t.settleNow();
    expect(started).toBe(true);
    if (next === "delete") expect(await t.stack(stack.id)).toBeUndefined();
    else expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
  });
});

describe("overtaking updates", () => {
  const wide = (value: string, n = 6) =>
    definitionOf(
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `r${i}`,
          { type: "OS::Heat::TestResource", requires: i ? [`r${i - 1}`] : [], properties: { value, action_wait_secs: { create: 1, update: 1 } } },
        ]),
      ),
    );

  it.each([0, 1, 3, 5, 8, 12])("an update submitted after %i jobs wins, and nothing leaks or duplicates", async (after) => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("one", wide("one")) });
    let jobs = 0;
    await t.settle(() => jobs++ >= after);
    await t.engine.updateStack(stack.id, { template: t.book.add("two", wide("two", 4)) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    const rows = [...t.store.resources.values()];
    expect(rows.map((r) => r.name).sort()).toEqual(["r0", "r1", "r2", "r3"]);
    for (const r of rows) {
      expect(r.attributes.output).toBe("two");
      expect(r.lockTraversal).toBeNull();
      expect(r.status).toBe("COMPLETE");
    }
  });

  it("three updates in quick succession end in the last one's state", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("one", wide("one")) });
    await t.settle(() => t.queue.log.length > 2);
    await t.engine.updateStack(stack.id, { template: t.book.add("two", wide("two", 3)) });
    await t.settle(() => t.queue.log.length > 6);
    await t.engine.updateStack(stack.id, { template: t.book.add("three", wide("three", 5)) });
    await t.settle();
    const rows = [...t.store.resources.values()];
    expect(rows.map((r) => r.name).sort()).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    expect(rows.every((r) => r.attributes.output === "three" && r.status === "COMPLETE")).toBe(true);
  });

  it("cancelling an update rolls back to the previous template", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("one", wide("one", 3)) });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: t.book.add("two", wide("two", 3)) });
    await t.settle(() => t.notifier.events().includes("r0 UPDATE_IN_PROGRESS"));
    await t.engine.cancelUpdate(stack.id);
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect([...t.store.resources.values()].every((r) => r.attributes.output === "one")).toBe(true);
    expect(t.notifier.all.some((n) => n.reason === "Stack UPDATE cancelled")).toBe(true);
    expect((await t.stack(stack.id))?.statusReason).toBe("Stack ROLLBACK completed after: Stack UPDATE cancelled");
  });
});

describe("cancelling stops the waits of the cancelled operation", () => {
  it("an update waiting 1e12 s is aborted and rolled back at once", async () => {
    const t = setup();
    const one = definitionOf({ r: { type: "OS::Heat::TestResource", properties: { value: "one" } } });
    const two = definitionOf({ r: { type: "OS::Heat::TestResource", properties: { value: "two", action_wait_secs: { update: 1e12 } } } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("one", one) });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: t.book.add("two", two) });
    await t.settle(() => t.notifier.events().includes("r UPDATE_IN_PROGRESS"));
    const before = t.clock.now();
    await t.engine.cancelUpdate(stack.id);
    await t.settle(() => t.notifier.events().includes("s ROLLBACK_COMPLETE"));
    expect(t.clock.now() - before).toBe(0);
    expect(t.notifier.all.some((n) => n.reason === "UPDATE aborted: the stack UPDATE was cancelled")).toBe(true);
    expect((await t.store.findResources(stack.id, "r")).find((r) => !r.replacedBy)?.attributes.output).toBe("one");
  });
});

describe("crash and redelivery", () => {
  const def = definitionOf({
    a: { type: "OS::Heat::RandomString" },
    b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: get("a")?.reference }) },
    c: { type: "OS::Heat::TestResource", requires: ["a"] },
    d: { type: "OS::Heat::TestResource", requires: ["b", "c"] },
  });

  it("every job delivered twice still converges once, with one value per RandomString", async () => {
    const t = setup({ deliveries: 2 });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("d", def) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(t.store.resources.size).toBe(4);
    const a = (await t.store.findResources(stack.id, "a"))[0]!;
    expect((await t.store.findResources(stack.id, "b"))[0]!.attributes.output).toBe(a.attributes.value);
    expect(t.notifier.events().filter((e) => e === "d CREATE_COMPLETE")).toHaveLength(1);
  });

  it("a node queued twice (a redelivered predecessor propagating again) is converged by one of the two jobs, never by both at once", async () => {
    const t = setup({ concurrency: 8 });
    const enqueue = t.queue.enqueue.bind(t.queue);
    // Each check job is queued twice, as two jobs: both copies are taken at the same moment.
    t.queue.enqueue = (jobs) => enqueue(jobs.flatMap((j) => (j.kind === "check" ? [j, structuredClone(j)] : [j])));
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("d", def) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    for (const name of ["a", "b", "c", "d"]) expect(t.notifier.events().filter((e) => e === `${name} CREATE_IN_PROGRESS`), name).toHaveLength(1);
    expect(t.store.resources.size).toBe(4);
    expect([...t.store.resources.values()].every((r) => r.lockTraversal === null)).toBe(true);
  });

  it("a copy of a node that read its resource while the other copy was creating it, and locks it once that one finished, creates nothing again", async () => {
    const t = setup({ concurrency: 8 });
    const enqueue = t.queue.enqueue.bind(t.queue);
    t.queue.enqueue = (jobs) => enqueue(jobs.flatMap((j) => (j.kind === "check" && (j.payload as { node: string }).node === "update:x" ? [j, structuredClone(j)] : [j])));
    // The first copy reads, locks and creates; the second reads while the first is creating,
    // and takes the lock only once the first has released it, its create complete.
    const signal = () => {
      let done!: () => void;
      return { promise: new Promise<void>((r) => (done = r)), done: () => done() };
    };
    const [firstLocked, firstReleased] = [signal(), signal()];
    const { findResources, lockResource, unlockResource } = t.store;
    let reads = 0;
    let locks = 0;
    t.store.findResources = async (stackId, name) => {
      if (name === "x" && ++reads === 2) await firstLocked.promise;
      return findResources.call(t.store, stackId, name);
    };
    t.store.lockResource = async (...args) => {
      const mine = ++locks;
      if (mine === 2) await firstReleased.promise;
      const locked = await lockResource.apply(t.store, args);
      if (mine === 1) firstLocked.done();
      return locked;
    };
    t.store.unlockResource = async (...args) => {
      const answer = await unlockResource.apply(t.store, args);
      firstReleased.done();
      return answer;
    };
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("x", definitionOf({ x: { type: "OS::Heat::TestResource" } })) });
    await t.settle();
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(t.notifier.events().filter((e) => e === "x CREATE_IN_PROGRESS")).toHaveLength(1);
  });

  it.each(Array.from({ length: 24 }, (_, i) => i))("a worker dying at store write %i is resumed by redelivery", async (crashAt) => {
    const t = setup();
    const template = t.book.add("d", def);
    let writes = 0;
    dieAtWrite(t, () => writes++ === crashAt && t.queue.log.length > 0);
    const stack = await t.engine.createStack({ projectId: P, name: "s", template });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(await t.resources(stack.id)).toEqual({ a: "CREATE_COMPLETE", b: "CREATE_COMPLETE", c: "CREATE_COMPLETE", d: "CREATE_COMPLETE" });
    expect([...t.store.resources.values()].every((r) => r.lockTraversal === null)).toBe(true);
  });

  // Deleted in batches: the three leaves together, then the five that `top` needed together.
  const storeOnly = definitionOf({
    ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`n${i}`, { type: "OS::Heat::None" }])),
    top: { type: "OS::Heat::None", requires: ["n0", "n1", "n2", "n3", "n4"] },
    v: { type: "OS::Heat::Value", properties: { value: "x" } },
    r: { type: "OS::Heat::RandomString" },
  });

  it.each(Array.from({ length: 14 }, (_, i) => i))("a worker dying at store write %i of a delete done in batches is resumed by redelivery and the reconciler", async (crashAt) => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("d", storeOnly) });
    await t.settle();
    let writes = 0;
    const before = t.queue.log.length;
    // Writes of the delete's jobs, not of the request that starts it.
    const crashed = dieAtWrite(t, () => t.queue.log.length > before && writes++ === crashAt);
    await t.engine.deleteStack(stack.id);
    await t.settleNow();
    // A job that died handing on leaves successors it completed unqueued: its redelivery finds
    // its rows gone and cannot tell; the reconciler drives the traversal on (within seconds).
    const left = await t.stack(stack.id);
    if (left?.currentTraversal) await t.engine.redrive(stack.id, left.currentTraversal, async () => true);
    await t.settle();
    expect(crashed()).toBe(true);
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.store.resources.size).toBe(0);
    for (const name of storeOnly.resources.keys()) expect(t.notifier.events().filter((e) => e === `${name} DELETE_COMPLETE`), name).toHaveLength(1);
  });

  it("a batch of cleanup nodes run again after one of them failed once runs each node after it about once", async () => {
    // Layers of three, each needing all of the one below; `other` is deleted in top's batch.
    const spec: Record<string, { type: string; requires?: string[] }> = { other: { type: "OS::Heat::None" } };
    for (let l = 0; l < 7; l++) for (let w = 0; w < 3; w++) spec[`l${l}w${w}`] = { type: "OS::Heat::None", requires: l ? [0, 1, 2].map((i) => `l${l - 1}w${i}`) : [] };
    spec.top = { type: "OS::Heat::None", requires: [0, 1, 2].map((i) => `l6w${i}`) };
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("d", definitionOf(spec)) });
    await t.settle();
    const other = (await t.store.findResources(stack.id, "other"))[0]!.id;
    const deleteAtOnce = t.store.deleteAtOnce.bind(t.store);
    let failed = false;
    t.store.deleteAtOnce = async (id, ...rest) => {
      if (id !== other || failed) return deleteAtOnce(id, ...rest);
      failed = true;
      throw new WorkerDied(); // the batch is delivered again, every node of it
    };
    const before = t.queue.log.length;
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(failed).toBe(true);
    expect(await t.stack(stack.id)).toBeUndefined();
    // 7 batches of a layer, top's twice, and the stack's node; a node that ran again must not queue
    // what came after it again, once per path (thousands of jobs).
    expect(t.queue.log.length - before).toBeLessThan(20);
  });

  const waking = definitionOf({
    a: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 1 } } },
    b: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 1 } } },
    c: { type: "OS::Heat::TestResource", requires: ["a", "b"], properties: { action_wait_secs: { create: 1, delete: 1 } } },
  });

  it.each(Array.from({ length: 6 }, (_, i) => i))("a worker dying at store write %i of a wake-up is resumed by redelivery", async (crashAt) => {
    const t = setup();
    const template = t.book.add("w", waking);
    let writes = 0;
    let inResume = false;
    const resume = t.queue.handlers.resume!;
    t.queue.handlers = {
      ...t.queue.handlers,
      resume: async (p) => {
        inResume = true;
        try {
          await resume(p);
        } finally {
          inResume = false;
        }
      },
    };
    const crashed = dieAtWrite(t, () => inResume && writes++ === crashAt);
    const stack = await t.engine.createStack({ projectId: P, name: "s", template });
    await t.settle();
    expect(crashed()).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(await t.resources(stack.id)).toEqual({ a: "CREATE_COMPLETE", b: "CREATE_COMPLETE", c: "CREATE_COMPLETE" });
    for (const name of ["a", "b", "c"]) expect(t.notifier.events().filter((e) => e === `${name} CREATE_COMPLETE`)).toHaveLength(1);
  });
});

describe("crash and redelivery when going back to an original copy", () => {
  const v1 = definitionOf({
    a: { type: "OS::Heat::TestResource", properties: { value: "one" } },
    b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: get("a")?.attributes.output }) },
  });
  // a is replaced, then b fails: the rollback goes back to a's original copy and replaces b.
  const bFails = definitionOf({
    a: { type: "OS::Heat::TestResource", properties: { value: "two", update_replace: true } },
    b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: get("a")?.attributes.output, fail: true }) },
  });
  // a's replacement fails: applying v1 again by hand goes back to a's original copy.
  const aFails = definitionOf({
    a: { type: "OS::Heat::TestResource", properties: { value: "two", update_replace: true, fail: true } },
    b: { type: "OS::Heat::TestResource", requires: ["a"], properties: (get) => ({ value: get("a")?.attributes.output }) },
  });

  /** Counts store writes from the start of the traversal that goes back (a job's, not the request's). */
  async function goBack(crashAt: number, rollback: boolean) {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1), disableRollback: !rollback });
    await t.settle();
    const original = (await t.store.findResources(stack.id, "a"))[0]!.physicalId;
    let from = Infinity;
    const started = () => {
      if (from === Infinity && rollback) from = t.notifier.all.find((n) => n.action === "ROLLBACK" && n.status === "IN_PROGRESS")?.id ?? Infinity;
      return t.notifier.all.length >= from;
    };
    let writes = 0;
    const crashed = dieAtWrite(t, () => started() && writes++ === crashAt);
    if (rollback) {
      await t.engine.updateStack(stack.id, { template: t.book.add("bad", bFails) });
    } else {
      await t.engine.updateStack(stack.id, { template: t.book.add("bad", aFails) });
      await t.settle();
      await t.engine.updateStack(stack.id, { template: "v1" });
      from = t.notifier.all.length;
    }
    await t.settle();
    const created = t.notifier.all.filter((n) => n.id > from && n.resourceName === "a" && n.action === "CREATE");
    return { t, stack, original, crashed: crashed(), created };
  }

  it.each(Array.from({ length: 9 }, (_, i) => i))("a worker dying at store write %i of the update that replaces a and fails still rolls back to a's original copy", async (crashAt) => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1), disableRollback: false });
    await t.settle();
    const original = (await t.store.findResources(stack.id, "a"))[0]!.physicalId;
    let counting = false;
    let writes = 0;
    // Up to the failure: a worker dying inside the failure's own rollback start is another story.
    const crashed = dieAtWrite(t, () => counting && !t.notifier.events().includes("s UPDATE_FAILED") && writes++ === crashAt);
    await t.engine.updateStack(stack.id, { template: t.book.add("bad", bFails) });
    counting = true;
    await t.settle();
    expect(crashed()).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect(await t.store.findResources(stack.id, "a")).toEqual([expect.objectContaining({ physicalId: original, status: "COMPLETE", replacedBy: null })]);
    expect([...t.store.resources.values()].every((r) => r.lockTraversal === null)).toBe(true);
  });

  it.each(Array.from({ length: 4 }, (_, i) => i))("a worker dying at store write %i after b's failure, while the update hands over to its rollback, still rolls back", async (crashAt) => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v1), disableRollback: false });
    await t.settle();
    const original = (await t.store.findResources(stack.id, "a"))[0]!.physicalId;
    let writes = 0;
    // The failed traversal and its rollback change hands in one write: no crash between two
    // writes can leave the stack UPDATE_FAILED with no rollback.
    const bFailed = () => t.notifier.events().some((e) => e.startsWith("b ") && e.endsWith("_FAILED"));
    const crashed = dieAtWrite(t, () => bFailed() && writes++ === crashAt);
    await t.engine.updateStack(stack.id, { template: t.book.add("bad", bFails) });
    await t.settle();
    expect(crashed()).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect(t.notifier.events().filter((e) => e === "s UPDATE_FAILED")).toHaveLength(1);
    expect(await t.store.findResources(stack.id, "a")).toEqual([expect.objectContaining({ physicalId: original, status: "COMPLETE", replacedBy: null })]);
  });

  it.each(Array.from({ length: 18 }, (_, i) => i))("a worker dying at store write %i of the rollback leaves the original copy, created once", async (crashAt) => {
    const { t, stack, original, crashed, created } = await goBack(crashAt, true);
    expect(crashed).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect(await t.store.findResources(stack.id, "a")).toEqual([expect.objectContaining({ physicalId: original, status: "COMPLETE", replacedBy: null })]);
    expect(await t.store.findResources(stack.id, "b")).toEqual([expect.objectContaining({ action: "CREATE", status: "COMPLETE" })]);
    expect(created).toEqual([]);
    expect([...t.store.resources.values()].every((r) => r.lockTraversal === null)).toBe(true);
  });

  it.each(Array.from({ length: 13 }, (_, i) => i))("a worker dying at store write %i of the update applied by hand leaves the original copy", async (crashAt) => {
    const { t, stack, original, crashed, created } = await goBack(crashAt, false);
    expect(crashed).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await t.store.findResources(stack.id, "a")).toEqual([expect.objectContaining({ physicalId: original, status: "COMPLETE", replacedBy: null })]);
    expect(created).toEqual([]);
    expect([...t.store.resources.values()].every((r) => r.lockTraversal === null)).toBe(true);
  });
});

describe("check", () => {
  it("checks every resource and completes", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("chain", chain) });
    await t.settle();
    await t.engine.checkStack(stack.id);
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "CHECK", status: "COMPLETE" });
    expect(await t.resources(stack.id)).toEqual({ a: "CHECK_COMPLETE", b: "CHECK_COMPLETE", c: "CHECK_COMPLETE" });
  });
});

describe("recovery", () => {
  it("a check job delivered again does not queue a successor that already started, so it never runs twice at once", async () => {
    const t = setup();
    const def = definitionOf({
      a: { type: "OS::Heat::TestResource" },
      b: { type: "OS::Heat::TestResource", requires: ["a"], properties: { action_wait_secs: { create: 60 } } },
    });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("ab", def) });
    await t.settle(() => t.queue.log.length >= 2); // a done, b started and waiting
    const before = t.queue.log.length;
    await t.engine.handlers.check!({ stackId: stack.id, traversal: stack.currentTraversal, node: "update:a" });
    await t.settle(() => t.queue.log.length > before);
    const checks = t.queue.log.slice(before).filter((j) => j.kind === "check");
    expect(checks.map((j) => (j.payload as { node: string }).node)).not.toContain("update:b");
  });

  it("a check job delivered again after its worker stored a failure but died before failing the stack fails the stack", async () => {
    const t = setup();
    const template = t.book.add("bad", definitionOf({ bad: { type: "OS::Heat::TestResource", properties: { fail: true } } }));
    const store = t.store as unknown as { updateStack: (...a: unknown[]) => Promise<boolean> };
    const original = store.updateStack.bind(t.store);
    let crashed = false;
    store.updateStack = async (...args) => {
      if (!crashed && (args[1] as { status?: string }).status === "FAILED") {
        crashed = true;
        throw new WorkerDied();
      }
      return original(...args);
    };
    const stack = await t.engine.createStack({ projectId: P, name: "s", template });
    await t.settle();
    expect(crashed).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED", statusReason: "Resource CREATE failed: ValueError: resources.bad: Test Resource failed bad" });
  });


  const fanIn = definitionOf({
    a: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 1 } } },
    b: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 1 } } },
    c: { type: "OS::Heat::TestResource" },
    d: { type: "OS::Heat::TestResource", requires: ["a", "b", "c"], properties: { action_wait_secs: { create: 1 } } },
    e: { type: "OS::Heat::TestResource", requires: ["d"] },
  });

  it("a job the queue gave up on fails its resource and the stack, with the queue's reason", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", fanIn) });
    await t.engine.abandon("check", { stackId: stack.id, traversal: stack.currentTraversal, node: "update:c" }, "the engine gave up after 3 attempts: boom");
    await t.settle();
    const c = (await t.store.findResources(stack.id, "c"))[0]!;
    expect(c).toMatchObject({ action: "CREATE", status: "FAILED", statusReason: "resources.c: the engine gave up after 3 attempts: boom", lockTraversal: null });
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED", statusReason: "Resource CREATE failed: resources.c: the engine gave up after 3 attempts: boom" });
  });

  // x and y are created in one batch; z, which needs x, is queued by x on its own.
  const batched = definitionOf({
    x: { type: "OS::Heat::None" },
    y: { type: "OS::Heat::None" },
    z: { type: "OS::Heat::None", requires: ["x"] },
  });

  it("giving up on a batch of nodes fails only those it did not converge", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("b", batched), disableRollback: true });
    await t.settle(() => t.queue.log.length >= 1);
    expect(t.queue.log[0]).toMatchObject({ kind: "checks", payload: { nodes: ["update:x", "update:y"] } });
    await t.engine.abandon("checks", { stackId: stack.id, traversal: stack.currentTraversal, nodes: ["update:x", "update:z"] }, "the engine gave up after 3 attempts: boom");
    await t.settle();
    expect(await t.resources(stack.id)).toEqual({ x: "CREATE_COMPLETE", y: "CREATE_COMPLETE", z: "CREATE_FAILED" });
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED", statusReason: "Resource CREATE failed: resources.z: the engine gave up after 3 attempts: boom" });
  });

  it("giving up on a batch whose nodes all converged fails the traversal they could not hand on", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("b", batched), disableRollback: true });
    await t.settle(() => t.queue.log.length >= 1);
    await t.engine.abandon("checks", { stackId: stack.id, traversal: stack.currentTraversal, nodes: ["update:x", "update:y"] }, "boom");
    expect(await t.resources(stack.id)).toMatchObject({ x: "CREATE_COMPLETE", y: "CREATE_COMPLETE" });
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED", statusReason: "boom" });
  });

  it("giving up on a batch leaves alone a resource another traversal holds: that one hands it over", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("b", batched), disableRollback: true });
    const y = (await t.store.findResources(stack.id, "y"))[0]!;
    await t.store.lockResource(y.id, "an-older-traversal");
    await t.engine.abandon("checks", { stackId: stack.id, traversal: stack.currentTraversal, nodes: ["update:x", "update:y"] }, "boom");
    expect((await t.store.findResources(stack.id, "y"))[0]).toMatchObject({ status: y.status, lockTraversal: "an-older-traversal" });
    expect(await t.resources(stack.id)).toMatchObject({ x: "CREATE_FAILED" });
  });

  it("giving up on a batch of cleanup nodes fails only resources it left undeleted", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("b", batched), disableRollback: true });
    await t.settle();
    const before = t.queue.log.length;
    await t.engine.deleteStack(stack.id);
    await t.settle(() => t.queue.log.length > before);
    const deleting = (await t.stack(stack.id))!.currentTraversal;
    expect(t.queue.log[before]).toMatchObject({ kind: "checks", payload: { nodes: ["cleanup:y", "cleanup:z"] } });
    await t.settle(() => t.notifier.events().includes("z DELETE_COMPLETE"));
    await t.engine.abandon("checks", { stackId: stack.id, traversal: deleting, nodes: ["cleanup:z", "cleanup:x"] }, "boom");
    expect(await t.resources(stack.id)).toMatchObject({ x: "DELETE_FAILED" });
    expect(await t.stack(stack.id)).toMatchObject({ action: "DELETE", status: "FAILED", statusReason: "Resource DELETE failed: resources.x: boom" });
  });

  it("giving up on a batch of cleanup nodes of replaced copies fails the copies it was to delete, not the new ones", async () => {
    const t = setup();
    const v = (length: number) =>
      definitionOf({
        r1: { type: "OS::Heat::RandomString", properties: { length } },
        r2: { type: "OS::Heat::RandomString", properties: { length } },
        top: { type: "OS::Heat::None", requires: ["r1", "r2"] },
      });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("v1", v(8)), disableRollback: true });
    await t.settle();
    const enqueue = t.queue.enqueue.bind(t.queue);
    let held: { kind: string; payload: unknown } | undefined;
    t.queue.enqueue = (jobs) => enqueue(jobs.filter((j) => !(j.kind === "checks" && (j.payload as { nodes: string[] }).nodes.includes("cleanup:r1") && (held = j))));
    await t.engine.updateStack(stack.id, { template: t.book.add("v2", v(10)) });
    await t.settleNow();
    await t.engine.abandon(held!.kind, held!.payload, "boom");
    const rows = await t.store.findResources(stack.id, "r1");
    expect(rows.find((r) => r.replaces !== null)).toMatchObject({ action: "CREATE", status: "COMPLETE" });
    expect(rows.find((r) => r.replaces === null)).toMatchObject({ action: "DELETE", status: "FAILED" });
  });

  it("giving up on a waiting resource's wake-up fails it too", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", fanIn) });
    await t.settle(() => t.queue.log.length >= 3);
    const a = (await t.store.findResources(stack.id, "a"))[0]!;
    await t.engine.abandon("resume", { resourceId: a.id }, "the engine gave up after 3 attempts: its process stopped or hung while running it");
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED" });
    expect((await t.store.findResources(stack.id, "a"))[0]).toMatchObject({ status: "FAILED", lockTraversal: null });
  });

  it("giving up on a timeout job stops the traversal's waits, as the timeout itself does", async () => {
    const t = setup();
    const slow = definitionOf({ a: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 3600 } } } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("slow", slow), disableRollback: true });
    await t.settle(() => t.queue.delays.some((d) => d.kind === "resume"));
    await t.engine.abandon("timeout", { stackId: stack.id, traversal: stack.currentTraversal }, "the engine gave up after 3 attempts: boom");
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED", statusReason: "Stack timeout: the engine gave up after 3 attempts: boom" });
    expect((await t.store.findResources(stack.id, "a"))[0]).toMatchObject({ status: "FAILED", lockTraversal: null, data: {} });
  });

  it("giving up on a job of an overtaken traversal releases its lock, so the update that overtook it converges the resource", async () => {
    const t = setup();
    const slow = definitionOf({ a: { type: "OS::Heat::TestResource", properties: { action_wait_secs: { create: 3600 } } } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("slow", slow) });
    await t.settle(() => t.queue.delays.some((d) => d.kind === "resume"));
    await t.engine.updateStack(stack.id, { template: t.book.add("fast", definitionOf({ a: { type: "OS::Heat::TestResource", properties: { value: "new" } } })) });
    await t.settle(() => t.queue.size === 3); // the update's check of a stepped back: a's wake-up and two timeouts are left
    // The queue gives up on a's wake-up (its process kept dying): the job is gone.
    const queued = t.queue as unknown as { pending: { kind: string; payload: unknown }[] };
    const wake = queued.pending.find((j) => j.kind === "resume")!;
    queued.pending = queued.pending.filter((j) => j !== wake);
    await t.engine.abandon("resume", wake.payload, "the engine gave up after 3 attempts: its process stopped or hung while running it");
    await t.settle(() => t.notifier.events().includes("s UPDATE_COMPLETE") || t.notifier.events().includes("s UPDATE_FAILED"));
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
  });

  it.each(Array.from({ length: 8 }, (_, i) => i + 1))("a traversal whose jobs were all lost after %i jobs is driven on once, creating nothing twice", async (cut) => {
    const t = setup({ concurrency: 1 });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", fanIn) });
    await t.settle(() => t.queue.log.length >= cut);
    (t.queue as unknown as { pending: unknown[] }).pending = [];
    const traversal = (await t.stack(stack.id))!.currentTraversal!;
    expect(await t.engine.redrive(stack.id, traversal, async () => true)).toBeGreaterThan(0);
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    for (const name of ["a", "b", "c", "d", "e"]) expect(t.notifier.events().filter((e) => e === `${name} CREATE_COMPLETE`)).toHaveLength(1);
    expect(await t.engine.redrive(stack.id, traversal, async () => true)).toBe(0);
  });

  it("a traversal with work queued is left alone when another process claimed it", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: t.book.add("f", fanIn) });
    const before = t.queue.size;
    expect(await t.engine.redrive(stack.id, stack.currentTraversal!, async () => false)).toBe(0);
    expect(t.queue.size).toBe(before);
  });
});
