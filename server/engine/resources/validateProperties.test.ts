import { describe, expect, it } from "vitest";
import { Unresolved } from "../unresolved";
import { createBuiltinRegistry } from "./registry";
import { allowedPattern, length, modulo, prop, range, customConstraint, allowedValues } from "./schema";
import { propertiesFor, validatePropertyValue } from "./validateProperties";

const registry = createBuiltinRegistry();
const P = "resources.r.properties";

function check(type: string, properties: unknown) {
  return propertiesFor(registry.get(type)!, properties, { path: P, typeName: type });
}

const errors = (type: string, properties: unknown) =>
  check(type, properties).diagnostics.map((d) => ({ path: d.path, message: d.message }));

describe("property values Heat accepts, coerced as Heat does", () => {
  it.each([
    ["an integer from a string", "OS::Heat::RandomString", { length: "42" }, "length", 42],
    ["an integer from a whole float", "OS::Heat::RandomString", { length: 8.0 }, "length", 8],
    ["a number from a string", "OS::Heat::TestResource", { wait_secs: "1.5" }, "wait_secs", 1.5],
    ["a boolean from 'true'", "OS::Heat::TestResource", { fail: "true" }, "fail", true],
    ["a boolean from 'FALSE'", "OS::Heat::TestResource", { fail: "FALSE" }, "fail", false],
    ["a string from an integer", "OS::Heat::TestResource", { value: 7 }, "value", "7"],
    ["a string from a boolean (Python's spelling)", "OS::Heat::TestResource", { value: true }, "value", "True"],
    ["anything for an Any property", "OS::Heat::Value", { value: { a: [1] } }, "value", { a: [1] }],
    ["a default for a missing property", "OS::Heat::RandomString", {}, "length", 32],
    ["a default for an explicit null", "OS::Heat::RandomString", { length: null }, "length", 32],
    ["a list default", "OS::Heat::SoftwareDeployment", { server: "s" }, "actions", ["CREATE", "UPDATE"]],
    [
      "defaults inside list entries",
      "OS::Heat::RandomString",
      { character_classes: [{ class: "digits" }] },
      "character_classes",
      [{ class: "digits", min: 1 }],
    ],
  ])("%s", (_, type, properties, key, expected) => {
    const result = check(type, properties);
    expect(result.diagnostics).toEqual([]);
    expect(result.values[key]).toEqual(expected);
  });

  it("a template with no properties section is fine when nothing is required", () => {
    expect(check("OS::Heat::RandomString", undefined).diagnostics).toEqual([]);
  });
});

