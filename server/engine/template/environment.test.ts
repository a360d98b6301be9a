import { describe, expect, it } from "vitest";
import { childEnvironments, loadStack, parseEnvironment, resolveType, restrictedActions, valuesOf } from "./index";

const template = `heat_template_version: 2021-04-16
parameters:
  flavor: {type: string, default: m1.small}
  count: {type: number, default: 1}
  tags: {type: comma_delimited_list, default: ""}
resources:
  server: {type: OS::Nova::Server}
  app: {type: My::App}
  router: {type: OS::Networking::Router}
  db: {type: db.yaml}
`;

describe("environments", () => {
  it("merges files in order: later values win", () => {
    const { environment, diagnostics } = parseEnvironment([
      { name: "base.yaml", content: "parameters: {flavor: m1.large, count: 2}\nparameter_defaults: {count: 5}\n" },
      { name: "prod.yaml", content: "parameters: {count: 3}\n" },
    ]);
    expect(diagnostics).toEqual([]);
    expect(environment.parameters.flavor).toMatchObject({ value: "m1.large", path: "parameters.flavor", file: "base.yaml" });
    expect(environment.parameters.flavor!.position?.()).toEqual({ line: 1, column: 14 });
    expect(environment.parameters.count).toMatchObject({ value: 3, file: "prod.yaml" });
  });

  it("parameter_merge_strategies merge instead of overwriting", () => {
    const { environment } = parseEnvironment([
      "parameter_merge_strategies: {tags: merge, meta: deep_merge}\nparameters: {tags: a, meta: {x: 1, y: {p: 1}}}",
      "parameter_merge_strategies: {tags: merge, meta: deep_merge}\nparameters: {tags: b, meta: {y: {q: 2}}}",
    ]);
    expect(environment.parameters.tags.value).toBe("a,b");
    expect(environment.parameters.meta.value).toEqual({ x: 1, y: { p: 1, q: 2 } });
  });

  it("merge as Heat 19 merges: a strategy holds in later files, strings run on in a string parameter and a map, a list's items join", () => {
    // Heat 19's environment_util.merge_environments on the same files gives these values.
    const template = `heat_template_version: wallaby
parameters:
  Map: {type: json, default: {}}
  Deep: {type: json, default: {}}
  List: {type: comma_delimited_list, default: []}
  Text: {type: comma_delimited_list, default: []}
  Str: {type: string, default: ''}
`;
    const s = loadStack({
      template,
      environments: [
        'parameter_merge_strategies: {Map: merge, Deep: deep_merge, List: merge, Text: merge, Str: merge}\nparameter_defaults:\n  Map: {x: {a: 1}, s: "p"}\n  Deep: {x: {a: 1}, l: [1], s: "p"}\n  List: [a, b]\n  Text: "a,b"\n  Str: foo\n',
        'parameter_merge_strategies: {default: merge, Deep: deep_merge}\nparameter_defaults:\n  Map: {x: {b: 2}, s: "q"}\n  Deep: {x: {b: 2}, l: [2], s: "q"}\n  List: [c]\n  Text: c\n  Str: bar\n',
        "parameter_defaults:\n  Str: baz\n  List: [d]\n  Map: {z: 3}\n",
      ],
    });
    expect(s.diagnostics).toEqual([]);
    expect(s.parameters.values).toMatchObject({
      Map: { x: { b: 2 }, s: "q", z: 3 },
      Deep: { x: { a: 1, b: 2 }, l: [1, 2], s: "pq" },
      List: ["a", "b", "c", "d"],
      Text: ["a", "b", "c"],
      Str: "foobarbaz",
    });
  });

  it("a file naming another merge strategy for a parameter an earlier file merged is refused, naming both", () => {
    const { diagnostics } = parseEnvironment([{ name: "params.yaml", content: "parameter_defaults:\n  Extra: {a: 1}\n" }, { name: "params2.yaml", content: "parameter_merge_strategies: {Extra: deep_merge}\nparameter_defaults:\n  Extra: {b: 2}\n" }]);
    expect(diagnostics).toMatchObject([{ severity: "error", file: "params2.yaml", path: "parameter_defaults.Extra", message: "the merge strategy of Extra is overwrite (set by an earlier environment file); this file cannot make it deep_merge" }]);
  });

  it("a parameter named like an object's built-in member (constructor, toString) is overwritten by a later file like any other", () => {
    const { environment, diagnostics } = parseEnvironment(["parameters: {constructor: a, toString: b}", "parameters: {constructor: c, toString: d}"]);
    expect(diagnostics).toEqual([]);
    expect(valuesOf(environment.parameters)).toEqual({ constructor: "c", toString: "d" });
  });

  it("a template parameter named like an object's built-in member takes its default when no environment file gives it", () => {
    const s = loadStack({
      template: "heat_template_version: 2021-04-16\nparameters:\n  toString: {type: string, default: hello}\n  constructor: {type: string, default: world}\n",
      environments: ["parameter_defaults: {unrelated: 1}", "parameters: {}"],
    });
    expect(s.diagnostics).toEqual([]);
    expect(s.parameters.values).toMatchObject({ toString: "hello", constructor: "world" });
  });

  it("the strategies of a large first environment (parsed once, shared by the nested stacks inheriting it) hold in each later file, and no later file's reach the others", () => {
    const padding = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`Pad${i}`, "x".repeat(20)]));
    const shared = { name: "inherited", content: JSON.stringify({ parameter_merge_strategies: { Tags: "merge" }, parameter_defaults: { Tags: "a", ...padding } }), fromParent: true };
    expect(shared.content.length).toBeGreaterThan(16 * 1024);
    const refused = parseEnvironment([shared, { name: "own.yaml", content: "parameter_merge_strategies: {Tags: overwrite, Fresh: deep_merge}\nparameter_defaults: {Tags: b, Fresh: {a: 1}}\n" }]);
    expect(refused.diagnostics).toMatchObject([{ file: "own.yaml", message: "the merge strategy of Tags is merge (set by an earlier environment file); this file cannot make it overwrite" }]);
    // Fresh was deep_merge in that stack's environment only: another stack's may make it overwrite.
    const other = parseEnvironment([shared, { name: "other.yaml", content: "parameter_merge_strategies: {Fresh: overwrite}\nparameter_defaults: {Tags: c, Fresh: {b: 2}}\n" }]);
    expect(other.diagnostics).toEqual([]);
    expect(valuesOf(other.environment.parameterDefaults)).toMatchObject({ Tags: "a,c", Fresh: { b: 2 } });
  });

  it("given parameters win over environment parameters, which win over parameter_defaults and template defaults", () => {
    const s = loadStack({
      template,
      files: { "db.yaml": "heat_template_version: 2021-04-16" },
      environments: ["parameters: {flavor: m1.large, count: 2}\nparameter_defaults: {count: 9, tags: 'x,y', unknown_is_fine: 1}"],
      parameters: { count: "4" },
    });
    expect(s.diagnostics).toEqual([]);
    expect(s.parameters.values).toMatchObject({ flavor: "m1.large", count: 4, tags: ["x", "y"] });
  });

  it("resource_registry: aliases, wildcards, per-resource mappings and provider templates", () => {
    const s = loadStack({
      template,
      files: { "app.yaml": "heat_template_version: 2021-04-16", "db.yaml": "heat_template_version: 2021-04-16" },
      environments: [
        `resource_registry:
  My::App: app.yaml
  "OS::Networking::*": "OS::Neutron::*"
  resources:
    server: {"OS::Nova::Server": "OS::Heat::None"}
`,
      ],
    });
    expect(s.diagnostics).toEqual([]);
    expect(s.resources.app).toMatchObject({ type: "app.yaml", templateType: "My::App", providerTemplate: "app.yaml" });
    expect(s.resources.router.type).toBe("OS::Neutron::Router");
    expect(s.resources.server.type).toBe("OS::Heat::None");
    expect(s.resources.db).toMatchObject({ type: "db.yaml", providerTemplate: "db.yaml" });
  });

  it("breakpoint hooks are not applied, and a warning at their entry says so; none is said of an empty list", () => {
    const environment = (hooks: string) => [`resource_registry:\n  resources:\n    server:\n      hooks: ${hooks}\n`];
    const s = loadStack({ template, files: { "db.yaml": "heat_template_version: 2021-04-16" }, environments: environment("pre-create") });
    expect(s.diagnostics.map((d) => [d.severity, d.path, d.message])).toEqual([
      ["warning", "resource_registry.resources.server.hooks", expect.stringContaining("hooks are ignored")],
    ]);
    expect(loadStack({ template, files: { "db.yaml": "heat_template_version: 2021-04-16" }, environments: environment("[]") }).diagnostics).toEqual([]);
    // A hook for a resource inside a nested stack is as ignored, and said to be.
    const nested = parseEnvironment(["resource_registry:\n  resources:\n    group:\n      \"0\":\n        server: { hooks: pre-update }\n"]);
    expect(nested.diagnostics.map((d) => [d.severity, d.path])).toEqual([["warning", "resource_registry.resources.group.0.server.hooks"]]);
  });

  it("a per-resource glob matches * and ? and nothing else, however many stars it has, at once; a type is mapped for an exact name only, as in Heat", () => {
    const name = "a".repeat(300);
    const started = Date.now();
    const { environment: env, diagnostics } = parseEnvironment([
      `resource_registry:
  resources:
    "*a*a*a*a*a*a*a*a*b": { restricted_actions: update }
    "a*a?a": { restricted_actions: replace, "OS::Nova::Server": "OS::Heat::None" }
    "x.y": { restricted_actions: [update] }
    xzy: { "OS::Nova::Server": "OS::Heat::TestResource" }
`,
    ]);
    expect(diagnostics).toEqual([]);
    expect(restrictedActions(env, name)).toEqual(["replace"]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(restrictedActions(env, "x.y")).toEqual(["update"]);
    expect(restrictedActions(env, "xzy")).toEqual([]);
    expect(resolveType(env, name, "OS::Nova::Server", {}).type).toBe("OS::Nova::Server");
    // Sets, as Python's fnmatch has them.
    const sets = parseEnvironment([`resource_registry:\n  resources:\n    "k[a-z]y": { restricted_actions: replace }\n    "db[!0-9]": { restricted_actions: update }\n    "[]x]": { restricted_actions: update }\n    "[oops": { restricted_actions: update }\n`]).environment;
    expect([restrictedActions(sets, "key"), restrictedActions(sets, "kEy"), restrictedActions(sets, "dba"), restrictedActions(sets, "db1")]).toEqual([["replace"], [], ["update"], []]);
    expect([restrictedActions(sets, "]"), restrictedActions(sets, "x"), restrictedActions(sets, "[oops"), restrictedActions(sets, "o")]).toEqual([["update"], ["update"], ["update"], []]);
    expect(resolveType(env, "xzy", "OS::Nova::Server", {}).type).toBe("OS::Heat::TestResource");
  });

  it("a later file's null mapping takes an earlier one back, as Heat's does", () => {
    const { environment, diagnostics } = parseEnvironment(["resource_registry:\n  My::T: t.yaml\n", "resource_registry:\n  My::T: null\n"]);
    expect(diagnostics).toEqual([]);
    expect(resolveType(environment, "r", "My::T", { "t.yaml": "" })).toEqual({ type: "My::T" });
  });

  it("parameter_defaults that YAML aliases make larger than 8 MB written out are refused where they are written", () => {
    const { diagnostics } = parseEnvironment([`parameter_defaults:\n  big: &x "${"y".repeat(40_000)}"\n  many: [${Array(250).fill("*x").join(", ")}]\n`]);
    expect(diagnostics).toMatchObject([{ severity: "error", path: "parameter_defaults", message: expect.stringContaining("at most 8 MB") }]);
  });

  it("a provider template missing from files is an error at the resource's type", () => {
    const s = loadStack({ template, environments: ["resource_registry: {My::App: app.yaml}"] });
    expect(s.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ["resources.app.type", expect.stringContaining(`the template "app.yaml" for resource type My::App is not among the submitted files`)],
      ["resources.db.type", expect.stringContaining(`"db.yaml"`)],
    ]);
  });

  it("reports errors with the environment file's name and position", () => {
    const { diagnostics } = parseEnvironment([{ name: "env/prod.yaml", content: "parameters:\n  a: 1\nresource_registy:\n  X: Y\n" }]);
    expect(diagnostics).toEqual([
      { severity: "error", path: "resource_registy", line: 3, column: 1, file: "env/prod.yaml", message: expect.stringContaining(`environment has wrong section "resource_registy"`) },
    ]);
  });

  it("a value in an environment for an undefined parameter is an error in that file", () => {
    const s = loadStack({ template, files: { "db.yaml": "" }, environments: [{ name: "e.yaml", content: "\nparameters:\n  nope: 1\n" }] });
    expect(s.diagnostics).toEqual([{ severity: "error", path: "parameters.nope", file: "e.yaml", line: 3, column: 3, message: "The Parameter (nope) was not defined in template." }]);
  });

  it("an invalid value from an environment names the file", () => {
    const s = loadStack({ template, files: { "db.yaml": "" }, environments: [{ name: "e.yaml", content: "parameters:\n  count: lots\n" }] });
    expect(s.diagnostics).toMatchObject([{ file: "e.yaml", line: 2, message: expect.stringContaining(`Parameter 'count' is invalid: Value "lots" is not a number`) }]);
  });

  it("accepts event_sinks and encrypted_param_names", () => {
    const { environment, diagnostics } = parseEnvironment(["encrypted_param_names: [password]\nevent_sinks: []\n"]);
    expect(diagnostics).toEqual([]);
    expect(environment.encryptedParamNames).toEqual(["password"]);
  });

  it("a registry cycle is an error", () => {
    const s = loadStack({ template, files: { "db.yaml": "" }, environments: ["resource_registry: {My::App: My::Other, My::Other: My::App}"] });
    expect(s.diagnostics.map((d) => d.message).join()).toContain("cycle");
  });
});

