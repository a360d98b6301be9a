import { describe, expect, it } from "vitest";
import { isUnresolved } from "../unresolved";
import { loadStack, resolveOutputs, type DeployedValues } from "./index";
import { walkPath } from "./values";

interface Case {
  name: string;
  snippet: unknown;
  version?: string;
  parameters?: Record<string, unknown>;
  given?: Record<string, unknown>;
  conditions?: Record<string, unknown>;
  files?: Record<string, string>;
  result?: unknown;
  error?: string;
  warning?: string;
  noWarnings?: boolean;
}

const resources = {
  server: { type: "OS::Nova::Server" },
  port: { type: "OS::Neutron::Port" },
};

const deployed: DeployedValues = {
  resourceId: (name) => `${name}-id`,
  // A plain resource's attributes: get_attr's path walks into the value (see storedAttributes.ts for the rest).
  attribute: (name, attr, path) => walkPath(attr === "networks" ? { private: ["10.0.0.5", "fd00::5"] } : `${name}.${attr}`, path, null),
  allAttributes: (name) => ({ first_address: `${name}.first_address`, networks: { private: ["10.0.0.5"] } }),
};

/** Resolves `snippet` as an output at run time (with `deployed`), returning its value and the diagnostics. */
function run(c: Case) {
  const template = JSON.stringify({
    heat_template_version: c.version ?? "2021-04-16",
    ...(c.parameters ? { parameters: c.parameters } : {}),
    ...(c.conditions ? { conditions: c.conditions } : {}),
    resources,
    outputs: { o: { value: c.snippet } },
  });
  const stack = loadStack({ template, files: c.files, parameters: c.given, stack: { name: "demo", id: "s-1", projectId: "p-1" } });
  const { outputs, diagnostics } = resolveOutputs(stack.context, deployed);
  return { value: outputs.o?.value, diagnostics: [...stack.diagnostics, ...diagnostics], stack };
}

