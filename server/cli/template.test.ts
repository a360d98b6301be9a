import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoryIo } from "./io";
import { runKiln } from "./run";

const cwd = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

async function kiln(...argv: string[]) {
  const io = memoryIo({ cwd });
  const code = await runKiln(argv, io);
  return { code, stdout: io.stdout.join("\n"), stderr: io.stderr.join("\n") };
}

describe("kiln template validate (no server)", () => {
  it("passes a valid template, its provider templates and files, and says what it holds", async () => {
    const r = await kiln("template", "validate", "-t", "files/main.yaml", "-e", "files/env/registry.yaml");
    expect(r).toEqual({ code: 0, stdout: "Template is valid: 4 resources, 1 parameter (count)", stderr: "" });
  });

  it("fails an invalid one with exit 1, each problem as path (line:col): message", async () => {
    const r = await kiln("template", "validate", "-t", "files/main.yaml");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      expect.stringMatching(/^resources\.thing\.type \(\d+:\d+\): unknown resource type "My::Thing"/),
      "Template is not valid: 1 error",
    ]);
  });

  it("checks --parameter values against the template", async () => {
    const r = await kiln("template", "validate", "-t", "two-resources.yaml", "--parameter", "nope=1");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("The Parameter (nope) was not defined in template.");
  });

  it("--json prints the whole result as JSON only", async () => {
    const r = await kiln("template", "validate", "-t", "two-resources.yaml", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect(json.graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(["first", "second"]);
  });

  it("an unreadable template exits 1 naming the file", async () => {
    const r = await kiln("template", "validate", "-t", "missing.yaml");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("missing.yaml: no such file");
  });

  it("a flag it does not take is a usage error (exit 2)", async () => {
    const r = await kiln("template", "validate", "-t", "two-resources.yaml", "--wait");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --wait; allowed: -t/--template, -e/--environment, --parameter, --parameter-file, --json, -h/--help");
  });
});

describe("kiln without a server", () => {
  it("says it cannot reach the server and exits 3, with no stack trace", async () => {
    const r = await kiln("stack", "list", "--url", "http://127.0.0.1:9");
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("kiln: cannot reach Kiln at http://127.0.0.1:9 (is the server running? set --url or KILN_URL)");
  });

  it("takes the server from KILN_URL", async () => {
    const io = memoryIo({ cwd, env: { KILN_URL: "http://127.0.0.1:9/" } });
    expect(await runKiln(["stack", "show", "x"], io)).toBe(3);
    expect(io.stderr[0]).toContain("http://127.0.0.1:9 ");
  });

  it("refuses --clear-parameter without --existing before calling the server (exit 2)", async () => {
    const r = await kiln("stack", "update", "s", "-t", "two-resources.yaml", "--clear-parameter", "greeting", "--url", "http://127.0.0.1:9");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--clear-parameter only applies with --existing");
  });

  it("refuses a --url that is not http(s)", async () => {
    const r = await kiln("stack", "list", "--url", "ftp://x");
    expect(r.code).toBe(2);
  });

  it("--help documents the exit codes", async () => {
    const r = await kiln("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Exit codes:");
    expect(r.stdout).toContain("2  usage error");
  });
});
