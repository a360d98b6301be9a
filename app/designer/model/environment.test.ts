import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readEnvironment, setParameterDefault, setParameterDefaultYaml, setRegistry } from "./environment";

const ENV = `# production settings

parameter_defaults:
  flavor: m1.large   # bigger
resource_registry:
  My::Server: OS::Heat::None
`;

describe("the launch environment", () => {
  it("reads parameter_defaults and resource_registry", () => {
    const e = readEnvironment(ENV);
    expect(e.defaults.values).toEqual({ flavor: "m1.large" });
    expect(e.registry).toBe("My::Server: OS::Heat::None");
    expect(readEnvironment("")).toEqual({ defaults: { values: {}, yaml: {} }, registry: "" });
    expect(readEnvironment("a: [").syntaxError).toBeTruthy();
  });

  it("sets and removes parameter defaults, starting from nothing and keeping the rest as written", () => {
    expect(setParameterDefault("", "count", 3)).toBe("parameter_defaults:\n  count: 3\n");
    let out = setParameterDefault(ENV, "flavor", "m1.xlarge");
    expect(out).toBe(ENV.replace("m1.large   # bigger", "m1.xlarge # bigger"));
    out = setParameterDefaultYaml(out, "tags", "[a, b]");
    expect(parse(out).parameter_defaults).toEqual({ flavor: "m1.xlarge", tags: ["a", "b"] });
    out = setParameterDefault(setParameterDefault(out, "flavor", undefined), "tags", undefined);
    expect(out).toBe("# production settings\n\nresource_registry:\n  My::Server: OS::Heat::None\n");
  });

  it("replaces or removes the resource registry, and refuses one that is not a map", () => {
    const out = setRegistry(ENV, "My::Server: OS::Heat::TestResource\nMy::Db: OS::Heat::None");
    expect(parse(out).resource_registry).toEqual({ "My::Server": "OS::Heat::TestResource", "My::Db": "OS::Heat::None" });
    expect(out.startsWith("# production settings\n\nparameter_defaults:\n  flavor: m1.large   # bigger\n")).toBe(true);
    expect(parse(setRegistry(ENV, " ")).resource_registry).toBeUndefined();
    expect(() => setRegistry(ENV, "- a")).toThrow(/maps resource types/);
  });
});
