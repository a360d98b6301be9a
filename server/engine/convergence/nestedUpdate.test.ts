/**
 * Updating a resource backed by a nested stack (ResourceGroup, provider template, OS::Heat::Stack):
 * every update converges the nested stack that is there, even after a failure, so what is healthy
 * inside it stays and what failed is retried. Each expectation is what Heat 19 answers for the
 * same templates (../shared/heat-oracle).
 */
import { describe, expect, it } from "vitest";
import type { ResourceRecord } from "../ports";
import { dieAtWrite } from "../testing/dieAtWrite";
import { testEngine } from "../testing/harness";
import { shownAttributes } from "../resources/storedAttributes";

const P = "project";

/** A member that fails when its index is the `bad` one. */
const member = `
heat_template_version: 2016-10-14
parameters:
  index: { type: string }
  bad: { type: string }
conditions:
  is_bad: { equals: [{ get_param: index }, { get_param: bad }] }
resources:
  r:
    type: OS::Heat::TestResource
    properties:
      value: { get_param: index }
      fail: { if: [is_bad, true, false] }
outputs:
  out: { value: { get_attr: [r, output] } }
`;
const files = { "member.yaml": member };

/** A stack of one ResourceGroup, `group`, of `count` members made from `resourceDef` (a YAML flow map). */
const groupOf = (count: number, resourceDef: string) => `
heat_template_version: 2016-10-14
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${count}
      resource_def: ${resourceDef}
`;

/** Three members of member.yaml, of which the one numbered `bad` fails. */
const group = (bad: string) => groupOf(3, `{ type: member.yaml, properties: { index: "%index%", bad: "${bad}" } }`);

/** Two TestResources with these properties (a YAML flow map). */
const testResourceGroup = (properties: string) => groupOf(2, `{ type: OS::Heat::TestResource, properties: ${properties} }`);

/**
 * Two TestResources whose `fail` is `flag`'s value: known only once `flag` is created, so a
 * value that is no boolean refuses the members' template then, before any nested stack is made
 * (the stack's create could not refuse it).
 */
const lateFlagGroup = (flag: string) => `
heat_template_version: 2016-10-14
resources:
  flag: { type: OS::Heat::Value, properties: { value: "${flag}" } }
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def: { type: OS::Heat::TestResource, properties: { fail: { get_attr: [flag, value] } } }
`;

const provider = (bad: string) => `
heat_template_version: 2016-10-14
resources:
  ok:
    type: OS::Heat::TestResource
    properties: { value: fine }
  prov:
    type: member.yaml
    properties: { index: "1", bad: "${bad}" }
  after:
    type: OS::Heat::TestResource
    properties: { value: { get_attr: [prov, out] } }
outputs:
  out: { value: { get_attr: [prov, out] } }
`;

function setup() {
  const t = testEngine();
  const row = async (stackId: string, name: string): Promise<ResourceRecord> =>
    (await t.store.findResources(stackId, name)).find((r) => !r.replacedBy)!;
  const child = async (stackId: string, name: string) => (await t.store.childStacks([(await row(stackId, name)).id]))[0]!;
  /** name → physical id of every current row of a stack. */
  const ids = async (stackId: string) =>
    Object.fromEntries((await t.store.listResources(stackId)).filter((r) => !r.replacedBy).map((r) => [r.name, r.physicalId]));
  const eventsOf = (stackId: string, from = 0) => t.notifier.all.slice(from).filter((n) => n.kind === "event" && n.stackId === stackId).map((n) => `${n.resourceName} ${n.action}_${n.status}`);
  /** The stack `g` of `group(bad)`, settled: its id, the group's nested stack and the members' physical ids. */
  const groupStack = async (bad: string, disableRollback = true) => {
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group(bad), files, disableRollback });
    await t.settle();
    const nested = await child(stack.id, "group");
    return { stack, nested, members: await ids(nested.id) };
  };
  return { ...t, row, child, ids, eventsOf, groupStack };
}

