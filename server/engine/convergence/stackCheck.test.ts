import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";

const P = "project";

const inner = `
heat_template_version: 2018-08-31
resources:
  inner:
    type: OS::Heat::None
  itest:
    type: OS::Heat::TestResource
`;

const mixed = `
heat_template_version: 2018-08-31
resources:
  t:
    type: OS::Heat::TestResource
    properties:
      value: x
  g:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def:
        type: OS::Heat::TestResource
  s:
    type: inner.yaml
  nest:
    type: OS::Heat::Stack
    properties:
      template: { get_file: inner.yaml }
  chain:
    type: OS::Heat::ResourceChain
    properties:
      resources: [OS::Heat::TestResource]
`;

/** Every resource of the tree as `ACTION_STATUS`, nested ones as `parent/name` (the oracle's shape). */
async function tree(t: ReturnType<typeof testEngine>, stackId: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of await t.store.listResources(stackId)) {
    if (r.replacedBy) continue;
    out[`${prefix}${r.name}`] = `${r.action}_${r.status}`;
    for (const child of await t.store.childStacks([r.id])) Object.assign(out, await tree(t, child.id, `${prefix}${r.name}/`));
  }
  return out;
}

/** The nested stack of a resource disappears behind the engine's back (what a check is there to find). */
async function loseNestedStack(t: ReturnType<typeof testEngine>, stackId: string, resource: string) {
  const [child] = await t.store.childStacks([(await t.store.findResources(stackId, resource))[0]!.id]);
  for (const r of await t.store.listResources(child!.id)) await t.store.deleteResource(r.id);
  await t.store.deleteStack(child!.id);
}

/** The mixed stack, created, its group's nested stack lost, then checked. */
async function checkWithGroupLost() {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "c", template: mixed, files: { "inner.yaml": inner } });
  await t.settle();
  const broken = (await t.store.findResources(stack.id, "g"))[0]!;
  await loseNestedStack(t, stack.id, "g");
  await t.engine.checkStack(stack.id);
  await t.settle();
  return { t, stack, broken };
}

async function createAndCheck(template: string, files: Record<string, string> = {}) {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "c", template, files });
  await t.settle();
  const created = t.notifier.all.length;
  await t.engine.checkStack(stack.id);
  await t.settle();
  const checkEvents = (filter: (reason: string | null | undefined) => boolean = () => true) =>
    t.notifier.all.slice(created).filter((n) => n.kind === "event" && filter(n.reason)).map((n) => `${n.resourceName} ${n.action}_${n.status} ${n.reason}`);
  return { t, stack, checkEvents };
}