describe("property errors name the path, what is wrong and what is allowed", () => {
  it.each([
    ["a word for an integer", "OS::Heat::RandomString", { length: "abc" }, `${P}.length`, 'an integer expected, got the string "abc"'],
    ["a fraction for an integer", "OS::Heat::RandomString", { length: 3.5 }, `${P}.length`, "an integer expected, got the number 3.5"],
    ["a boolean for an integer", "OS::Heat::RandomString", { length: true }, `${P}.length`, "an integer expected, got the boolean true"],
    ["a number for a boolean", "OS::Heat::TestResource", { fail: 1 }, `${P}.fail`, "a boolean (true or false) expected, got the integer 1"],
    ["'yes' for a boolean", "OS::Heat::TestResource", { fail: "yes" }, `${P}.fail`, 'a boolean (true or false) expected, got the string "yes"'],
    ["a list for a string", "OS::Heat::TestResource", { value: ["a"] }, `${P}.value`, "a string expected, got a list of 1"],
    ["a float for a string (Heat refuses it too)", "OS::Heat::TestResource", { value: 1.5 }, `${P}.value`, "a string expected, got the number 1.5"],
    ["a string for a map", "OS::Heat::Stack", { template: "t", parameters: "x=1" }, `${P}.parameters`, 'a map expected, got the string "x=1"'],
    ["a string for a list", "OS::Heat::SoftwareDeployment", { server: "s", actions: "CREATE" }, `${P}.actions`, 'a list (entries from "CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME") expected, got the string "CREATE"'],
    ["a value over the range", "OS::Heat::RandomString", { length: 600 }, `${P}.length`, "600 is out of range: the value must be between 1 and 512"],
    ["a whole number too large to be an integer", "OS::Heat::ResourceGroup", { count: 1e308, resource_def: { type: "T" } }, `${P}.count`, "1e+308 is not an integer in the range -9007199254740991..9007199254740991; the value must be at least 0"],
    ["a string spelling a huge integer", "OS::Heat::RandomString", { length: "1e20" }, `${P}.length`, "100000000000000000000 is not an integer in the range -9007199254740991..9007199254740991; the value must be between 1 and 512"],
    ["infinity for a number", "OS::Heat::TestResource", { wait_secs: Infinity }, `${P}.wait_secs`, "a number expected, got Infinity, which is not a finite number"],
    ["a string past the largest number", "OS::Heat::TestResource", { wait_secs: "1e999" }, `${P}.wait_secs`, 'a number expected, got the string "1e999"'],
    ["a value under a minimum", "OS::Heat::ResourceGroup", { count: -1, resource_def: { type: "T" } }, `${P}.count`, "-1 is out of range: the value must be at least 0"],
    ["a string too short", "OS::Heat::ResourceGroup", { index_var: "%i", resource_def: { type: "T" } }, `${P}.index_var`, 'the string "%i" has 2 characters: the length must be at least 3'],
    [
      "a value not allowed",
      "OS::Heat::WaitConditionHandle",
      { signal_transport: "SMOKE" },
      `${P}.signal_transport`,
      '"SMOKE" is not an allowed value; allowed values: "CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL", "TOKEN_SIGNAL"',
    ],
    [
      "a list entry not allowed",
      "OS::Heat::SoftwareDeployment",
      { server: "s", actions: ["CREATE", "REBOOT"] },
      `${P}.actions`,
      '"REBOOT" is not an allowed value; allowed values: "CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME"',
    ],
    [
      "an unknown property, with the near miss and the allowed ones",
      "OS::Heat::RandomString",
      { lenght: 8 },
      `${P}.lenght`,
      'unknown property "lenght"; did you mean "length"? (OS::Heat::RandomString allows: character_classes, character_sequences, length, salt)',
    ],
    ["a missing required property", "OS::Heat::WaitCondition", { handle: "h" }, P, 'property "timeout" is required but missing (a number)'],
    ["a properties section that is not a map", "OS::Heat::None", ["a"], P, "properties must be a map of property names to values, not a list of 1"],
  ])("%s", (_, type, properties, path, message) => {
    expect(errors(type, properties)).toEqual([{ path, message }]);
  });

  it("OS::Heat::None takes any properties as they are, as Heat's does: it stands in for any type", () => {
    // Heat 19 creates `type: OS::Heat::None, properties: {foo: bar, count: 3}`; the common use is a
    // resource_registry mapping a real type (with its properties) to it.
    expect(check("OS::Heat::None", { foo: "bar", count: 3 })).toEqual({ values: { foo: "bar", count: 3 }, diagnostics: [] });
  });

  it("reports every problem at once", () => {
    expect(errors("OS::Heat::WaitCondition", { count: 0, timeout: 0, colour: "red" }).map((e) => e.path)).toEqual([
      `${P}.colour`,
      P,
      `${P}.timeout`,
      `${P}.count`,
    ]);
  });

  it("checks entries of a list against the entry schema, with the index in the path", () => {
    expect(errors("OS::Heat::RandomString", { character_classes: [{ class: "digits" }, { class: "emoji", min: 0 }] })).toEqual([
      {
        path: `${P}.character_classes.1.class`,
        message: '"emoji" is not an allowed value; allowed values: "lettersdigits", "letters", "lowercase", "uppercase", "digits", "hexdigits", "octdigits"',
      },
      { path: `${P}.character_classes.1.min`, message: "0 is out of range: the value must be between 1 and 512" },
    ]);
  });

  it("checks keys of a map against the map schema", () => {
    expect(errors("OS::Heat::RandomString", { character_sequences: [{ min: 2, seq: "abc" }] })).toEqual([
      { path: `${P}.character_sequences.0.seq`, message: 'unknown key "seq" (allowed: min, sequence)' },
      { path: `${P}.character_sequences.0`, message: 'key "sequence" is required but missing (a string)' },
    ]);
  });

  it("checks a nested required key of a map property", () => {
    expect(errors("OS::Heat::ResourceGroup", { resource_def: { properties: {} } })).toEqual([
      { path: `${P}.resource_def`, message: 'key "type" is required but missing (a string)' },
    ]);
  });

  it("warns about a deprecated property", () => {
    expect(check("OS::Heat::DeployedServer", { metadata: { a: 1 } }).diagnostics).toEqual([
      { severity: "warning", path: `${P}.metadata`, message: 'property "metadata" is deprecated: This property will be ignored' },
    ]);
  });
});

