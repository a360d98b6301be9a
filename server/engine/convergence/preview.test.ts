/**
 * The preview's "may change": a resource whose own definition is unchanged, but whose inputs
 * come from a resource the update replaces or updates, may be updated or replaced in turn
 * once the new values are known. Heat's preview calls such a resource "unchanged"; the update
 * then changes it, so Kiln says so beforehand.
 */
import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";

const P = "project";

const template = (a: string) => `heat_template_version: 2018-08-31
resources:
  a: {type: OS::Heat::TestResource, properties: ${a}}
  reader: {type: OS::Heat::TestResource, properties: {value: {get_attr: [a, output]}}}
  reader_of_reader: {type: OS::Heat::Value, properties: {value: {get_resource: reader}}}
  waits: {type: OS::Heat::TestResource, depends_on: a, properties: {value: fixed}}
  alone: {type: OS::Heat::TestResource, properties: {value: alone}}
`;

async function stackOf(first: string) {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "s", template: first });
  await t.settle();
  const kinds = async (next: string) => {
    const p = await t.engine.previewUpdate(stack.id, { template: next });
    return Object.fromEntries(Object.entries(p).flatMap(([kind, list]) => list.map((e: { resource_name: string }) => [e.resource_name, kind])));
  };
  return { t, stack, kinds };
}

describe("update preview: may change", () => {
  it("marks what reads a replaced resource, and what reads that, but not what only waits for it", async () => {
    const s = await stackOf(template("{value: one}"));
    expect(await s.kinds(template("{value: two, update_replace: true}"))).toEqual({
      a: "replaced",
      reader: "may_change",
      reader_of_reader: "may_change",
      waits: "unchanged",
      alone: "unchanged",
    });
  });

  it("marks what reads a resource updated in place, and says which input it is", async () => {
    const s = await stackOf(template("{value: one}"));
    const p = await s.t.engine.previewUpdate(s.stack.id, { template: template("{value: two}") });
    expect(p.updated.map((e) => e.resource_name)).toEqual(["a"]);
    expect(p.may_change).toEqual([
      { resource_name: "reader", resource_type: "OS::Heat::TestResource", reason: "reads a, which is updated" },
      { resource_name: "reader_of_reader", resource_type: "OS::Heat::Value", reason: "reads reader, which may change" },
    ]);
    // And the update does change it: reader goes through UPDATE with a's new output.
    const seen = s.t.notifier.all.length;
    await s.t.engine.updateStack(s.stack.id, { template: template("{value: two}") });
    await s.t.settle();
    const events = s.t.notifier.all.slice(seen).filter((n) => n.kind === "event").map((n) => `${n.resourceName} ${n.action}_${n.status}`);
    expect(events).toContain("reader UPDATE_COMPLETE");
    expect((await s.t.store.findResources(s.stack.id, "reader"))[0]!.properties.value).toBe("two");
  });

  it("marks nothing when nothing changes", async () => {
    const s = await stackOf(template("{value: one}"));
    const kinds = await s.kinds(template("{value: one}"));
    expect(Object.values(kinds).every((k) => k === "unchanged")).toBe(true);
  });
});
