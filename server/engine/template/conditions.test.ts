import { describe, expect, it } from "vitest";
import { loadStack } from "./index";

const load = (body: Record<string, unknown>, parameters?: Record<string, unknown>, version = "2021-04-16") =>
  loadStack({ template: JSON.stringify({ heat_template_version: version, ...body }), parameters });
const errors = (s: ReturnType<typeof load>) => s.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);

const envParam = { parameters: { env: { type: "string", default: "prod", constraints: [{ allowed_values: ["prod", "dev"] }] } } };

describe("conditions", () => {
  it.each([
    ["equals", { equals: [{ get_param: "env" }, "prod"] }, true],
    ["not of a name", { not: "is_prod" }, false],
    ["and of names and expressions", { and: ["is_prod", { equals: [1, 1] }] }, true],
    ["or", { or: [false, { not: "is_prod" }] }, false],
    ["contains (2017-09-01)", { contains: [{ get_param: "env" }, ["prod", "staging"]] }, true],
    ["a literal", true, true],
  ])("%s", (_name, definition, expected) => {
    const s = load({ ...envParam, conditions: { is_prod: { equals: [{ get_param: "env" }, "prod"] }, c: definition } });
    expect(errors(s)).toEqual([]);
    expect(s.conditions.c).toBe(expected);
  });

  it.each([
    ["equals with one argument", { equals: [1] }, "[value_1, value_2]"],
    ["or with one condition", { or: [true] }, `minimum number of condition arguments to "or" is 2`],
    ["not of a list", { not: [true] }, "not a list"],
    ["a non-boolean", "yes", `The definition of condition "c" is invalid: yes`],
    ["an unknown name", { not: "nope" }, `Invalid condition "nope"`],
    ["a non-condition function", { list_join: [",", ["a"]] }, "not a condition function"],
  ])("%s is an error", (_name, definition, message) => {
    const s = load({ conditions: { c: definition } });
    expect(s.diagnostics.map((d) => d.message).join("\n")).toContain(message);
  });

  it("a condition function of a later version is data (so the condition is invalid), with a warning", () => {
    const s = load({ conditions: { c: { and: [true, { contains: ["a", ["a"]] }] } } }, undefined, "2016-10-14");
    expect(s.diagnostics.map((d) => d.message).join("\n")).toContain("introduced in 2017-09-01");
    expect(errors(s).join("\n")).toContain("a condition must be a boolean");
  });

  it("a cycle between conditions is an error, not a hang", () => {
    const s = load({ conditions: { a: { not: "b" }, b: { not: "a" } } });
    expect(errors(s).join("\n")).toContain("Circular definition for condition");
  });

  it("is not a section before 2016-10-14", () => {
    const s = load({ conditions: { a: true } }, undefined, "2016-04-08");
    expect(errors(s)).toEqual([expect.stringContaining("The template section is invalid: conditions")]);
  });

  it("follows the parameters it reads", () => {
    const s = load({ ...envParam, conditions: { is_prod: { equals: [{ get_param: "env" }, "prod"] } } }, { env: "dev" });
    expect(s.conditions.is_prod).toBe(false);
  });
});

describe("conditional resources and outputs", () => {
  const body = {
    ...envParam,
    conditions: { is_prod: { equals: [{ get_param: "env" }, "prod"] }, is_dev: { not: "is_prod" } },
    resources: {
      always: { type: "OS::Heat::None", properties: { size: { if: ["is_prod", 10, 1] }, debug: { if: ["is_dev", true] } } },
      monitor: { type: "OS::Heat::None", condition: "is_prod" },
      sandbox: { type: "OS::Heat::None", condition: "is_dev", properties: { peer: { get_resource: "always" } } },
    },
    outputs: {
      monitor_id: { value: { get_resource: "monitor" }, condition: "is_prod" },
      size: { value: { get_attr: ["always", "size"] } },
    },
  };

  it("drops resources whose condition is false, and their references", () => {
    const s = load(body);
    expect(errors(s)).toEqual([]);
    expect(Object.keys(s.resources)).toEqual(["always", "monitor"]);
    expect(s.disabled).toEqual(["sandbox"]);
    expect(s.references.map((r) => r.name)).toEqual(["always", "monitor"]);
    expect(s.resources.always.properties).toEqual({ size: 10 });
    expect(s.resources.monitor.condition).toEqual({ name: "is_prod", enabled: true });
  });

  it("in the other case, keeps the other resources and nulls the conditional output", () => {
    const s = load(body, { env: "dev" });
    expect(errors(s)).toEqual([]);
    expect(Object.keys(s.resources)).toEqual(["always", "sandbox"]);
    expect(s.resources.always.properties).toEqual({ size: 1, debug: true });
    expect(s.outputs.monitor_id).toMatchObject({ enabled: false, value: null });
  });

  it("a reference to a resource whose condition is false is an error; depends_on on it is ignored", () => {
    const s = load({
      conditions: { off: false },
      resources: { a: { type: "X", condition: "off" }, b: { type: "X", depends_on: ["a"], properties: { p: { get_attr: ["a", "x"] } } } },
    });
    expect(errors(s)).toEqual([
      expect.stringContaining(`reference "a" (in b) is to a resource whose condition is false`),
    ]);
    expect(s.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toEqual(["b depends on a, whose condition is false; the dependency is ignored"]);
  });

  it("resources and outputs accept inline condition expressions", () => {
    const s = load({
      ...envParam,
      resources: { a: { type: "X", condition: { equals: [{ get_param: "env" }, "dev"] } }, b: { type: "X", condition: { not: false } } },
      outputs: { o: { value: 1, condition: { not: true } } },
    });
    expect(errors(s)).toEqual([]);
    expect(Object.keys(s.resources)).toEqual(["b"]);
    expect(s.outputs.o.enabled).toBe(false);
  });

  it("an inline condition naming an unknown condition is an error", () => {
    const s = load({ resources: { b: { type: "X", condition: { not: "cond_missing" } } } });
    expect(s.diagnostics).toMatchObject([{ path: "resources.b.condition.not", message: expect.stringContaining(`Invalid condition "cond_missing"`) }]);
  });

  it("a resource's condition must name a condition", () => {
    const s = load({ resources: { a: { type: "X", condition: "nope" } } });
    expect(s.diagnostics).toMatchObject([{ path: "resources.a.condition", message: expect.stringContaining(`Invalid condition "nope"`) }]);
  });
});
