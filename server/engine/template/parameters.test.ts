import { describe, expect, it } from "vitest";
import { isUnresolved } from "../unresolved";
import { loadStack } from "./index";
import { coerce } from "./parameters";

const stackWith = (parameters: Record<string, unknown>, given?: Record<string, unknown>) =>
  loadStack({ template: JSON.stringify({ heat_template_version: "2021-04-16", parameters }), parameters: given });
const errors = (s: ReturnType<typeof stackWith>) => s.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);

describe("type coercion, as Heat does it", () => {
  it.each([
    ["number", "3", 3],
    ["number", " 3.5 ", 3.5],
    ["number", 7, 7],
    ["number", "1e3", 1000],
    ["string", 42, "42"],
    ["string", true, "True"],
    ["boolean", "yes", true],
    ["boolean", "On", true],
    ["boolean", "0", false],
    ["boolean", "f", false],
    ["boolean", false, false],
    ["comma_delimited_list", "a, b,c", ["a", " b", "c"]],
    ["comma_delimited_list", "", []],
    ["comma_delimited_list", ["x", 1], ["x", "1"]],
    ["json", '{"a": 1}', { a: 1 }],
    ["json", [1, 2], [1, 2]],
    ["json", "", {}],
    ["json", "3", 3],
  ] as const)("%s from %j gives %j", (type, input, expected) => {
    expect(coerce(type, input)).toEqual({ value: expected });
  });

  it.each([
    ["number", "abc", `"abc" is not a number`],
    ["boolean", "maybe", `Unrecognized value "maybe"`],
    ["json", "{bad", "valid JSON"],
  ] as const)("%s from %j is refused", (type, input, message) => {
    const r = coerce(type, input);
    expect("error" in r && r.error).toContain(message);
  });
});

