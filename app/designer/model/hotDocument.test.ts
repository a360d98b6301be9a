import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import fs from "node:fs";
import path from "node:path";
import { addReference, addResource, deleteFromCanvas, freeResourceName, readCarefully, readFast, readTemplate, sameGraph, removeReference, removeResource, renameResource, resourceProperties, setProperty, setPropertyYaml } from "./hotDocument";

// Written the way people write Heat templates, not the way `yaml` prints them.
const TEMPLATE = `heat_template_version: 2018-08-31
# Top comment: kept.
description: >
  Folded description
  over two lines

parameters:
  greeting:
    type: string   # spaced comment
    default: "hello"

resources:
  # the first one
  first:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: greeting}
      action_wait_secs: { create: 2 }
    depends_on:
    - other
  second:
    type: OS::Heat::TestResource
    properties:
      value: {list_join: ['-', [{get_attr: [first, output]}, 'x']]}
      other_ref: { get_resource: other }
  other:
    type: My::Unregistered   # not a registered type
    properties:
      yaql: {yaql: {expression: "$.data.x.select($ + 1)", data: {x: [1,2]}}}
      multi: |
        line one
        line two
outputs:
  out:
    value: { get_attr: [first, output] }
`;

const changedLines = (a: string, b: string) => {
  const x = a.split("\n");
  const y = b.split("\n");
  return y.filter((line, i) => line !== x[i]);
};

describe("reading a template", () => {
  it("finds resources with their types and lines", () => {
    const m = readTemplate(TEMPLATE);
    expect(m.resources).toEqual([
      { name: "first", type: "OS::Heat::TestResource", line: 14 },
      { name: "second", type: "OS::Heat::TestResource", line: 21 },
      { name: "other", type: "My::Unregistered", line: 26 },
    ]);
  });

  it("finds depends_on, get_resource and nested get_attr as edges from the dependency to the dependent", () => {
    const refs = readTemplate(TEMPLATE).refs.map((r) => [r.from, r.to, r.kind, r.attribute, r.pathString]);
    expect(refs).toEqual([
      ["other", "first", "depends_on", undefined, "resources.first.depends_on.0"],
      ["first", "second", "get_attr", "output", "resources.second.properties.value.list_join.1.0.get_attr"],
      ["other", "second", "get_resource", undefined, "resources.second.properties.other_ref.get_resource"],
    ]);
  });

  it("reports syntax errors with a line instead of throwing", () => {
    const m = readTemplate("resources:\n  a: [\n");
    expect(m.syntaxErrors.length).toBeGreaterThan(0);
    expect(m.syntaxErrors[0].line).toBeGreaterThan(0);
  });
});