const cases: Case[] = [
  // get_param
  { name: "get_param walks a path into json", parameters: { j: { type: "json", default: { a: { b: [1, 2, { c: "x" }] } } } }, snippet: { get_param: ["j", "a", "b", 2, "c"] }, result: "x" },
  { name: "get_param path with a missing key gives ''", parameters: { j: { type: "json", default: { a: 1 } } }, snippet: { get_param: ["j", "zz"] }, result: "" },
  { name: "get_param path index given as digits", parameters: { j: { type: "json", default: { b: [1, 2] } } }, snippet: { get_param: ["j", "b", "1"] }, result: 2 },
  { name: "get_param index out of range gives ''", parameters: { j: { type: "json", default: [1] } }, snippet: { get_param: ["j", 9] }, result: "" },
  { name: "get_param into a comma_delimited_list", parameters: { l: { type: "comma_delimited_list", default: "a, b,c" } }, snippet: { get_param: ["l", 1] }, result: " b" },
  // Heat 19 answers "e" and 3: strings are indexed like lists, and a negative index counts from the end.
  { name: "get_param path into a string", parameters: { s: { type: "string", default: "hello" } }, snippet: { get_param: ["s", 1] }, result: "e" },
  { name: "get_param negative index", parameters: { j: { type: "json", default: { b: [1, 2, 3] } } }, snippet: { get_param: ["j", "b", -1] }, result: 3 },
  { name: "get_param of a pseudo parameter", snippet: { get_param: "OS::stack_name" }, result: "demo" },
  { name: "get_param of an undefined parameter", snippet: { get_param: "nope" }, error: `the parameter "nope" is not defined` },
  { name: "get_param without arguments", snippet: { get_param: [] }, error: "must have arguments" },
  { name: "get_param with a number", snippet: { get_param: 5 }, error: "parameter name or a list" },
  // get_resource / get_attr at run time
  { name: "get_resource gives the physical id", snippet: { get_resource: "server" }, result: "server-id" },
  { name: "get_resource of an unknown resource", snippet: { get_resource: "nope" }, error: `reference "nope" (in output o) is incorrect` },
  { name: "get_attr gives the attribute", snippet: { get_attr: ["server", "first_address"] }, result: "server.first_address" },
  { name: "get_attr walks a path", snippet: { get_attr: ["server", "networks", "private", 1] }, result: "fd00::5" },
  { name: "get_attr path past the end gives null", snippet: { get_attr: ["server", "networks", "public", 0] }, result: null },
  { name: "get_attr with the resource only gives every attribute", snippet: { get_attr: ["server"] }, result: { first_address: "server.first_address", networks: { private: ["10.0.0.5"] } } },
  { name: "get_attr with the resource only before 2015-10-15", version: "2015-04-30", snippet: { get_attr: ["server"] }, error: "[resource_name, attribute" },
  { name: "get_attr 2013-05-23 path selects", version: "2013-05-23", snippet: { get_attr: ["server", "networks", "private", "0"] }, result: "10.0.0.5" },
  // get_file
  { name: "get_file reads the files map", files: { "boot.sh": "#!/bin/sh" }, snippet: { get_file: "boot.sh" }, result: "#!/bin/sh" },
  { name: "get_file of a missing file", snippet: { get_file: "x.txt" }, error: `no content found in the "files" section for get_file path: x.txt` },
  // str_replace family
  { name: "str_replace numbers", snippet: { str_replace: { template: "a $x b", params: { $x: 5 } } }, result: "a 5 b" },
  { name: "str_replace maps as JSON", snippet: { str_replace: { template: "a $x b", params: { $x: { k: "v" } } } }, result: `a {"k": "v"} b` },
  { name: "str_replace booleans as Python writes them", snippet: { str_replace: { template: "a $x", params: { $x: true } } }, result: "a True" },
  { name: "str_replace null as empty", snippet: { str_replace: { template: "a $x", params: { $x: null } } }, result: "a " },
  { name: "str_replace longest key first, no re-replacement", snippet: { str_replace: { template: "$ab $a", params: { $a: "X", $ab: "Y$a" } } }, result: "Y$a X" },
  { name: "str_replace before 2015-10-15 rejects maps", version: "2015-04-30", snippet: { str_replace: { template: "a $x", params: { $x: { k: 1 } } } }, error: "params must be strings or numbers; param $x" },
  { name: "str_replace without params", snippet: { str_replace: { template: "x" } }, error: `"template"` },
  { name: "str_replace_strict: every param must occur", snippet: { str_replace_strict: { template: "abc", params: { q: 1, a: 2 } } }, error: "not found in the template: q" },
  { name: "str_replace_strict replaces", snippet: { str_replace_strict: { template: "abc", params: { a: "A" } } }, result: "Abc" },
  { name: "str_replace_vstrict: no empty values", snippet: { str_replace_vstrict: { template: "abc", params: { a: "" } } }, error: "param a has an undefined or empty value" },
  // str_split, list_join
  { name: "str_split", snippet: { str_split: [",", "a,b,,c"] }, result: ["a", "b", "", "c"] },
  { name: "str_split with an index", snippet: { str_split: [",", "a,b,c", 1] }, result: "b" },
  { name: "str_split index out of range", snippet: { str_split: [",", "a,b,c", 7] }, error: "between 0 and 2" },
  { name: "str_split of a number", snippet: { str_split: [",", 1] }, error: "must be a string" },
  { name: "list_join several lists", snippet: { list_join: [", ", ["a", "b"], ["c"]] }, result: "a, b, c" },
  { name: "list_join maps as JSON", snippet: { list_join: [", ", ["a", { x: 1 }]] }, result: `a, {"x": 1}` },
  { name: "list_join null as empty", snippet: { list_join: [",", ["a", null]] }, result: "a," },
  { name: "list_join rejects numbers", snippet: { list_join: [", ", ["a", 1]] }, error: "items to join must be strings, maps or lists, not 1" },
  { name: "list_join of a string", snippet: { list_join: [",", "abc"] }, error: "can only join lists" },
  { name: "list_join takes one list before 2015-10-15", version: "2015-04-30", snippet: { list_join: [",", ["a"], ["b"]] }, error: "[delimiter, list]" },
  // lists and maps
  { name: "list_concat", snippet: { list_concat: [[1, 2], [2, 3]] }, result: [1, 2, 2, 3] },
  { name: "list_concat skips null", snippet: { list_concat: [[1], null] }, result: [1] },
  { name: "list_concat of a non-list", snippet: { list_concat: [[1], 2] }, error: "items to concatenate must be lists" },
  { name: "list_concat_unique keeps first occurrences", snippet: { list_concat_unique: [[1, 2], [2, 3, { a: 1 }], [{ a: 1 }]] }, result: [1, 2, 3, { a: 1 }] },
  { name: "map_merge: later keys win", snippet: { map_merge: [{ a: 1, b: 2 }, { b: 3 }] }, result: { a: 1, b: 3 } },
  { name: "map_merge skips null", snippet: { map_merge: [{ a: 1 }, null] }, result: { a: 1 } },
  { name: "map_merge of a list", snippet: { map_merge: [{ a: 1 }, [1]] }, error: "items to merge must be maps" },
  { name: "map_replace keys and values", snippet: { map_replace: [{ k1: "v1", k2: "v2" }, { keys: { k1: "K1" }, values: { v2: "V2" } }] }, result: { K1: "v1", k2: "V2" } },
  { name: "map_replace collision", snippet: { map_replace: [{ k1: "v1", k2: "v2" }, { keys: { k1: "k2" } }] }, error: "key replacement k2 collides" },
  { name: "map_replace with an unknown key", snippet: { map_replace: [{ a: 1 }, { keyz: {} }] }, error: "map_replace" },
  // repeat
  { name: "repeat nests loops, first placeholder slowest", snippet: { repeat: { template: "<%x%>-<%y%>", for_each: { "<%x%>": ["1", "2"], "<%y%>": ["a", "b"] } } }, result: ["1-a", "1-b", "2-a", "2-b"] },
  { name: "repeat without permutations zips", snippet: { repeat: { template: "<%x%>-<%y%>", for_each: { "<%x%>": ["1", "2"], "<%y%>": ["a", "b"] }, permutations: false } }, result: ["1-a", "2-b"] },
  { name: "repeat without permutations needs equal lengths", snippet: { repeat: { template: "<%x%>", for_each: { "<%x%>": ["1", "2"], "<%y%>": ["a"] }, permutations: false } }, error: "same length" },
  { name: "repeat over a map uses its keys", snippet: { repeat: { template: "<%x%>", for_each: { "<%x%>": { k1: "a", k2: "b" } } } }, result: ["k1", "k2"] },
  { name: "repeat replaces in map keys", snippet: { repeat: { template: { "<%x%>": "v" }, for_each: { "<%x%>": ["a", "b"] } } }, result: [{ a: "v" }, { b: "v" }] },
  { name: "repeat without for_each", snippet: { repeat: { template: "x" } }, error: "for_each" },
  { name: "repeat permutations is not in 2016-10-14", version: "2016-10-14", snippet: { repeat: { template: "x", for_each: { x: ["a"] }, permutations: false } }, error: "for_each" },
  // digest, contains, filter, make_url
  { name: "digest sha256", snippet: { digest: ["sha256", "abc"] }, result: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
  { name: "digest md5", snippet: { digest: ["md5", "abc"] }, result: "900150983cd24fb0d6963f7d28e17f72" },
  { name: "digest with an unknown algorithm", snippet: { digest: ["sha3", "abc"] }, error: "algorithm must be one of" },
  { name: "contains in a list", snippet: { contains: ["a", ["a", "b"]] }, result: true },
  { name: "contains in a string", snippet: { contains: ["a", "abc"] }, result: true },
  { name: "contains in a number", snippet: { contains: [1, 2] }, error: "must be a sequence" },
  { name: "filter removes values", snippet: { filter: [[null, ""], [1, null, "", 2]] }, result: [1, 2] },
  { name: "make_url with IPv6, port, path, query, fragment", snippet: { make_url: { scheme: "https", host: "::1", port: 443, path: "/a b", query: { x: "1 2", y: "z" }, fragment: "f" } }, result: "https://[::1]:443/a%20b?x=1+2&y=z#f" },
  { name: "make_url with credentials", snippet: { make_url: { scheme: "http", host: "h", username: "u", password: "p" } }, result: "http://u:p@h" },
  { name: "make_url without scheme", snippet: { make_url: { host: "h", path: "p" } }, result: "//h/p" },
  { name: "make_url with an unknown key", snippet: { make_url: { scheme: "http", hostx: "h" } }, error: "hostx" },
  { name: "make_url with a bad port", snippet: { make_url: { scheme: "http", host: "h", port: 99999 } }, error: "port 99999" },
  // if
  { name: "if takes the true branch", conditions: { on: true }, snippet: { if: ["on", "a", "b"] }, result: "a" },
  { name: "if with an inline condition", parameters: { e: { type: "string", default: "x" } }, snippet: { if: [{ equals: [{ get_param: "e" }, "x"] }, "a", "b"] }, result: "a" },
  { name: "if without a false branch removes the value (2021-04-16)", snippet: { k: { if: [false, 1] }, j: 2 }, result: { j: 2 } },
  { name: "if without a false branch removes a list item", snippet: [1, { if: [false, 1] }, 3], result: [1, 3] },
  { name: "if needs three arguments before 2021-04-16", version: "2018-08-31", snippet: { if: [false, 1] }, error: "[condition, value_if_true, value_if_false]" },
  { name: "if with an unknown condition", snippet: { if: ["nocond", 1, 2] }, error: `Invalid condition "nocond"` },
  // version gating
  { name: "a function the version lacks is data, with a warning", version: "2014-10-16", snippet: { list_concat: [[1]] }, result: { list_concat: [[1]] }, warning: "introduced in 2017-09-01" },
  { name: "equals outside conditions is data", snippet: { equals: [1, 1] }, result: { equals: [1, 1] } },
  { name: "and/or outside conditions are data without a warning (Aodh composite rules)", snippet: { and: [{ or: [1] }] }, result: { and: [{ or: [1] }] }, noWarnings: true },
  { name: "Fn::Select removed in 2015-10-15", version: "2015-10-15", snippet: { "Fn::Select": [0, [1]] }, error: "The function Fn::Select is not supported in this version of HOT" },
  { name: "Ref removed in 2014-10-16", version: "2014-10-16", snippet: { Ref: "x" }, error: "The function Ref is not supported" },
  { name: "Fn::Select kept in 2014-10-16", version: "2014-10-16", snippet: { "Fn::Select": [1, ["a", "b"]] }, result: "b" },
  { name: "yaql is not supported yet", snippet: { yaql: { expression: "$.data", data: 1 } }, error: "not supported yet" },
  { name: "Fn::GetAtt is CloudFormation only: data, with a warning", version: "2013-05-23", snippet: { "Fn::GetAtt": ["server", "x"] }, result: { "Fn::GetAtt": ["server", "x"] }, warning: "CloudFormation function" },
  { name: "an unknown key is data, silently", snippet: { list_concat_x: [1] }, result: { list_concat_x: [1] } },
  // 2013-05-23 CFN forms
  { name: "Fn::Select from a map", version: "2013-05-23", snippet: { "Fn::Select": ["k", { k: "v" }] }, result: "v" },
  { name: "Fn::Select counts negative indexes from the end", version: "2013-05-23", snippet: { "Fn::Select": [-1, ["a", "b"]] }, result: "b" },
  { name: "filter of null is null", snippet: { filter: [[1], null] }, result: null },
  { name: "Fn::Select out of range gives ''", version: "2013-05-23", snippet: { "Fn::Select": [5, ["a"]] }, result: "" },
  { name: "Fn::Join", version: "2013-05-23", snippet: { "Fn::Join": [",", ["a", "b"]] }, result: "a,b" },
  { name: "Fn::Split", version: "2013-05-23", snippet: { "Fn::Split": [",", "a,b"] }, result: ["a", "b"] },
  { name: "Fn::Replace", version: "2013-05-23", snippet: { "Fn::Replace": [{ a: "X" }, "abc"] }, result: "Xbc" },
  { name: "Fn::Base64 passes the string through, as Heat does", version: "2013-05-23", snippet: { "Fn::Base64": "abc" }, result: "abc" },
  { name: "Fn::MemberListToMap", version: "2013-05-23", snippet: { "Fn::MemberListToMap": ["Name", "Value", [".member.0.Name=k", ".member.0.Value=v"]] }, result: { k: "v" } },
  { name: "Fn::GetAZs", version: "2013-05-23", snippet: { "Fn::GetAZs": "" }, result: ["nova"] },
  { name: "Ref to a parameter", version: "2013-05-23", parameters: { p: { type: "string", default: "v" } }, snippet: { Ref: "p" }, result: "v" },
  { name: "Ref to a resource", version: "2013-05-23", snippet: { Ref: "port" }, result: "port-id" },
  { name: "resource_facade needs a parent", snippet: { resource_facade: "metadata" }, error: "nested in a parent resource" },
  { name: "resource_facade with a bad argument", snippet: { resource_facade: "foo" }, error: "metadata, deletion_policy, update_policy" },
];

describe("intrinsic functions", () => {
  it.each(cases)("$name", (c) => {
    const { value, diagnostics } = run(c);
    const errors = diagnostics.filter((d) => d.severity === "error");
    if (c.error !== undefined) {
      expect(errors.map((d) => d.message).join("\n")).toContain(c.error);
    } else {
      expect(errors).toEqual([]);
      expect(value).toEqual(c.result);
    }
    if (c.noWarnings) expect(diagnostics).toEqual([]);
    if (c.warning !== undefined) expect(diagnostics.filter((d) => d.severity === "warning").map((d) => d.message).join("\n")).toContain(c.warning);
  });
});

describe("validate time", () => {
  const template = `heat_template_version: 2021-04-16
resources:
  net: {type: OS::Neutron::Net}
  port:
    type: OS::Neutron::Port
    depends_on: [net]
    properties:
      network: {get_resource: net}
      name: {list_join: ["-", [port, {get_attr: [net, name]}]]}
      fixed: [a, b]
    metadata:
      all: {get_attr: [net]}
`;

  it("gives Unresolved for resource ids and attributes and records what they point at", () => {
    const stack = loadStack({ template });
    expect(stack.diagnostics).toEqual([]);
    const port = stack.resources.port;
    expect(isUnresolved(port.properties.network)).toBe(true);
    expect(isUnresolved(port.properties.name)).toBe(true);
    expect(port.properties.fixed).toEqual(["a", "b"]);
    expect(stack.references.find((r) => r.name === "port")).toEqual({
      name: "port",
      dependsOn: [{ target: "net", path: "resources.port.depends_on.0" }],
      refs: [
        { target: "net", path: "resources.port.properties.network.get_resource" },
        { target: "net", attribute: "name", path: "resources.port.properties.name.list_join.1.1.get_attr" },
        { target: "net", attribute: "*", path: "resources.port.metadata.all.get_attr" },
      ],
    });
  });

  it("resolves one resource at run time from its dependencies' values", async () => {
    const stack = loadStack({ template });
    const { resolveResource } = await import("./index");
    const context = JSON.parse(JSON.stringify(stack.context));
    const r = resolveResource(context, "port", deployed);
    expect(r.diagnostics).toEqual([]);
    expect(r.resource?.properties).toEqual({ network: "net-id", name: "port-net.name", fixed: ["a", "b"] });
    expect(r.resource?.metadata).toEqual({ all: deployed.allAttributes("net") });
  });

  it("resource_facade answers from the parent resource in a nested stack", () => {
    const stack = loadStack({
      template: "heat_template_version: 2021-04-16\nresources:\n  r:\n    type: X\n    properties:\n      m: {resource_facade: metadata}\n      d: {resource_facade: deletion_policy}\n",
      facade: { metadata: { role: "db" } },
    });
    expect(stack.diagnostics).toEqual([]);
    expect(stack.resources.r.properties).toEqual({ m: { role: "db" }, d: "Delete" });
  });

  it("at run time an output that fails carries its error and the others still resolve", () => {
    const stack = loadStack({ template: "heat_template_version: 2021-04-16\nresources:\n  r: {type: X}\noutputs:\n  bad: {value: {str_split: [',', {get_attr: [r, n]}]}}\n  good: {value: {get_resource: r}}\n" });
    expect(stack.diagnostics).toEqual([]);
    const { outputs } = resolveOutputs(stack.context, { ...deployed, attribute: () => 42 });
    expect(outputs.bad.error).toContain("the value to split must be a string");
    expect(outputs.good).toMatchObject({ value: "r-id" });
  });

  it("reports a function error at its line and column", () => {
    const stack = loadStack({ template: "heat_template_version: 2021-04-16\nresources:\n  a:\n    type: X\n    properties:\n      v: {str_split: [',', 1]}\n" });
    expect(stack.diagnostics).toMatchObject([{ severity: "error", path: "resources.a.properties.v.str_split.1", line: 6, column: 28 }]);
  });
});