describe("values only known at deploy time", () => {
  const later = new Unresolved("get_attr pw value");
  it.each([
    ["a whole property", "OS::Heat::RandomString", { length: later }],
    ["a required property", "OS::Heat::WaitCondition", { handle: later, timeout: later }],
    ["a list entry", "OS::Heat::SoftwareDeployment", { server: "s", actions: ["CREATE", later] }],
    ["a key of a map entry", "OS::Heat::RandomString", { character_classes: [{ class: later, min: later }] }],
    ["a map value", "OS::Heat::Stack", { template: later, parameters: { a: later } }],
    ["the whole properties section", "OS::Heat::WaitCondition", later],
  ])("are not checked: %s", (_, type, properties) => {
    expect(check(type, properties).diagnostics).toEqual([]);
  });

  it("keep the Unresolved value in the coerced result", () => {
    expect(check("OS::Heat::RandomString", { length: later }).values.length).toBe(later);
  });
});

describe("constraints", () => {
  it.each([
    ["range within", prop.number("n", { constraints: [range(1, 2)] }), 1.5, []],
    ["length of a list", prop.list("l", { constraints: [length(undefined, 1)] }), [1, 2], ["a list of 2 has 2 entries: the length must be at most 1"]],
    ["length of a map", prop.map("m", { constraints: [length(1)] }), {}, ["a map has 0 keys: the length must be at least 1"]],
    ["pattern matches the whole string", prop.string("s", { constraints: [allowedPattern("[a-z]+")] }), "abc1", ['the string "abc1" does not match the allowed pattern "[a-z]+"']],
    ["pattern ok", prop.string("s", { constraints: [allowedPattern("[a-z]+")] }), "abc", []],
    ["modulo", prop.integer("i", { constraints: [modulo(2, 1)] }), 4, ["4 is not allowed: the value must be a multiple of 2 plus 1"]],
    ["modulo ok", prop.integer("i", { constraints: [modulo(2, 1)] }), "5", []],
    ["allowed integers compare as numbers", prop.integer("i", { constraints: [allowedValues(["1", "2"])] }), "2", []],
    ["a description replaces the message", prop.integer("i", { constraints: [range(1, undefined, "Must be positive.")] }), 0, ["Must be positive. (got the integer 0)"]],
    ["unknown custom constraints are not checked", prop.string("s", { constraints: [customConstraint("nova.flavor")] }), "m1", []],
  ])("%s", (_, schema, value, messages) => {
    expect(validatePropertyValue(schema, value, "p").diagnostics.map((d) => d.message)).toEqual(messages);
  });

  it("custom constraints run the caller's check", () => {
    const schema = prop.string("s", { constraints: [customConstraint("kiln.server")] });
    const result = validatePropertyValue(schema, "nope", "p", { "kiln.server": (v) => (v === "web" ? undefined : "no such server") });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['the string "nope" is not valid (kiln.server): no such server']);
  });
});