describe("editing on the canvas", () => {
  it("renaming changes the key and every reference, and nothing else", () => {
    const out = renameResource(TEMPLATE, "first", "alpha");
    expect(changedLines(TEMPLATE, out)).toEqual([
      "  alpha:",
      "      value: {list_join: ['-', [{get_attr: [alpha, output]}, 'x']]}",
      "    value: { get_attr: [alpha, output] }",
    ]);
    expect(out.split("\n").length).toBe(TEMPLATE.split("\n").length);
  });

  it("renaming a depends_on target keeps the list's layout", () => {
    const out = renameResource(TEMPLATE, "other", "base");
    expect(out).toContain("    depends_on:\n    - base\n");
    expect(out).toContain("other_ref: { get_resource: base }");
    expect(out).toContain("  base:\n    type: My::Unregistered   # not a registered type");
  });

  it("refuses a name that is taken or malformed", () => {
    expect(() => renameResource(TEMPLATE, "first", "second")).toThrow(/already exists/);
    expect(() => renameResource(TEMPLATE, "first", "has space")).toThrow();
  });

  it("adding a resource appends it with placeholders for required properties", () => {
    const out = addResource(TEMPLATE, "rnd", "OS::Heat::RandomString", [{ name: "length", type: "integer" }]);
    expect(out.startsWith(TEMPLATE.slice(0, TEMPLATE.indexOf("outputs:")))).toBe(true);
    expect(parse(out).resources.rnd).toEqual({ type: "OS::Heat::RandomString", properties: { length: null } });
    expect(out).toContain("# required integer");
    expect(out.endsWith("outputs:\n  out:\n    value: { get_attr: [first, output] }\n")).toBe(true);
  });

  it("drops a placeholder's `# required` comment once the property has a value, and keeps other comments", () => {
    const added = addResource(TEMPLATE, "rnd", "OS::Heat::RandomString", [{ name: "length", type: "integer" }, { name: "salt", type: "string" }]);
    const set = setProperty(added, "rnd", "length", 12);
    expect(set).toContain("      length: 12\n");
    expect(set).not.toContain("# required integer");
    expect(set).toContain("# required string");
    expect(setPropertyYaml(added, "rnd", "length", "{ get_param: size }")).not.toContain("# required integer");
    const commented = "heat_template_version: 2018-08-31\nresources:\n  a:\n    type: OS::Heat::RandomString\n    properties:\n      length: 8 # short on purpose\n";
    expect(setProperty(commented, "a", "length", 9)).toContain("length: 9 # short on purpose");
  });

  it("adds a resources section to an empty template", () => {
    const out = addResource("heat_template_version: 2018-08-31\n", "a", "OS::Heat::None");
    expect(out).toBe("heat_template_version: 2018-08-31\nresources:\n  a:\n    type: OS::Heat::None\n");
  });

  it("drawing edges writes depends_on, get_resource and get_attr into the dependent", () => {
    let t = "heat_template_version: 2018-08-31\nresources:\n  a:\n    type: OS::Heat::None\n  b:\n    type: OS::Heat::TestResource\n";
    t = addReference(t, "a", "b", { kind: "depends_on" });
    t = addReference(t, "a", "b", { kind: "depends_on" }); // twice is once
    t = addReference(t, "a", "b", { kind: "get_attr", property: "value", attribute: "show" });
    expect(parse(t).resources.b).toEqual({ type: "OS::Heat::TestResource", depends_on: ["a"], properties: { value: { get_attr: ["a", "show"] } } });
    expect(readTemplate(t).refs.map((r) => r.kind)).toEqual(["depends_on", "get_attr"]);
    expect(() => addReference(t, "a", "a", { kind: "depends_on" })).toThrow();
  });

  it("a second depends_on turns a single name into a list", () => {
    let t = "resources:\n  a: {type: X}\n  c: {type: X}\n  b:\n    type: X\n    depends_on: a\n";
    t = addReference(t, "c", "b", { kind: "depends_on" });
    expect(parse(t).resources.b.depends_on).toEqual(["a", "c"]);
  });

  it("deleting an edge removes just that reference", () => {
    const refs = readTemplate(TEMPLATE).refs;
    const dep = removeReference(TEMPLATE, refs[0]);
    expect(parse(dep).resources.first.depends_on).toBeUndefined();
    expect(dep).toContain("# Top comment: kept.");
    const attr = removeReference(TEMPLATE, refs[1]);
    expect(parse(attr).resources.second.properties.value).toEqual({ list_join: ["-", ["x"]] });
    const res = removeReference(TEMPLATE, refs[2]);
    expect(parse(res).resources.second.properties).toEqual({ value: { list_join: ["-", [{ get_attr: ["first", "output"] }, "x"]] } });
  });

  it("deleting a resource removes the references to it from other resources", () => {
    const out = removeResource(TEMPLATE, "other");
    const r = parse(out).resources;
    expect(Object.keys(r)).toEqual(["first", "second"]);
    expect(r.first.depends_on).toBeUndefined();
    expect(r.second.properties.other_ref).toBeUndefined();
    expect(out).toContain("description: >\n  Folded description\n  over two lines\n");
  });

  it("deleting several resources at once removes every reference the others make to any of them", () => {
    const out = deleteFromCanvas(TEMPLATE, ["first", "other"], []);
    expect(Object.keys(parse(out).resources)).toEqual(["second"]);
    expect(parse(out).resources.second.properties).toEqual({ value: { list_join: ["-", ["x"]] } });
    expect(readTemplate(out).refs).toEqual([]);
    expect(out).toContain("# Top comment: kept.");
  });

  it("setting properties keeps a scalar's quoting and accepts YAML for functions", () => {
    let t = setProperty(TEMPLATE, "first", "value", "bye");
    expect(t).toContain("      value: bye\n");
    t = setPropertyYaml(t, "first", "value", "{get_attr: [other, x]}");
    expect(parse(t).resources.first.properties.value).toEqual({ get_attr: ["other", "x"] });
    t = setProperty(t, "first", "value", undefined);
    expect(parse(t).resources.first.properties.value).toBeUndefined();
    expect(() => setPropertyYaml(t, "first", "value", "{ nope")).toThrow();
  });

  it("reads a resource's properties as values and as YAML, as written", () => {
    const p = resourceProperties(TEMPLATE, "first");
    expect(p?.type).toBe("OS::Heat::TestResource");
    expect(p?.values.action_wait_secs).toEqual({ create: 2 });
    expect(p?.yaml.value).toBe("{get_param: greeting}");
  });

  it("picks free names from the type", () => {
    expect(freeResourceName(TEMPLATE, "OS::Heat::RandomString")).toBe("random_string");
    const t = addResource(TEMPLATE, "random_string", "OS::Heat::RandomString");
    expect(freeResourceName(t, "OS::Heat::RandomString")).toBe("random_string_2");
  });
});

