import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CliFailure } from "./exit";
import { gatherTemplate } from "./files";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "files");
const read = (p: string) => readFileSync(path.join(fixtures, p), "utf8");

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-files-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("gathering the files a template refers to", () => {
  it("sends get_file contents and provider templates, and the get_file files of those, keyed as written", () => {
    const s = gatherTemplate("main.yaml", [], fixtures);
    expect(s.template).toBe(read("main.yaml"));
    expect(s.files).toEqual({
      "scripts/boot.sh": read("scripts/boot.sh"),
      "lib/server.yaml": read("lib/server.yaml"),
      // Written in lib/server.yaml, so read from lib/config/app.conf.
      "config/app.conf": read("lib/config/app.conf"),
    });
    expect(s.environment).toEqual([]);
  });

  it("follows an environment's resource_registry to templates, relative to the environment", () => {
    const s = gatherTemplate("main.yaml", ["env/registry.yaml"], fixtures);
    expect(s.environment).toEqual([read("env/registry.yaml")]);
    expect(s.files["../lib/thing.yaml"]).toBe(read("lib/thing.yaml"));
    // thing.yaml's own get_file, relative to lib/.
    expect(s.files["../scripts/boot.sh"]).toBe(read("scripts/boot.sh"));
    // Type aliases, wildcards and per-resource aliases are not files.
    expect(Object.keys(s.files).sort()).toEqual(["../lib/thing.yaml", "../scripts/boot.sh", "config/app.conf", "lib/server.yaml", "scripts/boot.sh"]);
  });

  it("sends the templates a ResourceChain lists, and theirs", () => {
    const dir = tempDir({
      "t.yaml": "resources:\n  chain:\n    type: OS::Heat::ResourceChain\n    properties:\n      resources: [OS::Heat::None, lib/member.yaml]\n",
      "lib/member.yaml": "resources:\n  x: {type: OS::Heat::Value, properties: {value: {get_file: v.txt}}}\n",
      "lib/v.txt": "v",
    });
    expect(gatherTemplate("t.yaml", [], dir).files).toEqual({ "lib/member.yaml": expect.stringContaining("get_file"), "v.txt": "v" });
  });

  it("sends environments as text, in the order given", () => {
    const dir = tempDir({ "t.yaml": "heat_template_version: 2018-08-31\n", "a.yaml": "parameters: {x: 1}\n", "b.yaml": "parameters: {x: 2}\n" });
    expect(gatherTemplate("t.yaml", ["b.yaml", "a.yaml"], dir).environment).toEqual(["parameters: {x: 2}\n", "parameters: {x: 1}\n"]);
  });

  it("leaves URLs to the server", () => {
    const dir = tempDir({
      "t.yaml": "resources:\n  a:\n    type: http://example.com/nested.yaml\n    properties:\n      v: {get_file: 'https://example.com/x.sh'}\n",
    });
    expect(gatherTemplate("t.yaml", [], dir).files).toEqual({});
  });

  it("walks a template referred to twice, or referring to itself, once", () => {
    const dir = tempDir({
      "t.yaml": "resources:\n  a: {type: n.yaml}\n  b: {type: n.yaml}\n",
      "n.yaml": "resources:\n  self: {type: n.yaml}\n  f: {properties: {v: {get_file: f.txt}}}\n",
      "f.txt": "F",
    });
    expect(gatherTemplate("t.yaml", [], dir).files).toEqual({ "n.yaml": readFileSync(path.join(dir, "n.yaml"), "utf8"), "f.txt": "F" });
  });

  it("lists every file it cannot read, saying who refers to it", () => {
    const dir = tempDir({ "t.yaml": "resources:\n  a: {type: gone.yaml}\n  b: {properties: {v: {get_file: gone.txt}}}\n" });
    try {
      gatherTemplate("t.yaml", ["missing-env.yaml"], dir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CliFailure);
      const f = e as CliFailure;
      expect(f.exitCode).toBe(1);
      expect(f.details).toHaveLength(3);
      expect(f.details[0]).toMatch(/^missing-env\.yaml: no such file/);
      expect(f.details.join("\n")).toContain(`gone.yaml (referred to by ${path.join(dir, "t.yaml")}): no such file`);
      expect(f.details.join("\n")).toContain("gone.txt (referred to by");
    }
  });

  it("refuses one name for two different files, since the server keys files by name", () => {
    const dir = tempDir({
      "t.yaml": "resources:\n  a: {type: lib/n.yaml}\n  b: {properties: {v: {get_file: boot.sh}}}\n",
      "boot.sh": "top",
      "lib/n.yaml": "resources:\n  c: {properties: {v: {get_file: boot.sh}}}\n",
      "lib/boot.sh": "nested",
    });
    expect(() => gatherTemplate("t.yaml", [], dir)).toThrow(/cannot read the template's files/);
    try {
      gatherTemplate("t.yaml", [], dir);
    } catch (e) {
      expect((e as CliFailure).details[0]).toMatch(/^"boot\.sh" names two different files/);
    }
  });

  it("sends a template it cannot parse as it is, for the server to report", () => {
    const dir = tempDir({ "t.yaml": "resources: [unclosed\n" });
    expect(gatherTemplate("t.yaml", [], dir)).toEqual({ template: "resources: [unclosed\n", files: {}, environment: [] });
  });
});