describe("stack check", () => {
  it("checks the members of groups and nested stacks too, and says which types verify nothing", async () => {
    const { t, stack, checkEvents } = await createAndCheck(mixed, { "inner.yaml": inner });
    // Heat 19 answers CHECK_COMPLETE "Stack CHECK completed successfully. 'CHECK' not fully supported
    // (see resources)", with every resource of the tree CHECK_COMPLETE.
    expect(await t.stack(stack.id)).toMatchObject({
      action: "CHECK",
      status: "COMPLETE",
      statusReason: "Stack CHECK completed successfully. 'CHECK' not fully supported (see resources)",
    });
    expect(await tree(t, stack.id)).toEqual({
      t: "CHECK_COMPLETE",
      g: "CHECK_COMPLETE",
      "g/0": "CHECK_COMPLETE",
      "g/1": "CHECK_COMPLETE",
      s: "CHECK_COMPLETE",
      "s/inner": "CHECK_COMPLETE",
      "s/itest": "CHECK_COMPLETE",
      nest: "CHECK_COMPLETE",
      "nest/inner": "CHECK_COMPLETE",
      "nest/itest": "CHECK_COMPLETE",
      chain: "CHECK_COMPLETE",
      "chain/0": "CHECK_COMPLETE",
    });
    const events = checkEvents();
    // A type that verifies nothing gets one event saying so; a nested-stack resource is in
    // progress while its stack is checked.
    expect(events).toContain("t CHECK_COMPLETE CHECK not supported for OS::Heat::TestResource");
    expect(events).toContain("inner CHECK_COMPLETE CHECK not supported for OS::Heat::None");
    // Member 0 of the group and of the chain: one event each.
    expect(events.filter((e) => e.startsWith("0 "))).toEqual(Array(2).fill("0 CHECK_COMPLETE CHECK not supported for OS::Heat::TestResource"));
    expect(events.filter((e) => e.startsWith("g "))).toEqual(["g CHECK_IN_PROGRESS state changed", "g CHECK_COMPLETE state changed"]);
    const groupStack = (await t.store.childStacks([(await t.store.findResources(stack.id, "g"))[0]!.id]))[0]!;
    expect(groupStack).toMatchObject({ action: "CHECK", status: "COMPLETE", statusReason: "Stack CHECK completed successfully. 'CHECK' not fully supported (see resources)" });
  });

  it("after a failed create, resources never created stay INIT_COMPLETE and the failed one keeps its failure", async () => {
    const { t, stack } = await createAndCheck(`
heat_template_version: 2018-08-31
resources:
  bad:
    type: OS::Heat::TestResource
    properties:
      fail: true
  after:
    type: OS::Heat::TestResource
    depends_on: bad
  aftergroup:
    type: OS::Heat::ResourceGroup
    depends_on: bad
    properties:
      count: 1
      resource_def: { type: OS::Heat::None }
  ok:
    type: OS::Heat::None
`);
    // Heat 19 leaves `after` INIT_COMPLETE too, but fails the check on `aftergroup` ("Can not check
    // aftergroup, resource not created yet.") and turns the failed `bad` into CHECK_COMPLETE.
    expect(await tree(t, stack.id)).toEqual({ bad: "CREATE_FAILED", after: "INIT_COMPLETE", aftergroup: "INIT_COMPLETE", ok: "CHECK_COMPLETE" });
    expect(await t.stack(stack.id)).toMatchObject({ action: "CHECK", status: "COMPLETE" });
    expect((await t.store.findResources(stack.id, "bad"))[0]!.statusReason).toBe("ValueError: resources.bad: Test Resource failed bad");
  });

  it("a group whose create failed keeps its failure, and its members are left as they were", async () => {
    const { t, stack } = await createAndCheck(`
heat_template_version: 2018-08-31
resources:
  g:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def: { type: inner.yaml }
`, {
      "inner.yaml": `
heat_template_version: 2018-08-31
resources:
  ok:
    type: OS::Heat::None
  bad:
    type: OS::Heat::TestResource
    properties: { fail: true }
    depends_on: ok
`,
    });
    // Heat 19 checks such a group (CHECK_COMPLETE), hiding that its create failed.
    expect(Object.values(await tree(t, stack.id)).filter((state) => state.startsWith("CHECK"))).toEqual([]);
    expect((await tree(t, stack.id)).g).toBe("CREATE_FAILED");
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
  });

  it("a nested stack found missing fails its resource's check and the stack's, while the rest is still checked", async () => {
    const { t, stack } = await checkWithGroupLost();
    // Heat 19 answers CHECK_FAILED "Resource CHECK failed: [...]. 'CHECK' not fully supported (see
    // resources)" and still checks every other resource.
    const s = (await t.stack(stack.id))!;
    expect(s).toMatchObject({ action: "CHECK", status: "FAILED" });
    expect(s.statusReason).toBe("Resource CHECK failed: g: Error: resources.g: The nested stack is missing. 'CHECK' not fully supported (see resources)");
    expect(await tree(t, stack.id)).toMatchObject({ t: "CHECK_COMPLETE", g: "CHECK_FAILED", s: "CHECK_COMPLETE", "s/inner": "CHECK_COMPLETE", nest: "CHECK_COMPLETE" });
  });

  it("a check that failed in a nested stack fails the resource above it, up to the top", async () => {
    const outer = `
heat_template_version: 2018-08-31
resources:
  wrap:
    type: wrap.yaml
`;
    const wrap = `
heat_template_version: 2018-08-31
resources:
  g:
    type: OS::Heat::ResourceGroup
    properties:
      count: 1
      resource_def: { type: OS::Heat::None }
`;
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "c", template: outer, files: { "wrap.yaml": wrap } });
    await t.settle();
    const [wrapped] = await t.store.childStacks([(await t.store.findResources(stack.id, "wrap"))[0]!.id]);
    await loseNestedStack(t, wrapped!.id, "g");
    await t.engine.checkStack(stack.id);
    await t.settle();
    // Heat 19 nests each level's reason in the one above it, with CHECK_FAILED at every level.
    expect(await tree(t, stack.id)).toEqual({ wrap: "CHECK_FAILED", "wrap/g": "CHECK_FAILED" });
    expect((await t.stack(wrapped!.id))!).toMatchObject({ action: "CHECK", status: "FAILED" });
    expect((await t.stack(stack.id))!.statusReason).toContain("resources.g: The nested stack is missing");
  });

  it("a resource whose check failed is checked again by the next check, unlike one whose create failed", async () => {
    const { t, stack } = await checkWithGroupLost();
    const before = t.notifier.all.length;
    await t.engine.checkStack(stack.id);
    await t.settle();
    expect(t.notifier.events((n) => n.id > before && n.resourceName === "g")).toEqual(["g CHECK_IN_PROGRESS", "g CHECK_FAILED"]);
    expect(await t.stack(stack.id)).toMatchObject({ action: "CHECK", status: "FAILED" });
  });

  it("the next update replaces what a check found broken", async () => {
    const { t, stack, broken } = await checkWithGroupLost();
    // Heat 19 replaces a CHECK_FAILED resource on the next update, even with the same template.
    await t.engine.updateStack(stack.id, { template: mixed, files: { "inner.yaml": inner } });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    const g = (await t.store.findResources(stack.id, "g"))[0]!;
    expect(g.id).not.toBe(broken.id);
    expect(await tree(t, stack.id)).toMatchObject({ g: "CREATE_COMPLETE", "g/0": "CREATE_COMPLETE", "g/1": "CREATE_COMPLETE" });
  });

  it("a check is refused while another operation is in progress, which carries on", async () => {
    const t = testEngine();
    const slow = "heat_template_version: 2018-08-31\nresources:\n  a:\n    type: OS::Heat::TestResource\n    properties: { wait_secs: 5 }\n";
    const stack = await t.engine.createStack({ projectId: P, name: "c", template: slow });
    await expect(t.engine.checkStack(stack.id)).rejects.toThrow('Stack "c" is CREATE_IN_PROGRESS: check it once that has finished');
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "CREATE", status: "COMPLETE" });
  });
});
