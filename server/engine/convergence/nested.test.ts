import { describe, expect, it } from "vitest";
import { DefinitionBook, definitionOf, testEngine } from "../testing/harness";
import { readAttribute } from "../resources/storedAttributes";

const P = "project";

function setup() {
  const book = new DefinitionBook();
  const t = testEngine({ loadDefinition: book.load });
  return { ...t, book };
}

describe("nested stacks", () => {
  it("an OS::Heat::Stack runs as a child stack, and its outputs become the parent's attributes", async () => {
    const t = setup();
    t.book.add(
      "child",
      definitionOf({ inner: { type: "OS::Heat::TestResource", properties: { value: "deep" } } }, (get) => ({
        answer: { value: get("inner")?.attributes.output },
      })),
    );
    const parent = definitionOf({
      nest: { type: "OS::Heat::Stack", properties: { template: "child" } },
      after: { type: "OS::Heat::TestResource", requires: ["nest"], properties: (get) => ({ value: (get("nest")?.attributes.outputs as Record<string, string>).answer }) },
    });
    const stack = await t.engine.createStack({ projectId: P, name: "top", template: t.book.add("parent", parent) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect((await t.store.findResources(stack.id, "after"))[0]!.attributes.output).toBe("deep");
    const [child] = await t.store.childStacks([(await t.store.findResources(stack.id, "nest"))[0]!.id]);
    expect(child).toMatchObject({ rootStackId: stack.id, stackPath: "nest", status: "COMPLETE" });
    // The child's completion woke the parent: one resume to catch an early finish, one from the child.
    expect(t.queue.log.filter((j) => j.kind === "resume").length).toBeLessThanOrEqual(2);
  });

  it("a failure inside the child fails the parent resource with the child's reason", async () => {
    const t = setup();
    t.book.add("child", definitionOf({ inner: { type: "OS::Heat::TestResource", properties: { fail: true } } }));
    const stack = await t.engine.createStack({
      projectId: P,
      name: "top",
      template: t.book.add("parent", definitionOf({ nest: { type: "OS::Heat::Stack", properties: { template: "child" } } })),
    });
    await t.settle();
    const s = await t.stack(stack.id);
    expect(s?.status).toBe("FAILED");
    expect(s?.statusReason).toContain("Test Resource failed inner");
  });

  it("deleting the parent deletes the child stack and its resources", async () => {
    const t = setup();
    t.book.add("child", definitionOf({ inner: { type: "OS::Heat::TestResource" } }));
    const stack = await t.engine.createStack({
      projectId: P,
      name: "top",
      template: t.book.add("parent", definitionOf({ nest: { type: "OS::Heat::Stack", properties: { template: "child" } } })),
    });
    await t.settle();
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(t.store.stacks.size).toBe(0);
    expect(t.store.resources.size).toBe(0);
    expect(t.notifier.events()).toContain("inner DELETE_COMPLETE");
  });
});

describe("OS::Heat::ResourceGroup", () => {
  const group = (count: number, removal: string[] = []) =>
    definitionOf({
      group: {
        type: "OS::Heat::ResourceGroup",
        properties: {
          count,
          resource_def: { type: "OS::Heat::TestResource", properties: { value: "member-%index%" } },
          removal_policies: removal.length ? [{ resource_list: removal }] : [],
        },
      },
      sum: { type: "OS::Heat::Value", requires: ["group"], properties: (get) => ({ value: readAttribute(get("group")!.attributes, "group", "output", []) }) },
    });

  it("creates count members with %index% replaced, exposing their attributes as lists", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: t.book.add("g3", group(3)) });
    await t.settle();
    expect((await t.stack(stack.id))?.statusReason).toBe("Stack CREATE completed successfully");
    expect((await t.store.findResources(stack.id, "sum"))[0]!.attributes.value).toEqual(["member-0", "member-1", "member-2"]);
    const g = (await t.store.findResources(stack.id, "group"))[0]!;
    expect(readAttribute(g.attributes, "group", "resource.1.output", [])).toBe("member-1");
    expect(readAttribute(g.attributes, "group", "refs", [])).toHaveLength(3);
  });

  it("scales down by removing the members named in removal_policies first", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: t.book.add("g3", group(3)) });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: t.book.add("g2", group(2, ["0"])) });
    await t.settle();
    expect((await t.store.findResources(stack.id, "sum"))[0]!.attributes.value).toEqual(["member-1", "member-2"]);
    await t.engine.updateStack(stack.id, { template: t.book.add("g3b", group(3, ["0"])) });
    await t.settle();
    // A removed name is never reused.
    expect((await t.store.findResources(stack.id, "sum"))[0]!.attributes.value).toEqual(["member-1", "member-2", "member-3"]);
  });
});

describe("wait conditions", () => {
  const def = definitionOf({
    handle: { type: "OS::Heat::WaitConditionHandle" },
    wait: { type: "OS::Heat::WaitCondition", requires: ["handle"], properties: (get) => ({ handle: get("handle")?.reference, timeout: 600, count: 2 }) },
    after: { type: "OS::Heat::None", requires: ["wait"] },
  });

  it("completes when the handle got count signals, woken by the signals themselves", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "w", template: t.book.add("w", def) });
    await t.settle(() => t.notifier.events().includes("wait CREATE_IN_PROGRESS") && t.queue.size <= 2);
    const handle = (await t.store.findResources(stack.id, "handle"))[0]!;
    expect(handle.attributes.curl_cli).toMatch(/^curl -i -X POST -H 'X-Auth-Token: [0-9a-f]{48}' .*http:\/\/kiln\.test\/api\/signal\//);
    await expect(t.engine.signal(handle.id, "wrong", {})).rejects.toThrow(/token/);
    await t.engine.signal(handle.id, String(handle.data.token), { data: "one" });
    await t.engine.signal(handle.id, String(handle.data.token), { status: "SUCCESS", data: "two", id: "b" });
    const before = t.clock.now();
    await t.settle(() => t.notifier.events().includes("w CREATE_COMPLETE"));
    expect(t.clock.now()).toBe(before); // no timer was needed
    expect(JSON.parse(String((await t.store.findResources(stack.id, "wait"))[0]!.attributes.data))).toEqual({ "1": "one", b: "two" });
  });

  it("fails with a timeout when the signals do not come", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "w", template: t.book.add("w", def) });
    await t.settle();
    const s = await t.stack(stack.id);
    expect(s?.status).toBe("FAILED");
    expect(s?.statusReason).toBe("Resource CREATE failed: WaitConditionTimeout: resources.wait: 0 of 2 received");
  });

  it("a FAILURE signal fails the wait condition with its reason", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "w", template: t.book.add("w", def) });
    await t.settle(() => t.notifier.events().includes("wait CREATE_IN_PROGRESS") && t.queue.size <= 2);
    const handle = (await t.store.findResources(stack.id, "handle"))[0]!;
    await t.engine.signal(handle.id, String(handle.data.token), { status: "FAILURE", reason: "disk full" });
    await t.settle();
    expect((await t.stack(stack.id))?.statusReason).toContain("WaitConditionFailure: resources.wait: disk full");
  });
});
