/**
 * Large values in a running stack: a get_file value is stored once, however many attributes
 * echo it; anything over the value limit fails the resource (or the output) naming it.
 */
import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";
import { stackOutputs } from "./stackOutputs";

const P = "project";
const HOT = "heat_template_version: 2018-08-31\n";

/** Characters of `needle` stored in the resource rows, counted by how often it appears in them. */
const copiesIn = (rows: unknown[], needle: string) => JSON.stringify(rows).split(JSON.stringify(needle).slice(1, -1)).length - 1;

describe("large values", () => {
  it("a 900 KB get_file value is stored once, not again in attributes and data, and reads back whole", async () => {
    const t = testEngine();
    const file = `#!/bin/sh\n${"echo kiln\n".repeat(90_000)}`;
    const template = `${HOT}resources:
  v: {type: OS::Heat::Value, properties: {value: {get_file: boot.sh}}}
  t: {type: OS::Heat::TestResource, properties: {value: {get_file: boot.sh}}}
outputs:
  v: {value: {get_attr: [v, value]}}
  t: {value: {get_attr: [t, output]}}
`;
    const stack = await t.engine.createStack({ projectId: P, name: "files", template, files: { "boot.sh": file } });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const rows = await t.store.listResources(stack.id);
    // One copy in each resource's properties; none in attributes or data.
    expect(copiesIn(rows, file)).toBe(2);
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    expect(outputs.v!.value).toBe(file);
    expect(outputs.t!.value).toBe(file);
  });

  it("an update keeps a value stored once and reads the new one", async () => {
    const t = testEngine();
    const template = `${HOT}parameters:\n  p: {type: string}\nresources:\n  t: {type: OS::Heat::TestResource, properties: {value: {get_param: p}}}\noutputs:\n  t: {value: {get_attr: [t, output]}}\n`;
    const stack = await t.engine.createStack({ projectId: P, name: "upd", template, parameters: { p: "a".repeat(5000) } });
    await t.settle();
    await t.engine.updateStack(stack.id, { template, parameters: { p: "b".repeat(5000) } });
    await t.settle();
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    expect(outputs.t!.value).toBe("b".repeat(5000));
    expect(copiesIn(await t.store.listResources(stack.id), "b".repeat(5000))).toBe(1);
  });

  it("properties that add up to more than 1 MB fail the resource, naming it", async () => {
    const t = testEngine();
    const template = `${HOT}parameters:\n  p: {type: string}\nresources:\n  big:\n    type: OS::Heat::Value\n    properties:\n      value: [{get_param: p}, {get_param: p}, {get_param: p}]\n`;
    await expect(t.engine.createStack({ projectId: P, name: "big", template, parameters: { p: "p".repeat(400 * 1024) } })).rejects.toThrow(
      "resources.big.properties (7:5): the value of the properties is over 1 MB; at most 1 MB is allowed",
    );
  });

  it("an output over 1 MB carries an error instead of its value", async () => {
    const t = testEngine();
    const template = `${HOT}parameters:\n  p: {type: string}\nresources:\n  a: {type: OS::Heat::Value, properties: {value: {get_param: p}}}\n  b: {type: OS::Heat::Value, properties: {value: {get_param: p}}}\n  c: {type: OS::Heat::Value, properties: {value: {get_param: p}}}\noutputs:\n  all: {value: [{get_attr: [a, value]}, {get_attr: [b, value]}, {get_attr: [c, value]}]}\n`;
    const stack = await t.engine.createStack({ projectId: P, name: "out", template, parameters: { p: "p".repeat(400 * 1024) } });
    await t.settle();
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    expect(outputs.all).toMatchObject({ value: undefined, error: "the output's value is over 1 MB; at most 1 MB is allowed" });
  });

});