describe("what a nested stack inherits (Heat's child environment)", () => {
  const parent = parseEnvironment([
    `resource_registry:
  My::Server: server.yaml
  OS::Nova::Server: my-server.yaml
  "My::Net::*": "OS::Neutron::*"
  resources:
    web*: { inner: { My::Disk: OS::Heat::None }, hooks: pre-create }
    web1: { My::Server: web.yaml, other: { My::Disk: OS::Cinder::Volume } }
    db: { inner: { My::Disk: OS::Heat::TestResource } }
parameters:
  flavor: big
parameter_defaults:
  size: 4
  tags: [a, b]
`,
  ]).environment;
  const files = { "server.yaml": "", "my-server.yaml": "", "web.yaml": "" };
  const inherited = (options: Parameters<ReturnType<typeof childEnvironments>>[0]) => JSON.parse(childEnvironments(parent)(options) ?? "null");

  it("takes the registry and parameter_defaults, not the parameters, and narrows the per-resource part to the resource's own maps", () => {
    expect(inherited({ narrowTo: "web1" })).toEqual({
      resource_registry: {
        "My::Server": "server.yaml",
        "OS::Nova::Server": "my-server.yaml",
        "My::Net::*": "OS::Neutron::*",
        // web* and then web1 itself; the mapping and the hook were for web1, not inside it.
        resources: { inner: { "My::Disk": "OS::Heat::None" }, other: { "My::Disk": "OS::Cinder::Volume" } },
      },
      parameter_defaults: { size: 4, tags: ["a", "b"] },
    });
    expect(inherited({ narrowTo: "app" }).resource_registry.resources).toBeUndefined();
    // A stack given as text (OS::Heat::Stack) gets the whole registry.
    expect(Object.keys(inherited({}).resource_registry.resources)).toEqual(["web*", "web1", "db"]);
  });

  it("leaves out the entry that chose the nested stack's template, global or per resource, and that one only", () => {
    const own = resolveType(parent, "s", "OS::Nova::Server", files);
    expect(own).toMatchObject({ providerTemplate: "my-server.yaml", entry: { type: "OS::Nova::Server" } });
    expect(inherited({ removing: [own.entry!], narrowTo: "s" }).resource_registry).not.toHaveProperty(["OS::Nova::Server"]);
    expect(inherited({ removing: [own.entry!], narrowTo: "s" }).resource_registry).toHaveProperty(["My::Server"], "server.yaml");
    const perResource = resolveType(parent, "web1", "My::Server", files);
    expect(perResource).toMatchObject({ providerTemplate: "web.yaml", entry: { resources: "web1", type: "My::Server" } });
    const whole = inherited({ removing: [perResource.entry!] }).resource_registry;
    expect(whole.resources.web1).toEqual({ other: { "My::Disk": "OS::Cinder::Volume" } });
    expect(whole["My::Server"]).toBe("server.yaml");
    // A type written as a file name came through no entry.
    expect(resolveType(parent, "x", "server.yaml", files).entry).toBeUndefined();
  });

  it("is nothing when there is nothing to inherit", () => {
    expect(childEnvironments(parseEnvironment(["parameters: { a: 1 }"]).environment)({ narrowTo: "x" })).toBeUndefined();
  });

  it("a nested stack's environment may be larger than a file may be, and its large inherited part is merged once and never changed by what follows", () => {
    const defaults = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`p${i}`, "v".repeat(20)]));
    const big = JSON.stringify({ parameter_defaults: defaults, resource_registry: { "My::T": "t.yaml" } });
    expect(big.length).toBeGreaterThan(512 * 1024);
    expect(parseEnvironment([big]).diagnostics[0]?.message).toContain("exceeds the maximum allowed size");
    const load = (parameters: Record<string, unknown>) =>
      parseEnvironment([{ name: "environment 1", content: big, fromParent: true }, { name: "environment 2", content: JSON.stringify({ parameters, parameter_defaults: { p1: "mine" } }), fromParent: true }]);
    const first = load({ a: 1 });
    const second = load({ b: 2 });
    expect(first.diagnostics).toEqual([]);
    expect(Object.keys(first.environment.parameters)).toEqual(["a"]);
    expect(Object.keys(second.environment.parameters)).toEqual(["b"]);
    expect(second.environment.parameterDefaults.p1!.value).toBe("mine");
    expect(second.environment.parameterDefaults.p2!.value).toBe("v".repeat(20));
    // Shared: the same merge, not a copy per nested stack; the later document's writes went to copies.
    expect(second.environment.registry).toBe(first.environment.registry);
    expect(parseEnvironment([{ name: "environment 1", content: big, fromParent: true }]).environment.parameterDefaults.p1!.value).toBe("v".repeat(20));
  });
});

