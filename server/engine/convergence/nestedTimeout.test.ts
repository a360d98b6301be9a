/**
 * A nested stack's timeout: Heat gives each nested stack its parent's timeout_mins on every
 * create and update (an OS::Heat::Stack its `timeout` property), so a parent given longer than
 * the engine's default does not see its nested stacks time out at that default.
 */
import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";

const P = "project";

/** A provider template whose one resource takes `createMins` minutes to create and `updateMins` to update. */
const slow = (createMins: number, updateMins = 0) => `
heat_template_version: 2016-10-14
parameters:
  value: { type: string }
resources:
  r:
    type: OS::Heat::TestResource
    properties:
      value: { get_param: value }
      action_wait_secs: { create: ${createMins * 60}, update: ${updateMins * 60} }
`;

const parent = (value: string) => `
heat_template_version: 2016-10-14
resources:
  nest:
    type: slow.yaml
    properties: { value: ${value} }
`;

/** An OS::Heat::Stack whose resource takes `mins` minutes to create, given `timeout` (a YAML value, or none). */
const inlineStack = (mins: number, timeout?: string) => `
heat_template_version: 2016-10-14
resources:
  nest:
    type: OS::Heat::Stack
    properties:
      ${timeout === undefined ? "" : `timeout: ${timeout}`}
      template: |
        heat_template_version: 2016-10-14
        resources:
          r:
            type: OS::Heat::TestResource
            properties: { action_wait_secs: { create: ${mins * 60} } }
`;

async function nestedOf(t: ReturnType<typeof testEngine>, stackId: string) {
  const [row] = await t.store.findResources(stackId, "nest");
  const [child] = await t.store.childStacks([row!.id]);
  return child!;
}

describe("a nested stack's timeout", () => {
  it("is its parent's timeout_mins: a nested create of 90 minutes finishes under a parent given 120", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "p", template: parent("a"), files: { "slow.yaml": slow(90) }, timeoutMins: 120 });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "CREATE", status: "COMPLETE" });
    expect(await nestedOf(t, stack.id)).toMatchObject({ status: "COMPLETE", timeoutMins: 120 });
  });

  it("is the engine's default when the parent sets none, and the nested stack times out at it", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "p", template: parent("a"), files: { "slow.yaml": slow(90) } });
    await t.settle();
    const nested = await nestedOf(t, stack.id);
    expect(nested).toMatchObject({ status: "FAILED", timeoutMins: null });
    expect(nested.statusReason).toMatch(/did not finish within 60 minutes/);
    expect((await t.stack(stack.id))?.status).toBe("FAILED");
  });

  it("follows the parent's on each update: the nested stack's update is held to the new one", async () => {
    const t = testEngine();
    const files = { "slow.yaml": slow(1, 45) };
    const stack = await t.engine.createStack({ projectId: P, name: "p", template: parent("a"), files, timeoutMins: 120 });
    await t.settle();
    expect(await nestedOf(t, stack.id)).toMatchObject({ status: "COMPLETE", timeoutMins: 120 });

    await t.engine.updateStack(stack.id, { template: parent("b"), files, timeoutMins: 90 });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await nestedOf(t, stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE", timeoutMins: 90 });

    // 45 minutes of update under 30: the nested stack times out at its own 30, not at 60.
    await t.engine.updateStack(stack.id, { template: parent("c"), files, timeoutMins: 30 });
    await t.settle();
    const nested = await nestedOf(t, stack.id);
    expect(nested).toMatchObject({ action: "UPDATE", status: "FAILED", timeoutMins: 30 });
    expect(nested.statusReason).toMatch(/did not finish within 30 minutes/);
  });

  it("a retry given longer extends a nested stack still running, as Heat's update of it does", async () => {
    const t = testEngine();
    // The nested stack starts at minute 30 and needs 70: the parent's 60 end first.
    const template = `
heat_template_version: 2016-10-14
resources:
  pre:
    type: OS::Heat::TestResource
    properties: { action_wait_secs: { create: ${30 * 60} } }
  nest:
    type: slow.yaml
    depends_on: pre
    properties: { value: a }
`;
    const files = { "slow.yaml": slow(70) };
    const stack = await t.engine.createStack({ projectId: P, name: "p", template, files, timeoutMins: 60 });
    await t.settle(() => t.store.stacks.get(stack.id)?.status === "FAILED");
    expect((await nestedOf(t, stack.id)).status).toBe("IN_PROGRESS");
    await t.engine.updateStack(stack.id, { template, files, timeoutMins: 120 });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await nestedOf(t, stack.id)).toMatchObject({ status: "COMPLETE", timeoutMins: 120 });
  });

  it("of a group going a batch at a time is the stack's less the roll's pauses, rounded up, as Heat's", async () => {
    const t = testEngine();
    const group = (value: string) => `
heat_template_version: 2016-10-14
resources:
  nest:
    type: OS::Heat::ResourceGroup
    update_policy:
      rolling_update: { max_batch_size: 1, pause_time: 590 }
    properties:
      count: 3
      resource_def: { type: OS::Heat::TestResource, properties: { value: ${value} } }
`;
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group("a"), timeoutMins: 60 });
    await t.settle();
    expect(await nestedOf(t, stack.id)).toMatchObject({ status: "COMPLETE", timeoutMins: 60 });
    await t.engine.updateStack(stack.id, { template: group("b") });
    await t.settle();
    // Three batches, two pauses of 590 s: 60 min less 19 min 40 s.
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect(await nestedOf(t, stack.id)).toMatchObject({ status: "COMPLETE", timeoutMins: 41 });
  });

  it("of an OS::Heat::Stack is its timeout property, or the default without one, not the parent's", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "p", template: inlineStack(10, "5") });
    await t.settle();
    const nested = await nestedOf(t, stack.id);
    expect(nested).toMatchObject({ status: "FAILED", timeoutMins: 5 });
    expect(nested.statusReason).toMatch(/did not finish within 5 minutes/);
    expect((await t.stack(stack.id))?.statusReason).toMatch(/did not finish within 5 minutes/);

    const brief = await t.engine.createStack({ projectId: P, name: "r", template: inlineStack(10, "1") });
    await t.settle();
    expect((await nestedOf(t, brief.id)).statusReason).toBe("Timed out: the stack CREATE did not finish within 1 minute");

    const roomy = await t.engine.createStack({ projectId: P, name: "q", template: inlineStack(90, "120"), timeoutMins: 180 });
    await t.settle();
    expect(await nestedOf(t, roomy.id)).toMatchObject({ status: "COMPLETE", timeoutMins: 120 });

    // Without one, the default, not the parent's: Heat's creates its stack through Heat's API.
    const unset = await t.engine.createStack({ projectId: P, name: "s", template: inlineStack(1), timeoutMins: 180 });
    await t.settle();
    expect(await nestedOf(t, unset.id)).toMatchObject({ status: "COMPLETE", timeoutMins: null });
  });

  it("an OS::Heat::Stack's timeout out of range fails the resource, saying what is allowed, before any nested stack is made", async () => {
    const t = testEngine();
    for (const timeout of ["0", "20000"]) {
      const stack = await t.engine.createStack({ projectId: P, name: `p${timeout}`, template: inlineStack(1, timeout) });
      await t.settle();
      expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED" });
      const [row] = await t.store.findResources(stack.id, "nest");
      expect(row).toMatchObject({ status: "FAILED", physicalId: null });
      expect(row!.statusReason).toContain(`Property timeout: ${timeout} is out of range: a stack's operations may be given from 1 to 10080 minutes`);
    }
    expect(t.store.stacks.size).toBe(2);
  });
});
