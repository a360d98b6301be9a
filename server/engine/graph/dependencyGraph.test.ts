import { describe, expect, it } from "vitest";
import { buildDependencyGraph, type DependencyGraphResource } from "./dependencyGraph";

type Ref = { target: string; attribute?: string };
/** A resource of the test template: name, refs in its properties, depends_on entries. */
function res(name: string, refs: Ref[] = [], dependsOn: string[] = [], attributes?: ReadonlySet<string> | "any"): DependencyGraphResource {
  return {
    type: "OS::Heat::TestResource",
    attributes: attributes ?? new Set(["output", "show"]),
    references: {
      name,
      dependsOn: dependsOn.map((target, i) => ({ target, path: `resources.${name}.depends_on.${i}` })),
      refs: refs.map((r, i) => ({ ...r, path: `resources.${name}.properties.p${i}` })),
    },
  };
}

describe("dependency graph edges (from dependency to dependent)", () => {
  it.each([
    ["depends_on", [res("a"), res("b", [], ["a"])], { from: "a", to: "b", kind: "depends_on", path: "resources.b.depends_on.0" }],
    ["get_resource", [res("a"), res("b", [{ target: "a" }])], { from: "a", to: "b", kind: "get_resource", path: "resources.b.properties.p0" }],
    ["get_attr", [res("a"), res("b", [{ target: "a", attribute: "output" }])], { from: "a", to: "b", kind: "get_attr", attribute: "output", path: "resources.b.properties.p0" }],
    ["get_attr of all attributes", [res("a"), res("b", [{ target: "a", attribute: "*" }])], { from: "a", to: "b", kind: "get_attr", attribute: "*", path: "resources.b.properties.p0" }],
  ])("%s", (_, resources, edge) => {
    const g = buildDependencyGraph(resources);
    expect(g.edges).toEqual([edge]);
    expect(g.diagnostics).toEqual([]);
    expect(g.order).toEqual(["a", "b"]);
  });

  it("lists every resource as a node with its type", () => {
    expect(buildDependencyGraph([res("a"), res("b")]).nodes).toEqual([
      { id: "a", type: "OS::Heat::TestResource" },
      { id: "b", type: "OS::Heat::TestResource" },
    ]);
  });

  it("keeps one edge per kind and attribute when a reference repeats", () => {
    const g = buildDependencyGraph([res("a"), res("b", [{ target: "a" }, { target: "a" }, { target: "a", attribute: "output" }], ["a"])]);
    expect(g.edges.map((e) => e.kind)).toEqual(["depends_on", "get_resource", "get_attr"]);
    expect(g.graph.edges()).toEqual([["a", "b"]]);
  });
});

describe("topological order", () => {
  it("puts every resource after what it depends on, ties in template order", () => {
    const g = buildDependencyGraph([res("web", [{ target: "db" }]), res("db", [{ target: "net" }]), res("net"), res("log"), res("lb", [{ target: "web" }])]);
    expect(g.order).toEqual(["net", "log", "db", "web", "lb"]);
  });
});

describe("cycles are errors listing the cycle in order", () => {
  it("a → b → c → a", () => {
    const g = buildDependencyGraph([res("a", [{ target: "b" }]), res("b", [{ target: "c" }]), res("c", [], ["a"]), res("d", [{ target: "a" }])]);
    expect(g.cycles).toEqual([["a", "b", "c", "a"]]);
    expect(g.diagnostics).toEqual([
      { severity: "error", path: "resources.a.properties.p0", message: "circular dependency: a → b → c → a (each resource depends on the next)" },
    ]);
    expect(g.order).toBeUndefined();
  });

  it("two resources referring to each other", () => {
    const g = buildDependencyGraph([res("x"), res("b", [{ target: "a", attribute: "output" }]), res("a", [{ target: "b" }])]);
    expect(g.diagnostics.map((d) => d.message)).toEqual(["circular dependency: b → a → b (each resource depends on the next)"]);
  });

  it("a resource referring to itself", () => {
    const g = buildDependencyGraph([res("a", [{ target: "a", attribute: "output" }])]);
    expect(g.diagnostics).toEqual([{ severity: "error", path: "resources.a.properties.p0", message: 'resource "a" depends on itself' }]);
  });

  it("each independent cycle once", () => {
    const g = buildDependencyGraph([res("a", [{ target: "b" }]), res("b", [{ target: "a" }]), res("c", [{ target: "d" }]), res("d", [{ target: "c" }])]);
    expect(g.cycles).toEqual([["a", "b", "a"], ["c", "d", "c"]]);
  });
});

describe("references to what does not exist", () => {
  it("an unknown resource in depends_on, with the near miss", () => {
    const g = buildDependencyGraph([res("server"), res("b", [], ["sever"])]);
    expect(g.diagnostics).toEqual([
      {
        severity: "error",
        path: "resources.b.depends_on.0",
        message: 'depends_on in resource "b" refers to unknown resource "sever"; did you mean "server"? (resources in this template: server, b)',
      },
    ]);
    expect(g.edges).toEqual([]);
  });

  it("an unknown resource in get_attr", () => {
    const g = buildDependencyGraph([res("b", [{ target: "zzz", attribute: "output" }])]);
    expect(g.diagnostics.map((d) => d.message)).toEqual(['get_attr in resource "b" refers to unknown resource "zzz" (resources in this template: b)']);
  });

  it("an unknown attribute, naming the ones there are", () => {
    const g = buildDependencyGraph([res("a"), res("b", [{ target: "a", attribute: "outptu" }])]);
    expect(g.diagnostics).toEqual([
      {
        severity: "error",
        path: "resources.b.properties.p0",
        message: 'resource "a" (OS::Heat::TestResource) has no attribute "outptu"; did you mean "output"? (its attributes: output, show)',
      },
    ]);
    expect(g.edges).toHaveLength(1);
  });

  it.each([
    ["unknown types", undefined],
    ["types with dynamic attributes", "any" as const],
  ])("attribute names are not checked on %s", (_, attributes) => {
    const a: DependencyGraphResource = { ...res("a"), type: "My::Provider", attributes };
    delete (a as { attributes?: unknown }).attributes;
    if (attributes) a.attributes = attributes;
    expect(buildDependencyGraph([a, res("b", [{ target: "a", attribute: "anything" }])]).diagnostics).toEqual([]);
  });

  it("attribute names of a nested stack come from the caller (its outputs)", () => {
    const nested = res("n", [], [], new Set(["show", "OS::stack_id", "ip"]));
    expect(buildDependencyGraph([nested, res("b", [{ target: "n", attribute: "ip" }])]).diagnostics).toEqual([]);
    expect(buildDependencyGraph([nested, res("b", [{ target: "n", attribute: "port" }])]).diagnostics).toHaveLength(1);
  });
});

describe("a large stack", () => {
  it("graphs 1000 resources with 3000 references in dependency order (timed by npm run bench)", () => {
    const n = 1000;
    const resources = Array.from({ length: n }, (_, i) =>
      res(
        `r${i}`,
        [1, 2, 3].filter((k) => i - k * 7 >= 0).map((k) => ({ target: `r${i - k * 7}`, attribute: k === 2 ? "output" : undefined })),
      ),
    );
    const g = buildDependencyGraph(resources);
    expect(g.diagnostics).toEqual([]);
    expect(g.order).toHaveLength(n);
    const position = new Map(g.order!.map((name, i) => [name, i]));
    for (const e of g.edges) expect(position.get(e.from)!).toBeLessThan(position.get(e.to)!);
  });
});