describe("retrying a failed ResourceGroup", () => {
  it("a failed group keeps its nested stack's id as its physical id", async () => {
    const t = setup();
    const { stack, nested } = await t.groupStack("1");
    // Heat 19 answers: group CREATE_FAILED with id = its nested stack's id; member 1 CREATE_FAILED.
    expect(await t.resources(stack.id)).toEqual({ group: "CREATE_FAILED" });
    expect((await t.row(stack.id, "group")).physicalId).toBe(nested.id);
    expect(await t.resources(nested.id)).toEqual({ "0": "CREATE_COMPLETE", "1": "CREATE_FAILED", "2": "CREATE_COMPLETE" });
  });

  it("an update that fixes a member's failure updates the group in place, and healthy members keep their ids", async () => {
    const t = setup();
    const { stack, nested, members } = await t.groupStack("1");
    const failedInner = await t.ids((await t.child(nested.id, "1")).id);
    const mark = t.notifier.all.length;

    await t.engine.updateStack(stack.id, { template: group("none"), files });
    await t.settle();
    // Heat 19 answers: group UPDATE_IN_PROGRESS then UPDATE_COMPLETE with the same id; every
    // member keeps its id (member 1 too: it is a nested stack updated in place), and only the
    // failed TestResource inside member 1 is replaced.
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await t.resources(stack.id)).toEqual({ group: "UPDATE_COMPLETE" });
    expect((await t.row(stack.id, "group")).physicalId).toBe(nested.id);
    expect(t.eventsOf(stack.id, mark)).toEqual(["g UPDATE_IN_PROGRESS", "group UPDATE_IN_PROGRESS", "group UPDATE_COMPLETE", "g UPDATE_COMPLETE"]);
    expect(await t.ids(nested.id)).toEqual(members);
    const inner = await t.ids((await t.child(nested.id, "1")).id);
    expect(inner.r).not.toBe(failedInner.r);
    expect(await t.resources(nested.id)).toEqual({ "0": "UPDATE_COMPLETE", "1": "UPDATE_COMPLETE", "2": "UPDATE_COMPLETE" });
  });

  it("an update with the very same template retries the failed member in place and fails again", async () => {
    const t = setup();
    const { stack, nested, members } = await t.groupStack("1");
    const mark = t.notifier.all.length;

    await t.engine.updateStack(stack.id, { template: group("1"), files });
    await t.settle();
    // Heat 19 answers: group UPDATE_IN_PROGRESS then UPDATE_FAILED, same id, same members.
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "FAILED" });
    expect(t.eventsOf(stack.id, mark)).toEqual(["g UPDATE_IN_PROGRESS", "group UPDATE_IN_PROGRESS", "group UPDATE_FAILED", "g UPDATE_FAILED"]);
    expect((await t.row(stack.id, "group")).physicalId).toBe(nested.id);
    expect(await t.ids(nested.id)).toEqual(members);
    expect((await t.resources(nested.id))["1"]).toBe("UPDATE_FAILED");
  });

  it("a group whose in-place update failed is retried in place too", async () => {
    const t = setup();
    const { stack, nested, members } = await t.groupStack("none");
    await t.engine.updateStack(stack.id, { template: group("1"), files });
    await t.settle();
    // Heat 19 answers: group UPDATE_FAILED, member 1 UPDATE_FAILED, members 0 and 2 UPDATE_COMPLETE, all ids kept.
    expect(await t.resources(stack.id)).toEqual({ group: "UPDATE_FAILED" });
    expect(await t.resources(nested.id)).toEqual({ "0": "UPDATE_COMPLETE", "1": "UPDATE_FAILED", "2": "UPDATE_COMPLETE" });

    await t.engine.updateStack(stack.id, { template: group("none"), files });
    await t.settle();
    // Heat 19 answers: group UPDATE_COMPLETE with the same id; every member keeps its id.
    expect(await t.resources(stack.id)).toEqual({ group: "UPDATE_COMPLETE" });
    expect((await t.row(stack.id, "group")).physicalId).toBe(nested.id);
    expect(await t.ids(nested.id)).toEqual(members);
  });

  it("with rollback enabled, a failed update rolls the group back in place", async () => {
    const t = setup();
    const { stack, nested, members } = await t.groupStack("none", false);
    await t.engine.updateStack(stack.id, { template: group("1"), files });
    await t.settle();
    // Heat 19 answers: ROLLBACK_COMPLETE; the group is updated back in place (same id), every member keeps its id.
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect((await t.row(stack.id, "group")).physicalId).toBe(nested.id);
    expect((await t.row(stack.id, "group")).status).toBe("COMPLETE");
    expect(await t.ids(nested.id)).toEqual(members);
    expect(t.store.stacks.size).toBe(1 + 1 + 3);
  });

  it("with rollback enabled, a group that failed on create is deleted, nested stacks and all", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group("1"), files, disableRollback: false });
    await t.settle();
    // Heat 19 answers: ROLLBACK_COMPLETE, the group DELETE_COMPLETE. (Kiln used to time out here:
    // the rollback's delete of the group's nested stack was started twice at once.)
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect(t.notifier.events()).toContain("group DELETE_COMPLETE");
    expect(t.store.stacks.size).toBe(1);
    expect(t.store.resources.size).toBe(0);

    // Heat 19 fails this update (EntityNotFound: the deleted nested stack) and rolls back again;
    // Kiln creates the group afresh.
    await t.engine.updateStack(stack.id, { template: group("none"), files });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await t.resources(stack.id)).toEqual({ group: "CREATE_COMPLETE" });
  });

  it("a cancelled group update rolls the group back in place, to the members' previous values", async () => {
    const t = setup();
    const template = (value: string) => testResourceGroup(`{ value: ${value}, action_wait_secs: { update: 4 } }`);
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: template("one") });
    await t.settle();
    const nested = await t.child(stack.id, "group");
    const members = await t.ids(nested.id);
    await t.engine.updateStack(stack.id, { template: template("two") });
    await t.settle(() => t.notifier.events().includes("0 UPDATE_IN_PROGRESS"));
    await t.engine.cancelUpdate(stack.id);
    await t.settle();
    // Heat 19 answers: group UPDATE_FAILED "Stack UPDATE cancelled", then rolled back in place:
    // ROLLBACK_COMPLETE, same group and member ids, the members' values "one" again.
    expect(await t.stack(stack.id)).toMatchObject({ action: "ROLLBACK", status: "COMPLETE" });
    expect(await t.row(stack.id, "group")).toMatchObject({ status: "COMPLETE", physicalId: nested.id });
    expect(await t.ids(nested.id)).toEqual(members);
    expect(shownAttributes((await t.row(stack.id, "group")).attributes).output).toEqual(["one", "one"]);
  });

  it("a group that failed before its nested stack existed is replaced", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: lateFlagGroup("nope") });
    await t.settle();
    const failed = await t.row(stack.id, "group");
    expect(failed).toMatchObject({ action: "CREATE", status: "FAILED", physicalId: null });
    const mark = t.notifier.all.length;

    await t.engine.updateStack(stack.id, { template: lateFlagGroup("false") });
    await t.settle();
    // Heat 19 answers: a new group is created and the failed one (which had no id) deleted.
    expect(await t.resources(stack.id)).toEqual({ flag: "UPDATE_COMPLETE", group: "CREATE_COMPLETE" });
    expect((await t.row(stack.id, "group")).id).not.toBe(failed.id);
    expect(t.eventsOf(stack.id, mark)).toEqual(["g UPDATE_IN_PROGRESS", "flag UPDATE_IN_PROGRESS", "flag UPDATE_COMPLETE", "group CREATE_IN_PROGRESS", "group CREATE_COMPLETE", "group DELETE_IN_PROGRESS", "group DELETE_COMPLETE", "g UPDATE_COMPLETE"]);
  });
});

