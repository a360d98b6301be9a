import { describe, expect, it } from "vitest";
import { acceptedVersions, loadStack, parseTemplate } from "./index";
import { findVersion } from "./versions";

const messages = (source: string, opts = {}) => parseTemplate(source, opts).diagnostics.map((d) => d.message);

describe("versions", () => {
  it("accepts every dated and named version Heat accepts", () => {
    expect(acceptedVersions).toEqual([
      "2013-05-23", "2014-10-16", "2015-04-30", "2015-10-15", "2016-04-08", "2016-10-14", "2017-02-24", "2017-09-01",
      "2018-03-02", "2018-08-31", "2021-04-16", "newton", "ocata", "pike", "queens", "rocky", "wallaby",
    ]);
    for (const v of acceptedVersions) expect(parseTemplate(`heat_template_version: ${v}\n`).diagnostics).toEqual([]);
  });

  it("an unknown version is an error listing the accepted ones", () => {
    const [d] = parseTemplate("heat_template_version: 2020-01-01\n").diagnostics;
    expect(d).toMatchObject({ path: "heat_template_version", line: 1, column: 1 });
    expect(d.message).toContain(`"heat_template_version: 2020-01-01"`);
    expect(d.message).toContain("2013-05-23, 2014-10-16");
    expect(d.message).toContain("wallaby");
  });

  it("a missing version is an error; CloudFormation templates are named as such", () => {
    expect(messages("resources: {}\n")[0]).toContain("heat_template_version");
    expect(messages("AWSTemplateFormatVersion: '2010-09-09'\n")[0]).toContain("CloudFormation");
  });

  // Each version has exactly its own functions (checked against Heat's own tables).
  it.each([
    ["2013-05-23", ["Fn::Base64", "Fn::GetAZs", "Fn::Join", "Fn::MemberListToMap", "Fn::Replace", "Fn::ResourceFacade", "Fn::Select", "Fn::Split", "Ref", "get_attr", "get_file", "get_param", "get_resource", "list_join", "resource_facade", "str_replace"]],
    ["2014-10-16", ["Fn::Select", "get_attr", "get_file", "get_param", "get_resource", "list_join", "resource_facade", "str_replace"]],
    ["2015-04-30", ["Fn::Select", "digest", "get_attr", "get_file", "get_param", "get_resource", "list_join", "repeat", "resource_facade", "str_replace"]],
    ["2015-10-15", ["digest", "get_attr", "get_file", "get_param", "get_resource", "list_join", "repeat", "resource_facade", "str_replace", "str_split"]],
    ["2016-04-08", ["digest", "get_attr", "get_file", "get_param", "get_resource", "list_join", "map_merge", "repeat", "resource_facade", "str_replace", "str_split", "yaql"]],
    ["newton", ["digest", "get_attr", "get_file", "get_param", "get_resource", "if", "list_join", "map_merge", "map_replace", "repeat", "resource_facade", "str_replace", "str_split", "yaql"]],
    ["ocata", ["digest", "filter", "get_attr", "get_file", "get_param", "get_resource", "if", "list_join", "map_merge", "map_replace", "repeat", "resource_facade", "str_replace", "str_replace_strict", "str_split", "yaql"]],
    ["pike", ["contains", "digest", "filter", "get_attr", "get_file", "get_param", "get_resource", "if", "list_concat", "list_concat_unique", "list_join", "make_url", "map_merge", "map_replace", "repeat", "resource_facade", "str_replace", "str_replace_strict", "str_replace_vstrict", "str_split", "yaql"]],
    ["2018-03-02", ["contains", "digest", "filter", "get_attr", "get_file", "get_param", "get_resource", "if", "list_concat", "list_concat_unique", "list_join", "make_url", "map_merge", "map_replace", "repeat", "resource_facade", "str_replace", "str_replace_strict", "str_replace_vstrict", "str_split", "yaql"]],
    ["wallaby", ["contains", "digest", "filter", "get_attr", "get_file", "get_param", "get_resource", "if", "list_concat", "list_concat_unique", "list_join", "make_url", "map_merge", "map_replace", "repeat", "resource_facade", "str_replace", "str_replace_strict", "str_replace_vstrict", "str_split", "yaql"]],
  ])("%s has exactly its functions", (version, functions) => {
    expect([...(findVersion(version)?.functions.keys() ?? [])].sort()).toEqual([...functions].sort());
  });

  it.each([
    ["newton", ["and", "equals", "get_param", "not", "or"]],
    ["pike", ["and", "contains", "equals", "get_param", "not", "or", "yaql"]],
  ])("%s has exactly its condition functions", (version, functions) => {
    expect([...(findVersion(version)?.conditionFunctions ?? [])].sort()).toEqual(functions);
  });
});

