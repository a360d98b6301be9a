/**
 * Which changes of a resource's definition make an update go through it: Heat 19 (the
 * heat-oracle) updates a resource whose definition changed in any way (properties, depends_on,
 * deletion_policy, metadata),
 * except OS::Heat::None, which takes every change as it is.
 */
import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";

const P = "project";

const template = (resources: string) => `heat_template_version: 2018-08-31\nresources:\n${resources}`;

const before = template(`  a: {type: OS::Heat::None}
  t: {type: OS::Heat::TestResource, properties: {value: v}}
  gains: {type: OS::Heat::TestResource}
  loses: {type: OS::Heat::TestResource, depends_on: a}
  value: {type: OS::Heat::Value, properties: {value: x}}
  random: {type: OS::Heat::RandomString}
  policy: {type: OS::Heat::TestResource}
  none: {type: OS::Heat::None}
`);
const after = template(`  a: {type: OS::Heat::None}
  t: {type: OS::Heat::TestResource, properties: {value: v}}
  gains: {type: OS::Heat::TestResource, depends_on: t}
  loses: {type: OS::Heat::TestResource}
  value: {type: OS::Heat::Value, properties: {value: x}, depends_on: a}
  random: {type: OS::Heat::RandomString, depends_on: a}
  policy: {type: OS::Heat::TestResource, deletion_policy: Retain}
  none: {type: OS::Heat::None, depends_on: t, metadata: {m: 1}}
`);

async function updated() {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "s", template: before });
  await t.settle();
  const ids = new Map((await t.store.listResources(stack.id)).map((r) => [r.name, r.physicalId]));
  const random = (await t.store.findResources(stack.id, "random"))[0]!.attributes.value;
  const preview = await t.engine.previewUpdate(stack.id, { template: after });
  const seen = t.notifier.all.length;
  await t.engine.updateStack(stack.id, { template: after });
  await t.settle();
  return { t, stack, ids, random, preview, events: t.notifier.events((n) => n.id > seen) };
}

describe("a change of the definition beyond the properties", () => {
  it("a change of depends_on alone updates the resource in place, whatever its type (but None)", async () => {
    const { t, stack, ids, random, events } = await updated();
    // Heat 19 answers: gains, loses, value and random UPDATE_COMPLETE with their physical ids.
    const resources = await t.resources(stack.id);
    for (const name of ["gains", "loses", "value", "random"]) {
      expect(resources[name]).toBe("UPDATE_COMPLETE");
      expect(events).toEqual(expect.arrayContaining([`${name} UPDATE_IN_PROGRESS`, `${name} UPDATE_COMPLETE`]));
      expect((await t.store.findResources(stack.id, name))[0]!.physicalId).toBe(ids.get(name));
    }
    expect((await t.store.findResources(stack.id, "random"))[0]!.attributes.value).toBe(random);
  });

  it("a change of deletion_policy alone updates it too", async () => {
    const { t, stack, ids } = await updated();
    // Heat 19 answers: policy UPDATE_COMPLETE, same physical id.
    expect((await t.store.findResources(stack.id, "policy"))[0]).toMatchObject({ action: "UPDATE", status: "COMPLETE", physicalId: ids.get("policy") });
  });

  it("what did not change is left alone, and OS::Heat::None takes new metadata and depends_on without an update", async () => {
    const { t, stack, events } = await updated();
    // Heat 19 answers: a, t and none stay CREATE_COMPLETE, with no events.
    expect(await t.resources(stack.id)).toMatchObject({ a: "CREATE_COMPLETE", t: "CREATE_COMPLETE", none: "CREATE_COMPLETE" });
    expect(events.filter((e) => /^(a|t|none) /.test(e))).toEqual([]);
    // It took them: the same template again changes nothing at all.
    const seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: after });
    await t.settle();
    expect(t.notifier.events((n) => n.id > seen)).toEqual(["s UPDATE_IN_PROGRESS", "s UPDATE_COMPLETE"]);
  });

  it("a change of metadata alone updates the resource in place, and the same metadata in another key order does not (Heat 19)", async () => {
    const meta = (m: string) => template(`  v: {type: OS::Heat::Value, properties: {value: 1}, metadata: ${m}}\n  n: {type: OS::Heat::None, metadata: ${m}}\n`);
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "m", template: meta("{a: 1, b: 2}") });
    await t.settle();
    const reordered = await t.engine.previewUpdate(stack.id, { template: meta("{b: 2, a: 1}") });
    expect(reordered.updated).toEqual([]);
    const preview = await t.engine.previewUpdate(stack.id, { template: meta("{a: 2, b: 2}") });
    expect(preview.updated).toEqual([{ resource_name: "v", resource_type: "OS::Heat::Value", reason: "metadata" }]);
    const seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: meta("{a: 2, b: 2}") });
    await t.settle();
    // Heat 19 answers: v UPDATE_IN_PROGRESS, UPDATE_COMPLETE; n (OS::Heat::None) stays CREATE_COMPLETE.
    expect(t.notifier.events((n) => n.id > seen)).toEqual(["m UPDATE_IN_PROGRESS", "v UPDATE_IN_PROGRESS", "v UPDATE_COMPLETE", "m UPDATE_COMPLETE"]);
    expect(await t.resources(stack.id)).toMatchObject({ v: "UPDATE_COMPLETE", n: "CREATE_COMPLETE" });
  });

  it("the preview says the same, naming what changed", async () => {
    const { preview } = await updated();
    const reasons = Object.fromEntries(preview.updated.map((e) => [e.resource_name, e.reason]));
    expect(reasons).toEqual({ gains: "depends_on", loses: "depends_on", value: "depends_on", random: "depends_on", policy: "deletion_policy" });
    expect(preview.unchanged.map((e) => e.resource_name).sort()).toEqual(["a", "none", "t"]);
    expect(preview.replaced).toEqual([]);
  });
});