describe("retrying a failed group survives a worker dying", () => {
  // The retry below makes 43 store writes, across the stack, the group's and the members' stacks
  // (a crash point past the last one fails the test, so the count is kept honest).
  it.each(Array.from({ length: 43 }, (_, i) => i))("at store write %i of the retry, redelivery keeps the nested stacks and their members", async (crashAt) => {
    const t = setup();
    const { stack, nested, members } = await t.groupStack("1");
    let writes = 0;
    let armed = false;
    const crashed = dieAtWrite(t, () => armed && writes++ === crashAt);
    await t.engine.updateStack(stack.id, { template: group("none"), files });
    armed = true;
    await t.settle();
    expect(crashed()).toBe(true);
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await t.row(stack.id, "group")).toMatchObject({ action: "UPDATE", status: "COMPLETE", physicalId: nested.id });
    expect(await t.ids(nested.id)).toEqual(members);
    expect(t.store.stacks.size).toBe(1 + 1 + 3);
    expect([...t.store.resources.values()].every((r) => r.lockTraversal === null && !r.replacedBy)).toBe(true);
  });
});

describe("retrying a failed provider template or OS::Heat::Stack", () => {
  it("a failed provider template resource is updated in place, and its healthy siblings are left alone", async () => {
    const t = setup();
    const stack = await t.engine.createStack({ projectId: P, name: "p", template: provider("1"), files });
    await t.settle();
    // Heat 19 answers: prov CREATE_FAILED with its nested stack's id; ok CREATE_COMPLETE; after never started.
    expect(await t.resources(stack.id)).toEqual({ ok: "CREATE_COMPLETE", prov: "CREATE_FAILED", after: "INIT_COMPLETE" });
    const nested = await t.child(stack.id, "prov");
    expect((await t.row(stack.id, "prov")).physicalId).toBe(nested.id);
    const ok = (await t.row(stack.id, "ok")).physicalId;

    await t.engine.updateStack(stack.id, { template: provider("1"), files });
    await t.settle();
    // Heat 19 answers: the same template retries it in place: UPDATE_FAILED, same id.
    expect(await t.resources(stack.id)).toMatchObject({ prov: "UPDATE_FAILED" });
    expect((await t.row(stack.id, "prov")).physicalId).toBe(nested.id);
    const mark = t.notifier.all.length;

    await t.engine.updateStack(stack.id, { template: provider("none"), files });
    await t.settle();
    // Heat 19 answers: prov UPDATE_COMPLETE with the same id, ok untouched, after created.
    expect(await t.resources(stack.id)).toEqual({ ok: "CREATE_COMPLETE", prov: "UPDATE_COMPLETE", after: "CREATE_COMPLETE" });
    expect((await t.row(stack.id, "prov")).physicalId).toBe(nested.id);
    expect((await t.row(stack.id, "ok")).physicalId).toBe(ok);
    expect(t.eventsOf(stack.id, mark)).toEqual([
      "p UPDATE_IN_PROGRESS",
      "prov UPDATE_IN_PROGRESS",
      "prov UPDATE_COMPLETE",
      "after CREATE_IN_PROGRESS",
      "after CREATE_COMPLETE",
      "p UPDATE_COMPLETE",
    ]);
  });

  it("a failed OS::Heat::Stack is updated in place, keeping its healthy resources", async () => {
    const t = setup();
    // Heat's OS::Heat::Stack needs Keystone, so the oracle cannot run it; it is the same kind of
    // nested-stack resource as a provider template, and Heat treats both alike.
    const template = (fail: boolean) => `
heat_template_version: 2016-10-14
resources:
  nest:
    type: OS::Heat::Stack
    properties:
      parameters: { fail: ${fail} }
      template: |
        heat_template_version: 2016-10-14
        parameters:
          fail: { type: boolean }
        resources:
          good: { type: OS::Heat::TestResource, properties: { value: good } }
          bad: { type: OS::Heat::TestResource, properties: { value: bad, fail: { get_param: fail } } }
`;
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template(true) });
    await t.settle();
    const nested = await t.child(stack.id, "nest");
    expect((await t.row(stack.id, "nest"))).toMatchObject({ action: "CREATE", status: "FAILED", physicalId: nested.id });
    const good = (await t.ids(nested.id)).good;

    await t.engine.updateStack(stack.id, { template: template(false) });
    await t.settle();
    expect(await t.resources(stack.id)).toEqual({ nest: "UPDATE_COMPLETE" });
    expect((await t.row(stack.id, "nest")).physicalId).toBe(nested.id);
    expect((await t.ids(nested.id)).good).toBe(good);
    expect(await t.resources(nested.id)).toEqual({ good: "CREATE_COMPLETE", bad: "CREATE_COMPLETE" });
  });
});

