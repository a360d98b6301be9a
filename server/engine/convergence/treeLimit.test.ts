/**
 * max_resources_per_stack counts the whole tree of nested stacks from its root, and a stack
 * that would go over it is refused before its rows are built: at validate and create when the
 * sizes are known, or by the group or nested stack resource that would take the tree over.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../limits";
import { testEngine } from "../testing/harness";
import { TemplateInvalid } from "../errors";

const P = "project";

const group = (count: string, member = "OS::Heat::None") => `
heat_template_version: 2018-08-31
parameters:
  n: { type: number, default: 1 }
resources:
  size: { type: OS::Heat::Value, properties: { value: ${count}, type: number } }
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${count === "from_value" ? "{ get_attr: [size, value] }" : count}
      resource_def: { type: ${member} }
`;

/** 200 groups of 200: 40,201 resources in Kiln before the tree was counted. */
const groupOfGroups = (outer: number, inner: number) => `
heat_template_version: 2018-08-31
resources:
  outer:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${outer}
      resource_def:
        type: OS::Heat::ResourceGroup
        properties:
          count: ${inner}
          resource_def: { type: OS::Heat::None }
`;

describe("the resource limit counts the whole tree", () => {
  it("a group whose count is known is refused at create, before any row", async () => {
    const t = testEngine();
    const create = t.engine.createStack({ projectId: P, name: "s", template: group("1000000000") });
    await expect(create).rejects.toThrow(TemplateInvalid);
    await expect(create).rejects.toThrow(
      "resources.group.properties.count: 1000000000 members would bring the stack and its nested stacks to at least 1000000002 resources, over the limit of 1000",
    );
    expect(t.store.resources.size).toBe(0);
  });

  it("a count from a parameter is known too", async () => {
    const t = testEngine();
    const create = t.engine.createStack({ projectId: P, name: "s", template: group("{ get_param: n }"), parameters: { n: 5000 } });
    await expect(create).rejects.toThrow(/count: 5000 members would bring .* over the limit of 1000/);
  });

  it("a count known only at deploy time fails the group at once, naming the limit, and builds no member", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: group("from_value").replace("value: from_value", "value: 1000000000") });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({
      status: "FAILED",
      statusReason:
        "Resource CREATE failed: RequestLimitExceeded: resources.group: Request limit exceeded: a nested stack of 1000000000 resources would bring the stack and its nested stacks to 1000000002 resources, over the limit of 1000",
    });
    expect(await t.store.countTreeResources(stack.id)).toBe(2);
  });

  it("groups of groups are refused once the tree would pass the limit, never building past it", async () => {
    const t = testEngine({ concurrency: 1 });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: groupOfGroups(200, 200) });
    await t.settle(() => t.notifier.events().includes("s CREATE_FAILED"));
    expect((await t.stack(stack.id))?.statusReason).toMatch(/RequestLimitExceeded: .*over the limit of 1000$/);
    expect(await t.store.countTreeResources(stack.id)).toBeLessThanOrEqual(1000);
  });

  it("sibling groups sized at the same moment count each other: four groups of 990 fed by one value do not build 3,965 resources", async () => {
    const t = testEngine({ concurrency: 4 });
    const groups = [0, 1, 2, 3].map((i) => `  g${i}:\n    type: OS::Heat::ResourceGroup\n    properties:\n      count: { get_attr: [n, value] }\n      resource_def: { type: OS::Heat::None }\n`);
    const template = `heat_template_version: 2018-08-31\nresources:\n  n: { type: OS::Heat::Value, properties: { value: 990, type: number } }\n${groups.join("")}`;
    const stack = await t.engine.createStack({ projectId: P, name: "s", template });
    await t.settle(() => t.notifier.events().includes("s CREATE_FAILED"));
    expect((await t.stack(stack.id))?.statusReason).toMatch(/RequestLimitExceeded: .*over the limit of 1000$/);
    expect(await t.store.countTreeResources(stack.id)).toBeLessThanOrEqual(1000);
  });

  it("the limit is the operator's, and -1 lifts it", async () => {
    const small = testEngine({ limits: { ...DEFAULT_LIMITS, maxResourcesPerStack: 10 } });
    const refused = await small.engine.createStack({ projectId: P, name: "s", template: groupOfGroups(3, 3) });
    await small.settle();
    expect(await small.stack(refused.id)).toMatchObject({ status: "FAILED", statusReason: expect.stringMatching(/over the limit of 10$/) });

    await expect(testEngine().engine.createStack({ projectId: P, name: "s", template: group("1000") })).rejects.toThrow(TemplateInvalid);
    const unlimited = testEngine({ limits: { ...DEFAULT_LIMITS, maxResourcesPerStack: -1 } });
    const built = await unlimited.engine.createStack({ projectId: P, name: "s", template: group("1000") });
    await unlimited.settle();
    expect(await unlimited.stack(built.id)).toMatchObject({ status: "COMPLETE" });
    expect(await unlimited.store.countTreeResources(built.id)).toBe(2 + 1000);
  });

  it("a raised limit admits a template of more resources than Heat's default, with no second per-template cap", async () => {
    const flat = (n: number) => `heat_template_version: 2018-08-31\nresources:\n${Array.from({ length: n }, (_, i) => `  r${i}: { type: OS::Heat::None }`).join("\n")}\n`;
    const raised = testEngine({ limits: { ...DEFAULT_LIMITS, maxResourcesPerStack: 1500 } });
    const stack = await raised.engine.createStack({ projectId: P, name: "s", template: flat(1200) });
    await raised.settle();
    expect(await raised.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    await expect(raised.engine.createStack({ projectId: P, name: "t", template: flat(1501) })).rejects.toThrow("over the limit of 1500 resources");
  });

  it("an update of a group counts its members once, not twice", async () => {
    const t = testEngine({ limits: { ...DEFAULT_LIMITS, maxResourcesPerStack: 10 } });
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: group("8") });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    await t.engine.updateStack(stack.id, { template: group("8").replace("OS::Heat::Value", "OS::Heat::Value, metadata: { changed: true }") });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
  });
});