describe("sections and keys", () => {
  it("an unknown section is an error naming the allowed ones", () => {
    const d = parseTemplate("heat_template_version: 2021-04-16\nresourcez: {}\n").diagnostics;
    expect(d).toMatchObject([{ path: "resourcez", line: 2, column: 1, message: expect.stringContaining("The template section is invalid: resourcez. Allowed sections: heat_template_version, description, parameter_groups, parameters, resources, outputs, conditions") }]);
  });

  it("an unknown resource key is an error naming the allowed ones, at its line", () => {
    const d = parseTemplate("heat_template_version: 2021-04-16\nresources:\n  r:\n    type: X\n    propertiez: {}\n").diagnostics;
    expect(d).toEqual([{
      severity: "error", path: "resources.r.propertiez", line: 5, column: 5,
      message: `"propertiez" is not a valid keyword inside a resource definition; allowed: type, properties, metadata, depends_on, deletion_policy, update_policy, description, condition, external_id`,
    }]);
  });

  it("condition and external_id are not resource keys before 2016-10-14", () => {
    expect(messages("heat_template_version: 2016-04-08\nresources:\n  r: {type: X, condition: c}\n")[0]).toContain(`"condition" is not a valid keyword`);
  });

  it.each([
    ["a resource without type", "r: {properties: {}}", "Resource r has no type"],
    ["properties that are not a map", "r: {type: X, properties: [1]}", "properties of resource r must be a map"],
    ["depends_on on an unknown resource", "r: {type: X, depends_on: nope}", `The specified reference "nope" (in r) is incorrect`],
    ["a bad depends_on", "r: {type: X, depends_on: {a: 1}}", "must be a resource name or a list"],
    ["an invalid deletion policy", "r: {type: X, deletion_policy: Keep}", `Invalid deletion policy "Keep"`],
  ])("%s is an error", (_name, resource, message) => {
    expect(messages(`heat_template_version: 2021-04-16\nresources:\n  ${resource}\n`).join("\n")).toContain(message);
  });

  it("deletion policies are case-insensitive, as in Heat", () => {
    const { template } = parseTemplate("heat_template_version: 2021-04-16\nresources:\n  r: {type: X, deletion_policy: retain}\n");
    expect(template?.resources[0].deletionPolicy).toBe("Retain");
  });

  it("outputs: only value, description, condition; value is required", () => {
    expect(messages("heat_template_version: 2021-04-16\noutputs:\n  o: {value: 1, foo: 2}\n")[0]).toContain(`"foo" is not a valid keyword inside an output definition; allowed: value, description, condition`);
    expect(messages("heat_template_version: 2021-04-16\noutputs:\n  o: {description: x}\n")[0]).toContain("Each output definition must contain a value key");
  });
});

describe("sources", () => {
  it("accepts JSON templates", () => {
    const { template, diagnostics } = parseTemplate(`{"heat_template_version": "2018-08-31",\n "resources": {"r": {"type": "X", "propertiez": 1}}}`);
    expect(template?.version.date).toBe("2018-08-31");
    expect(diagnostics).toMatchObject([{ path: "resources.r.propertiez", line: 2, column: 35 }]);
  });

  it("reports YAML syntax errors with a position", () => {
    const [d] = parseTemplate("heat_template_version: 2021-04-16\nresources:\n  r: {type: X\n").diagnostics;
    expect(d).toMatchObject({ severity: "error", line: expect.any(Number), column: expect.any(Number) });
  });

  it("reports duplicate keys", () => {
    expect(messages("heat_template_version: 2021-04-16\nresources: {}\nresources: {}\n")[0]).toContain("unique");
  });

  it("reads YAML as Heat does: yes/on are booleans, y/n and dates are strings", () => {
    const s = loadStack({ template: "heat_template_version: 2021-04-16\nresources:\n  r: {type: X, properties: {a: yes, b: off, c: n, d: 2020-01-01}}\n" });
    expect(s.resources.r.properties).toEqual({ a: true, b: false, c: "n", d: "2020-01-01" });
  });

  it("puts the file name on provider template diagnostics", () => {
    expect(parseTemplate("heat_template_version: 1\n", { file: "nested.yaml" }).diagnostics[0].file).toBe("nested.yaml");
  });
});

describe("limits", () => {
  it("refuses a template over the size limit", () => {
    expect(messages(`heat_template_version: 2021-04-16\ndescription: ${"x".repeat(600 * 1024)}\n`)[0]).toMatch(/Template size \(\d+ bytes\) exceeds the maximum allowed size \(524288 bytes\)/);
    expect(messages("heat_template_version: 2021-04-16\n", { limits: { maxTemplateBytes: 10 } })[0]).toContain("(10 bytes)");
  });

  it("refuses stacks nested deeper than allowed", () => {
    expect(loadStack({ template: "heat_template_version: 2021-04-16\n", depth: 6 }).diagnostics[0].message).toContain("Recursion depth exceeds 5");
    expect(loadStack({ template: "heat_template_version: 2021-04-16\n", depth: 5 }).diagnostics).toEqual([]);
  });
});