describe("a nested stack is updated with every update of its parent", () => {
  it("an unchanged group is updated in place, and its unchanged members are left alone", async () => {
    const t = setup();
    const template = testResourceGroup("{ value: one }");
    const stack = await t.engine.createStack({ projectId: P, name: "g", template });
    await t.settle();
    const nested = await t.child(stack.id, "group");
    const members = await t.ids(nested.id);
    const mark = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template });
    await t.settle();
    // Heat 19 answers: group UPDATE_IN_PROGRESS, its nested stack UPDATE_IN_PROGRESS and
    // UPDATE_COMPLETE, group UPDATE_COMPLETE (same id); the members have no events and keep their ids.
    expect(t.eventsOf(stack.id, mark)).toEqual(["g UPDATE_IN_PROGRESS", "group UPDATE_IN_PROGRESS", "group UPDATE_COMPLETE", "g UPDATE_COMPLETE"]);
    expect(t.eventsOf(nested.id, mark)).toEqual([`${nested.name} UPDATE_IN_PROGRESS`, `${nested.name} UPDATE_COMPLETE`]);
    expect(await t.ids(nested.id)).toEqual(members);
    expect((await t.row(stack.id, "group")).physicalId).toBe(nested.id);
  });

  it("a provider template whose file changed is updated though its properties did not", async () => {
    const t = setup();
    const inner = (value: string) => `
heat_template_version: 2016-10-14
resources:
  r: { type: OS::Heat::TestResource, properties: { value: ${value} } }
outputs:
  out: { value: { get_attr: [r, output] } }
`;
    const template = `
heat_template_version: 2016-10-14
resources:
  prov: { type: m.yaml }
outputs:
  out: { value: { get_attr: [prov, out] } }
`;
    const stack = await t.engine.createStack({ projectId: P, name: "p", template, files: { "m.yaml": inner("one") } });
    await t.settle();
    const nested = await t.child(stack.id, "prov");
    const r = (await t.ids(nested.id)).r;
    await t.engine.updateStack(stack.id, { template, files: { "m.yaml": inner("two") } });
    await t.settle();
    // Heat 19 answers: prov UPDATE_COMPLETE (same id), r UPDATE_COMPLETE (same id), output "two".
    expect(await t.resources(stack.id)).toEqual({ prov: "UPDATE_COMPLETE" });
    expect(await t.resources(nested.id)).toEqual({ r: "UPDATE_COMPLETE" });
    expect((await t.ids(nested.id)).r).toBe(r);
    expect((await t.row(stack.id, "prov")).attributes.out).toBe("two");
  });
});

