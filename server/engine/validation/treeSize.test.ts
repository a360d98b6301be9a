import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../limits";
import { createBuiltinRegistry } from "../resources/registry";
import { validateStack } from "./validateStack";

const types = createBuiltinRegistry();

const template = (count: string, extra = "") => `
heat_template_version: 2018-08-31
parameters:
  n: { type: number, default: 3 }
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${count}
      resource_def: { type: OS::Heat::None }
${extra}`;

const validate = (source: string, max = DEFAULT_LIMITS.maxResourcesPerStack) =>
  validateStack({ template: source, stack: { name: "v" } }, types, { maxResourcesPerStack: max });

describe("validate knows when a template cannot fit the resource limit", () => {
  it("a group count over the limit is an error at the count, with its position", () => {
    const v = validate(template("2000"));
    expect(v.valid).toBe(false);
    expect(v.errors).toEqual([
      expect.objectContaining({
        path: "resources.group.properties.count",
        line: 9,
        message: "2000 members would bring the stack and its nested stacks to at least 2001 resources, over the limit of 1000",
      }),
    ]);
  });

  it("1e308 is refused as no integer, before any count is taken of it", () => {
    const v = validate(template("1e308"));
    expect(v.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      "resources.group.properties.count: 1e+308 is not an integer in the range -9007199254740991..9007199254740991; the value must be at least 0",
    ]);
  });

  it("a count from a parameter counts as it is given, and a count within the limit is fine", () => {
    expect(validate(template("{ get_param: n }")).valid).toBe(true);
    expect(validateStack({ template: template("{ get_param: n }"), parameters: { n: 1500 }, stack: { name: "v" } }, types, DEFAULT_LIMITS).valid).toBe(false);
  });

  it("a template with more resources than the limit is an error of its resources", () => {
    const many = Array.from({ length: 12 }, (_, i) => `  r${i}: { type: OS::Heat::None }`).join("\n");
    const v = validate(template("0", many), 10);
    expect(v.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(["resources: the template has 13 resources, over the limit of 10 resources in a stack and its nested stacks"]);
  });

  it("-1 is no limit", () => {
    expect(validate(template("5000"), -1).valid).toBe(true);
  });
});