describe("constraints", () => {
  const cases: { name: string; param: Record<string, unknown>; value: unknown; errors: string[] }[] = [
    { name: "range min and max", param: { type: "number", constraints: [{ range: { min: 1, max: 5 } }] }, value: 9, errors: ["The value must be in the range 1 to 5."] },
    { name: "range min only", param: { type: "number", constraints: [{ range: { min: 1 } }] }, value: 0, errors: ["The value must be at least 1."] },
    { name: "range max only", param: { type: "number", constraints: [{ range: { max: 1 } }] }, value: "2", errors: ["The value must be no greater than 1."] },
    { name: "range passes", param: { type: "number", constraints: [{ range: { min: 1, max: 5 } }] }, value: 5, errors: [] },
    { name: "modulo", param: { type: "number", constraints: [{ modulo: { step: 2, offset: 1 } }] }, value: 4, errors: ["The value must be a multiple of 2 with an offset of 1."] },
    { name: "modulo passes", param: { type: "number", constraints: [{ modulo: { step: 2, offset: 1 } }] }, value: 7, errors: [] },
    { name: "length of a string", param: { type: "string", constraints: [{ length: { min: 2, max: 3 } }] }, value: "abcd", errors: ["The length must be in the range 2 to 3."] },
    { name: "length of a list", param: { type: "comma_delimited_list", constraints: [{ length: { max: 1 } }] }, value: "a,b", errors: ["The length must be no greater than 1."] },
    { name: "length of json", param: { type: "json", constraints: [{ length: { min: 2 } }] }, value: '{"a": 1}', errors: ["The length must be at least 2."] },
    { name: "allowed_values", param: { type: "string", constraints: [{ allowed_values: ["a", "b"] }] }, value: "z", errors: [`"z" is not an allowed value ["a", "b"]`] },
    { name: "allowed_values on each list item", param: { type: "comma_delimited_list", constraints: [{ allowed_values: ["a", "b"] }] }, value: "a,z", errors: [`"z" is not an allowed value ["a", "b"]`] },
    { name: "allowed_values of numbers", param: { type: "number", constraints: [{ allowed_values: [1, 2] }] }, value: "2", errors: [] },
    { name: "allowed_pattern must match the whole value", param: { type: "string", constraints: [{ allowed_pattern: "[a-c]+" }] }, value: "abcd", errors: [`"abcd" does not match pattern "[a-c]+"`] },
    { name: "a description replaces the message", param: { type: "string", constraints: [{ length: { max: 3 }, description: "too long" }] }, value: "abcd", errors: ["too long"] },
    {
      name: "every violation is reported",
      param: { type: "string", constraints: [{ length: { max: 3 } }, { allowed_pattern: "[a-c]+" }, { allowed_values: ["x"] }] },
      value: "abcdef",
      errors: ["The length must be no greater than 3.", `"abcdef" does not match pattern "[a-c]+"`, `"abcdef" is not an allowed value ["x"]`],
    },
    { name: "custom ip_addr is checked locally", param: { type: "string", constraints: [{ custom_constraint: "ip_addr" }] }, value: "10.0.0.300", errors: [`"10.0.0.300" is not a valid IP address`] },
    { name: "custom cloud constraints are accepted unchecked", param: { type: "string", constraints: [{ custom_constraint: "glance.image" }] }, value: "cirros", errors: [] },
  ];

  it.each(cases)("$name", (c) => {
    const s = stackWith({ p: c.param }, { p: c.value });
    expect(errors(s)).toEqual(c.errors.map((e) => `Parameter 'p' is invalid: ${e}`));
  });

  it("an allowed_pattern that backtracks catastrophically is a violation found at once, not a process held for minutes", () => {
    const started = Date.now();
    const s = stackWith({ p: { type: "string", constraints: [{ allowed_pattern: "(?:[a-z:]+)*x" }] } }, { p: "a".repeat(28) });
    expect(errors(s)).toEqual([`Parameter 'p' is invalid: the pattern "^(?:(?:[a-z:]+)*x)$" takes too long to match (it backtracks too much); simplify it`]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each([
    [{ type: "string", constraints: [{ range: { min: 1 } }] }, "Range constraint invalid for string"],
    [{ type: "number", constraints: [{ allowed_pattern: "x" }] }, "AllowedPattern constraint invalid for number"],
    [{ type: "number", constraints: [{ modulo: { step: 2 } }] }, "modulo needs both step and offset"],
    [{ type: "number", constraints: [{ modulo: { step: 2, offset: 3 } }] }, "smaller (in absolute value) than step"],
    [{ type: "string", constraints: [{ allowed_pattern: "(" }] }, "not a valid regular expression"],
    [{ type: "string", constraints: [{ bogus: 1 }] }, "a constraint must have exactly one of"],
  ])("a malformed constraint is an error: %j", (param, message) => {
    expect(errors(stackWith({ p: { ...param, default: "1" } })).join("\n")).toContain(message);
  });

  it("an unknown custom constraint only warns", () => {
    const s = stackWith({ p: { type: "string", default: "x", constraints: [{ custom_constraint: "no.such" }] } });
    expect(errors(s)).toEqual([]);
    expect(s.diagnostics).toMatchObject([{ severity: "warning", path: "parameters.p.constraints.0.custom_constraint", message: expect.stringContaining("no.such") }]);
  });

  it("a default that breaks a constraint is reported at the default", () => {
    const s = stackWith({ s: { type: "string", default: "abcdef", constraints: [{ length: { max: 3 }, description: "too long" }] } });
    expect(s.diagnostics).toMatchObject([{ path: "parameters.s.default", message: "Parameter 's' is invalid: Invalid default abcdef (too long)" }]);
  });
});

describe("parameter definitions", () => {
  it("a parameter without default or value is an error naming it", () => {
    const s = stackWith({ a: { type: "string" }, b: { type: "number", default: 1 } });
    expect(errors(s)).toEqual(["The Parameter (a) was not provided: it has no default and no value was given."]);
    expect(isUnresolved(s.parameters.values.a)).toBe(true);
    expect(s.parameters.values.b).toBe(1);
  });

  it("a hidden parameter's value never appears in messages", () => {
    const s = stackWith({ pw: { type: "string", hidden: true, constraints: [{ allowed_pattern: "[a-z]+" }] } }, { pw: "S3cret!" });
    expect(errors(s)).toEqual([`Parameter 'pw' is invalid: "******" does not match pattern "[a-z]+"`]);
  });

  it("a value for an undefined parameter is an error", () => {
    expect(errors(stackWith({}, { zz: 1 }))).toEqual(["The Parameter (zz) was not defined in template."]);
  });

  it("an unknown type lists the allowed ones", () => {
    expect(errors(stackWith({ j: { type: "integer" } })).join()).toContain("Invalid type (integer) for parameter j; allowed types: string, number, json, comma_delimited_list, boolean");
  });

  it("an unknown key is an error", () => {
    expect(errors(stackWith({ j: { type: "string", default: "x", foo: 1 } })).join()).toContain("Invalid key 'foo' for parameter (j)");
  });

  it("keeps label, description, hidden, immutable and tags in the schema", () => {
    const s = stackWith({ pw: { type: "string", default: "x", label: "Password", description: "secret", hidden: true, immutable: "yes", tags: ["a"] } });
    expect(s.parameters.schema).toEqual([{ name: "pw", type: "string", default: "x", label: "Password", description: "secret", hidden: true, immutable: true, tags: ["a"], constraints: [] }]);
  });

  it("parameter groups must name known parameters, each in one group only", () => {
    const s = loadStack({ template: JSON.stringify({
      heat_template_version: "2021-04-16",
      parameter_groups: [{ label: "g", parameters: ["a", "zz"] }, { label: "h", parameters: ["a"] }],
      parameters: { a: { type: "string", default: "x" } },
    }) });
    expect(errors(s)).toEqual([
      "The grouped parameter zz does not reference a valid parameter",
      "The a parameter must be assigned to one parameter group only",
    ]);
    expect(s.parameters.groups).toEqual([{ label: "g", parameters: ["a", "zz"] }, { label: "h", parameters: ["a"] }]);
  });
});