describe("the update preview of a nested stack", () => {
  it("says an unchanged group is updated, as the update will", async () => {
    const t = setup();
    const { stack } = await t.groupStack("none");
    // Heat 19's preview answers: updated.
    expect(await t.engine.previewUpdate(stack.id, { template: group("none"), files })).toMatchObject({
      updated: [{ resource_name: "group", reason: "its nested stack is updated with the stack" }],
      unchanged: [],
    });
  });

  it("says a failed group or provider resource with a nested stack is updated, not replaced", async () => {
    const t = setup();
    const g = await t.engine.createStack({ projectId: P, name: "g", template: group("1"), files });
    const p = await t.engine.createStack({ projectId: P, name: "p", template: provider("1"), files });
    await t.settle();
    // Heat 19's preview answers: group updated (same template or fixed), prov updated, ok unchanged.
    expect(await t.engine.previewUpdate(g.id, { template: group("1"), files })).toMatchObject({
      updated: [{ resource_name: "group", reason: "retried after CREATE_FAILED" }],
      replaced: [],
    });
    expect(await t.engine.previewUpdate(g.id, { template: group("none"), files })).toMatchObject({
      updated: [{ resource_name: "group", reason: "retried after CREATE_FAILED, resource_def" }],
    });
    const preview = await t.engine.previewUpdate(p.id, { template: provider("none"), files });
    expect(preview).toMatchObject({ updated: [{ resource_name: "prov", reason: "retried after CREATE_FAILED, bad" }], replaced: [] });
    expect(preview.unchanged.map((e) => e.resource_name)).toEqual(["ok"]);
  });

  it("says a group that failed before its nested stack existed is replaced", async () => {
    const t = setup();
    const template = lateFlagGroup("nope");
    const stack = await t.engine.createStack({ projectId: P, name: "g", template });
    await t.settle();
    // Heat 19's preview answers: replaced.
    expect(await t.engine.previewUpdate(stack.id, { template })).toMatchObject({ replaced: [{ resource_name: "group", reason: "CREATE_FAILED" }], updated: [] });
  });
});
