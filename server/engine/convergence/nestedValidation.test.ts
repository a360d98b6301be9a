/**
 * A create or update is refused, before anything is stored, when a nested template it would
 * build is invalid, as Heat 19 refuses it (the heat-oracle: `StackValidationFailed:
 * resources.p<bad.yaml>: The Resource Type (OS::Heat::NoSuchType) could not be found.`): a
 * provider template, a group's member, however deep. What only the deployment can know (a
 * value from another resource's attribute) is left to the nested stack's own create.
 */
import { describe, expect, it } from "vitest";
import { TemplateInvalid } from "../errors";
import { testEngine } from "../testing/harness";

const P = "project";

const bad = `heat_template_version: 2018-08-31
parameters:
  x: {type: string}
resources:
  inner:
    type: OS::Heat::NoSuchType
`;
const good = `heat_template_version: 2018-08-31
parameters:
  x: {type: boolean}
resources:
  inner:
    type: OS::Heat::TestResource
    properties: {fail: {get_param: x}}
`;
const top = (type: string, x = "false") => `heat_template_version: 2018-08-31
resources:
  a: {type: OS::Heat::None}
  flag: {type: OS::Heat::Value, properties: {value: "maybe"}}
  p:
    type: ${type}
    properties: {x: ${x}}
`;
const grouped = (type: string) => `heat_template_version: 2018-08-31
resources:
  g:
    type: OS::Heat::ResourceGroup
    properties:
      count: 3
      resource_def: {type: ${type}, properties: {x: "true"}}
`;

async function refusal(create: Promise<unknown>) {
  const e = await create.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TemplateInvalid);
  return (e as TemplateInvalid).problems;
}

describe("nested templates are checked with the stack's create", () => {
  it("refuses a provider template that is invalid, naming where in it, and stores nothing", async () => {
    const t = testEngine();
    const problems = await refusal(t.engine.createStack({ projectId: P, name: "s", template: top("bad.yaml", '"hello"'), files: { "bad.yaml": bad } }));
    expect(problems).toEqual([expect.objectContaining({ path: "resources.p.resources.inner.type", file: "bad.yaml", line: 6, column: 5, message: expect.stringContaining('unknown resource type "OS::Heat::NoSuchType"') })]);
    expect(await t.store.listStacks(P)).toEqual([]);
  });

  it("refuses one a group's members would be made from, and a parameter value the nested template refuses", async () => {
    const t = testEngine();
    const members = await refusal(t.engine.createStack({ projectId: P, name: "s", template: grouped("bad.yaml"), files: { "bad.yaml": bad } }));
    expect(members[0]).toMatchObject({ path: "resources.g.resources.0.resources.inner.type", file: "bad.yaml" });
    const value = await refusal(t.engine.createStack({ projectId: P, name: "s", template: top("good.yaml", '"not a boolean"'), files: { "good.yaml": good } }));
    expect(value[0]!.path).toBe("resources.p.parameters.x");
    expect(await t.store.listStacks(P)).toEqual([]);
  });

  it("refuses an update the same way, leaving the stack as it was", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: top("good.yaml"), files: { "good.yaml": good } });
    await t.settle();
    await refusal(t.engine.updateStack(stack.id, { template: top("bad.yaml", '"x"'), files: { "bad.yaml": bad } }));
    await refusal(t.engine.previewUpdate(stack.id, { template: top("bad.yaml", '"x"'), files: { "bad.yaml": bad } }));
    expect((await t.stack(stack.id))?.action).toBe("CREATE");
    expect(await t.resources(stack.id)).toMatchObject({ p: "CREATE_COMPLETE" });
  });

  it("a value known only once another resource exists is checked when the nested stack is built", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: top("good.yaml", "{get_attr: [flag, value]}"), files: { "good.yaml": good } });
    await t.settle();
    expect(await t.resources(stack.id)).toMatchObject({ a: "CREATE_COMPLETE", p: "CREATE_FAILED" });
    expect((await t.stack(stack.id))?.statusReason).toMatch(/parameters\.x.*maybe/);
  });
});
