import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinResourceTypes } from "./builtinTypes";
import { openstackResourceTypes } from "./openstack";
import { createBuiltinRegistry, ResourceTypeRegistry } from "./registry";
import { attributeNamesOf, type ResourceTypeSchema } from "./schema";

/** `resource type show` of Heat 19 for each built-in type, descriptions removed (ours are our own words). */
const heat: Record<string, unknown> = JSON.parse(readFileSync(new URL("./fixtures/heatResourceTypes.json", import.meta.url), "utf8"));

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "description").map(([k, v]) => [k, withoutDescriptions(v)]));
  return value;
}

describe("built-in resource types", () => {
  const registry = createBuiltinRegistry();

  it("include every type the issue names", () => {
    expect(registry.names().filter((n) => !openstackResourceTypes.some((t) => t.type === n))).toEqual(Object.keys(heat).sort());
  });

  it.each(Object.keys(heat))("%s shows the same properties, types, defaults, constraints and attributes as Heat", (name) => {
    expect(withoutDescriptions(registry.show(name))).toEqual(heat[name]);
  });

  it.each(builtinResourceTypes.map((t) => [t.type, t] as const))("%s describes itself and every property and attribute", (_, type) => {
    expect(type.description).not.toBe("");
    const show = registry.show(type.type, { withDescription: true })!;
    expect(show.description).toBe(type.description);
    for (const [name, a] of Object.entries(show.attributes)) expect(a.description, name).toMatch(/\w/);
    const walk = (props: Record<string, { description?: string; schema?: Record<string, unknown> }>, top: boolean) => {
      for (const [name, p] of Object.entries(props)) {
        if (top || name !== "*") expect(p.description, name).toMatch(/\w/);
      }
    };
    walk(show.properties as never, true);
  });

  it("every type has the common attribute show", () => {
    for (const type of builtinResourceTypes) {
      const names = attributeNamesOf(type);
      if (names !== "any") expect(names.has("show")).toBe(true);
    }
  });

  it("types whose get_attr names depend on their contents accept any attribute", () => {
    expect(attributeNamesOf(registry.get("OS::Heat::ResourceGroup")!)).toBe("any");
    expect(attributeNamesOf(registry.get("OS::Heat::SoftwareDeployment")!)).toBe("any");
    expect(attributeNamesOf(registry.get("OS::Heat::TestResource")!)).toEqual(new Set(["output", "show"]));
  });
});

describe("resource type registry", () => {
  const registry = createBuiltinRegistry();

  it("lists types sorted, as resource type list does", () => {
    const list = registry.list();
    expect(list[0]).toEqual({ resource_type: "OS::Cinder::Volume" });
    expect(list.map((e) => e.resource_type)).toEqual(registry.names());
  });

  it("filters the list by a name pattern and can add descriptions", () => {
    expect(registry.list({ name: "Wait" }).map((e) => e.resource_type)).toEqual(["OS::Heat::WaitCondition", "OS::Heat::WaitConditionHandle"]);
    expect(registry.list({ name: /^OS::Heat::Value$/, withDescription: true })[0]!.description).toMatch(/expression/);
  });

  it("a filter that backtracks catastrophically is refused at once, not left to hold the process", () => {
    const started = Date.now();
    expect(() => registry.list({ name: "^(?:[\\w:]+)*x$" })).toThrow(/takes too long to match/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("looks up a known type", () => {
    expect(registry.lookup("OS::Heat::None", "resources.a.type").type?.type).toBe("OS::Heat::None");
  });

  it("reports an unknown type at the caller's path and suggests the near miss", () => {
    const { type, diagnostic } = registry.lookup("OS::Heat::RandomStrin", "resources.pw.type");
    expect(type).toBeUndefined();
    expect(diagnostic).toMatchObject({ severity: "error", path: "resources.pw.type" });
    expect(diagnostic!.message).toContain('unknown resource type "OS::Heat::RandomStrin" (did you mean "OS::Heat::RandomString"?)');
  });

  it("shows nothing for an unknown type", () => {
    expect(registry.show("OS::Nova::Serverless")).toBeUndefined();
  });

  it("hides hidden properties from show but keeps them in the schema", () => {
    expect(registry.show("OS::Heat::RandomString")!.properties).not.toHaveProperty("sequence");
    expect(registry.get("OS::Heat::RandomString")!.properties).toHaveProperty("sequence");
  });

  it("refuses to register a name twice", () => {
    const t: ResourceTypeSchema = { type: "X::Y", description: "x", properties: {}, attributes: {}, supportStatus: { status: "SUPPORTED" } };
    expect(() => new ResourceTypeRegistry([t, t])).toThrow(/already registered/);
  });

  it("carries extra behaviour for the engine in its entries", () => {
    const plugin = { ...builtinResourceTypes[0]!, create: () => "created" };
    const engineRegistry = new ResourceTypeRegistry([plugin]);
    expect(engineRegistry.get("OS::Heat::None")!.create()).toBe("created");
  });
});
