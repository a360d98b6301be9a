import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStack, parseTemplate } from "./index";

const dir = join(import.meta.dirname, "..", "templates-corpus");
const files = Object.fromEntries(readdirSync(join(dir, "lib")).map((f) => [`lib/${f}`, readFileSync(join(dir, "lib", f), "utf8")]));
const templates = readdirSync(dir).filter((f) => f.endsWith(".yaml") && !f.endsWith(".env.yaml"));
const environmentFor = (name: string) => {
  const env = name.replace(/\.yaml$/, ".env.yaml");
  return readdirSync(dir).includes(env) ? [{ name: env, content: readFileSync(join(dir, env), "utf8") }] : [];
};

describe("template corpus", () => {
  it("holds at least 15 templates", () => {
    expect(templates.length).toBeGreaterThanOrEqual(15);
  });

  it.each(templates)("%s loads without errors or warnings", (name) => {
    const stack = loadStack({ template: readFileSync(join(dir, name), "utf8"), files, environments: environmentFor(name), stack: { name: "corpus" } });
    expect(stack.diagnostics).toEqual([]);
    expect(Object.keys(stack.resources).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(files).filter((f) => f.endsWith(".yaml")))("provider template %s parses cleanly", (name) => {
    expect(parseTemplate(files[name], { file: name }).diagnostics).toEqual([]);
  });

  it("marks provider-template resources as nested stacks", () => {
    const stack = loadStack({ template: readFileSync(join(dir, "nested-provider.yaml"), "utf8"), files });
    expect(stack.resources.network.providerTemplate).toBe("lib/network.yaml");
    expect(stack.resources.probe.providerTemplate).toBe("lib/app-server.yaml");
    const aliased = loadStack({ template: readFileSync(join(dir, "registry-aliases.yaml"), "utf8"), files, environments: environmentFor("registry-aliases.yaml") });
    expect(aliased.resources.database).toMatchObject({ templateType: "Kiln::Database", providerTemplate: "lib/database.yaml" });
    expect(aliased.resources.router.type).toBe("OS::Neutron::Router");
    expect(aliased.parameters.values).toMatchObject({ db_flavor: "m1.xlarge", admin_password: "from-the-environment" });
  });

  it("the conditions-heavy template switches resources with its parameter", () => {
    const source = readFileSync(join(dir, "conditions-heavy.yaml"), "utf8");
    const dev = loadStack({ template: source });
    const prod = loadStack({ template: source, parameters: { env_type: "prod", enable_backup: "true" } });
    expect(Object.keys(dev.resources)).toEqual(["app_server", "dev_tools"]);
    expect(dev.resources.app_server.properties).toMatchObject({ flavor: "m1.small", availability_zone: "az1", metadata: { env: "dev", debug: "true" } });
    expect(Object.keys(prod.resources)).toEqual(["app_server", "monitor", "backup_volume", "backup_attachment"]);
    expect(prod.resources.app_server.properties.metadata).toEqual({ env: "prod" });
    expect(prod.resources.backup_volume.properties).toEqual({ size: 500 });
  });
});