describe("the fast read of the graph", () => {
  const corpus = path.join(import.meta.dirname, "../../../server/engine/templates-corpus");
  const corpusTemplates = [...fs.readdirSync(corpus), ...fs.readdirSync(path.join(corpus, "lib")).map((f) => `lib/${f}`)]
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => [f, fs.readFileSync(path.join(corpus, f), "utf8")] as const);
  const written = [
    ["this file's template", TEMPLATE],
    ["names quoted, with colons and spaces, comments and blank lines between", `resources:\n  'a b':\n    type: X\n\n  # between\n  "c:d": # after\n    type: Y\n    depends_on: 'a b'\n  e:f:\n    type: Z\n    properties: {x: {get_attr: ["c:d", out, 0]}}\n`],
    ["a block scalar whose lines sit where names would", `resources:\n  a:\n    type: X\n    properties:\n      script: |\n        b:\n        c: 1\n  b:\n    type: Y\n    depends_on: [a]\noutputs:\n  o: {value: {get_resource: b}}\n`],
    ["Windows line ends", "resources:\r\n  a:\r\n    type: X\r\n  b:\r\n    type: Y\r\n    properties: {v: {get_resource: a}}\r\n"],
    ["attributes that are not text", `resources:\n  a: {type: X}\n  b:\n    type: Y\n    properties:\n      v: {get_attr: [a, 1]}\n      w: {get_attr: [a, null]}\n      t: {get_attr: [a, true]}\n`],
    ["no resources", "heat_template_version: 2018-08-31\n"],
  ] as const;

  it.each([...corpusTemplates, ...written])("reads %s as the Document does", (_, text) => {
    const fast = readFast(text);
    if (fast) expect(fast).toEqual(readCarefully(text));
    expect(readTemplate(text)).toEqual(readCarefully(text));
  });

  it("reads block-style templates without the Document, and leaves the rest to it", () => {
    for (const [name, text] of written) expect(readFast(text), name).toBeDefined();
    expect(corpusTemplates.filter(([, text]) => readFast(text)).length).toBeGreaterThan(corpusTemplates.length * 0.7);
    // Flow-style resources, an anchor, a name the YAML 1.2 schema reads as a number, a duplicate name, broken YAML:
    const careful = [
      "resources: {a: {type: X}, b: {type: Y, depends_on: a}}\n",
      "resources:\n  a: &shared\n    type: X\n  b: *shared\n",
      "resources:\n  2:\n    type: X\n  1:\n    type: Y\n",
      "resources:\n  a:\n    type: X\n  a:\n    type: Y\n",
      "resources:\n  a:\n    type: [X\n",
    ];
    careful.push("%YAML 1.1\n---\nresources:\n  on:\n    type: X\n");
    for (const text of careful) {
      expect(readFast(text), text).toBeUndefined();
      expect(readTemplate(text)).toEqual(readCarefully(text));
    }
  });
});

describe("where the fast read and the Document differ", () => {
  it("a name with a long run of spaces in it is scanned in linear time", () => {
    const text = `resources:\n  a${" ".repeat(200_000)}b:\n    type: X\n`;
    const started = Date.now();
    readFast(text);
    // The backtracking pattern this replaced took 10 s at 120 KB; this is a hang guard, not a benchmark.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("edits read the references as the Document does: a property key js-yaml reads as a number keeps its reference's path", () => {
    const text = "resources:\n  a:\n    type: X\n  b:\n    type: Y\n    properties: {0b1: {get_resource: a}, c: 1}\n";
    expect(deleteFromCanvas(text, ["a"], [])).not.toContain("get_resource");
  });

  it("text js-yaml takes but the Document refuses has its syntax error in the Document's read, so the two reads differ", () => {
    const text = 'resources:\n  web:\n    type: X\n    properties:\n      value: "web"# no space\n';
    expect(readCarefully(text).syntaxErrors).not.toEqual([]);
    expect(sameGraph(readTemplate(text), readCarefully(text))).toBe(false);
  });
});
