import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readTemplate, resourceProperties, setProperty } from "./hotDocument";
import { intrinsicValue, readIntrinsic } from "./intrinsics";

const TEMPLATE = `heat_template_version: 2018-08-31
parameters:
  size: {type: number, default: 3}   # kept
resources:
  a:
    type: OS::Heat::RandomString
  b:
    type: OS::Heat::TestResource
    properties:
      value: 'plain'   # quoted on purpose
      fail: false
`;

describe("intrinsic functions as pickers", () => {
  it("reads the three picker functions and nothing else", () => {
    expect(readIntrinsic({ get_param: "size" })).toEqual({ fn: "get_param", parameter: "size" });
    expect(readIntrinsic({ get_resource: "a" })).toEqual({ fn: "get_resource", resource: "a" });
    expect(readIntrinsic({ get_attr: ["a", "value"] })).toEqual({ fn: "get_attr", resource: "a", attribute: "value" });
    expect(readIntrinsic({ get_attr: ["a", "value", "key"] })).toBeUndefined();
    expect(readIntrinsic({ get_param: ["list", 0] })).toBeUndefined();
    expect(readIntrinsic({ list_join: [",", []] })).toBeUndefined();
    expect(readIntrinsic("get_attr")).toBeUndefined();
  });

  it("a picked get_attr replaces the value, makes an edge and leaves every other line as written", () => {
    const out = setProperty(TEMPLATE, "b", "value", intrinsicValue({ fn: "get_attr", resource: "a", attribute: "value" }));
    expect(out).toBe(TEMPLATE.replace("      value: 'plain'   # quoted on purpose\n", "      value: {get_attr: [a, value]} # quoted on purpose\n"));
    expect(readTemplate(out).refs.map((r) => [r.from, r.to, r.kind, r.attribute])).toEqual([["a", "b", "get_attr", "value"]]);
    expect(readIntrinsic(resourceProperties(out, "b")!.values.value)).toEqual({ fn: "get_attr", resource: "a", attribute: "value" });
  });

  it("get_param and get_resource are written in the template's own flow style", () => {
    let out = setProperty(TEMPLATE, "b", "fail", intrinsicValue({ fn: "get_param", parameter: "size" }));
    out = setProperty(out, "b", "other", intrinsicValue({ fn: "get_resource", resource: "a" }));
    expect(parse(out).resources.b.properties).toEqual({ value: "plain", fail: { get_param: "size" }, other: { get_resource: "a" } });
    expect(out).toContain("      fail: {get_param: size}\n");
    expect(out.startsWith(TEMPLATE.slice(0, TEMPLATE.indexOf("      fail")))).toBe(true);
  });
});
