import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { addEntry, readSections, removeEntry, renameCondition, renameOutput, renameParameter, setConstraint, setEntryField, setEntryFieldYaml, setEntryYaml } from "./sections";

const TEMPLATE = `heat_template_version: 2018-08-31
# kept
parameters:
  size:
    type: number   # how many
    default: 3
    constraints:
      - range: { min: 1, max: 9 }
        description: one to nine
resources:
  a:
    type: OS::Heat::RandomString
outputs:
  secret:
    description: The password
    value: { get_attr: [a, value] }
conditions:
  big: { equals: [{ get_param: size }, 9] }
`;

const rest = (text: string, from: string) => text.slice(text.indexOf(from));

describe("template sections", () => {
  it("reads parameters, outputs and conditions as entries", () => {
    const s = readSections(TEMPLATE);
    expect(s.parameters.map((p) => [p.name, p.values.type, p.values.default])).toEqual([["size", "number", 3]]);
    expect(s.parameters[0].values.constraints).toEqual([{ range: { min: 1, max: 9 }, description: "one to nine" }]);
    expect(s.outputs[0].yaml.value).toBe("{ get_attr: [a, value] }");
    expect(s.conditions[0]).toMatchObject({ name: "big", value: { equals: [{ get_param: "size" }, 9] } });
    expect(readSections("resources: {}\n")).toEqual({ parameters: [], outputs: [], conditions: [] });
  });

  it("adds a parameter at the end of its section, and makes the section when there is none or it is {}", () => {
    const out = addEntry(TEMPLATE, "parameters", "name", { type: "string" });
    expect(out).toBe(TEMPLATE.replace("resources:\n", "  name:\n    type: string\nresources:\n"));
    expect(addEntry("parameters: {}\nresources: {}\n", "parameters", "p", { type: "json" })).toBe("parameters:\n  p:\n    type: json\nresources: {}\n");
    expect(addEntry("resources: {}\n", "outputs", "o", { value: "" })).toBe('resources: {}\noutputs:\n  o:\n    value: ""\n');
    expect(() => addEntry(TEMPLATE, "parameters", "size", { type: "string" })).toThrow(/already/);
    expect(() => addEntry(TEMPLATE, "parameters", "9 lives", { type: "string" })).toThrow();
  });

  it("sets and removes an entry's keys, leaving the rest as written", () => {
    let out = setEntryField(TEMPLATE, "parameters", "size", "default", 5);
    expect(out).toBe(TEMPLATE.replace("    default: 3\n", "    default: 5\n"));
    out = setEntryField(out, "parameters", "size", "hidden", true);
    out = setEntryField(out, "parameters", "size", "description", "How many");
    expect(parse(out).parameters.size).toMatchObject({ type: "number", default: 5, hidden: true, description: "How many" });
    expect(out).toContain("    type: number   # how many\n");
    out = setEntryField(out, "parameters", "size", "hidden", undefined);
    expect(parse(out).parameters.size.hidden).toBeUndefined();
    expect(rest(out, "resources:")).toBe(rest(TEMPLATE, "resources:"));
  });

  it("writes an output's value from YAML or a picked function, and a condition from YAML", () => {
    let out = setEntryFieldYaml(TEMPLATE, "outputs", "secret", "value", "{ list_join: ['', [x]] }");
    expect(parse(out).outputs.secret.value).toEqual({ list_join: ["", ["x"]] });
    out = setEntryField(out, "outputs", "secret", "value", { get_resource: "a" });
    expect(out).toContain("    value: { get_resource: a }\n");
    out = setEntryYaml(out, "conditions", "big", "{not: small}");
    expect(parse(out).conditions.big).toEqual({ not: "small" });
    expect(() => setEntryYaml(out, "conditions", "big", "{ nope")).toThrow();
  });

  it("edits, appends and removes constraints", () => {
    let out = setConstraint(TEMPLATE, "size", 0, { range: { min: 2, max: 9 }, description: "two to nine" });
    expect(out).toBe(TEMPLATE.replace("{ min: 1, max: 9 }\n        description: one to nine", "{ min: 2, max: 9 }\n        description: two to nine"));
    out = setConstraint(out, "size", 1, { allowed_values: [2, 4, 8] });
    expect(parse(out).parameters.size.constraints).toEqual([{ range: { min: 2, max: 9 }, description: "two to nine" }, { allowed_values: [2, 4, 8] }]);
    out = setConstraint(setConstraint(out, "size", 0, undefined), "size", 0, undefined);
    expect(parse(out).parameters.size.constraints).toBeUndefined();
    expect(setConstraint("parameters:\n  p:\n    type: string\n", "p", 0, { length: { min: 1 } })).toBe("parameters:\n  p:\n    type: string\n    constraints:\n      - length: {min: 1}\n");
  });

  it("deletes an entry", () => {
    const out = removeEntry(TEMPLATE, "outputs", "secret");
    expect(parse(out).outputs).toEqual({});
    expect(removeEntry(TEMPLATE, "conditions", "big")).not.toContain("big:");
  });

  it("renames a parameter and every get_param of it, in resources, outputs and conditions, and nothing else", () => {
    const text = TEMPLATE.replace("    type: OS::Heat::RandomString\n", "    type: OS::Heat::RandomString\n    properties:\n      length: {get_param: [size, 0]}\n      salt: {get_param: 'size'}\n");
    const out = renameParameter(text, "size", "count");
    expect(out).toBe(
      text
        .replace("  size:\n", "  count:\n")
        .replace("{get_param: [size, 0]}", "{get_param: [count, 0]}")
        .replace("{get_param: 'size'}", "{get_param: 'count'}")
        .replace("{ get_param: size }", "{ get_param: count }"),
    );
    expect(() => renameParameter(TEMPLATE, "size", "9")).toThrow();
    expect(() => renameParameter(addEntry(TEMPLATE, "parameters", "other", { type: "string" }), "size", "other")).toThrow(/already/);
    expect(() => renameParameter(TEMPLATE, "nope", "x")).toThrow(/no parameter/);
  });

  it("renames a condition and what refers to it: condition:, not / and / or, and if", () => {
    const text = `conditions:
  big: {equals: [{get_param: size}, 9]}
  small: {not: big}
  either: {or: [big, {not: "big"}, small]}
resources:
  a:
    type: X
    condition: big
    properties:
      v: {if: [big, 1, 2]}
      w: big
outputs:
  o:
    condition: small
    value: {equals: [big, big]}
`;
    expect(renameCondition(text, "big", "large")).toBe(
      text
        .replace("  big: {equals", "  large: {equals")
        .replace("{not: big}", "{not: large}")
        .replace('{or: [big, {not: "big"}, small]}', '{or: [large, {not: "large"}, small]}')
        .replace("    condition: big", "    condition: large")
        .replace("{if: [big, 1, 2]}", "{if: [large, 1, 2]}"),
    );
  });

  it("renames an output", () => {
    expect(renameOutput(TEMPLATE, "secret", "password")).toBe(TEMPLATE.replace("  secret:\n", "  password:\n"));
    expect(() => renameOutput(TEMPLATE, "nope", "x")).toThrow(/no output/);
  });
});
