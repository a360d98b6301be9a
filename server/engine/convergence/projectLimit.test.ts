import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";
import { DEFAULT_LIMITS } from "../limits";
import { OperationRefused } from "../errors";

const template = `
heat_template_version: 2018-08-31
resources:
  g:
    type: OS::Heat::ResourceGroup
    properties: { count: 2, resource_def: { type: OS::Heat::None } }
`;

describe("stacks per project (Heat's max_stacks_per_tenant)", () => {
  it("a project at its limit is refused another stack, saying why; another project is not; a delete frees a place", async () => {
    const t = testEngine({ limits: { ...DEFAULT_LIMITS, maxStacksPerProject: 2 } });
    const first = await t.engine.createStack({ projectId: "a", name: "one", template });
    await t.engine.createStack({ projectId: "a", name: "two", template });
    await t.settle();
    // Nested stacks (the groups') do not count: only the project's own stacks.
    const refused = await t.engine.createStack({ projectId: "a", name: "three", template }).catch((e) => e);
    expect(refused).toBeInstanceOf(OperationRefused);
    expect((refused as Error).message).toBe("This project already has 2 stacks, the most it may have; delete one before creating another");
    expect(await t.store.findStackByName("a", "three")).toBeUndefined();
    await t.engine.createStack({ projectId: "b", name: "three", template });
    await t.engine.deleteStack(first.id);
    await t.settle();
    await expect(t.engine.createStack({ projectId: "a", name: "three", template })).resolves.toMatchObject({ name: "three" });
  });

  it("-1 sets no limit", async () => {
    const t = testEngine({ limits: { ...DEFAULT_LIMITS, maxStacksPerProject: -1 } });
    for (const name of ["a", "b", "c"]) await t.engine.createStack({ projectId: "p", name, template });
    expect(await t.store.listStacks("p")).toHaveLength(3);
  });
});
