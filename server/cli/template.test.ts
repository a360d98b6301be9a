import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

  it("a problem in an -e file names that file, as it was given, not its place", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kiln-env-names-"));
    writeFileSync(path.join(dir, "ok.yaml"), "parameter_defaults: {}\n");
    writeFileSync(path.join(dir, "bad.yaml"), "# the second file\nparameters:\n  nope: 1\n");
    const r = await kiln("template", "validate", "-t", "two-resources.yaml", "-e", path.join(dir, "ok.yaml"), "-e", path.join(dir, "bad.yaml"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`parameters.nope (${path.join(dir, "bad.yaml")}:3:3): The Parameter (nope) was not defined in template.`);
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

describe("kiln template validate of hostile files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-hostile-"));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it("a 20 KB, 10,000-deep JSON template is a clear error with exit 1, not out of memory", async () => {
    const n = 10_000;
    const t = file("deep.json", `{"heat_template_version": "2018-08-31", "outputs": {"o": {"value": ${"[".repeat(n)}${"]".repeat(n)}}}}`);
    const r = await kiln("template", "validate", "-t", t);
    expect(r).toEqual({ code: 1, stdout: "template (1:165): nested more than 100 levels deep; at most 100 levels of lists and maps are allowed\nTemplate is not valid: 1 error", stderr: "" });
  });

  it("get_file of /dev/zero, a FIFO or a directory is refused with exit 1, without reading it", async () => {
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const t = file("devices.yaml", `heat_template_version: 2018-08-31\noutputs:\n  z: {value: {get_file: /dev/zero}}\n  f: {value: {get_file: ${fifo}}}\n  d: {value: {get_file: ${dir}}}\n`);
    const r = await kiln("template", "validate", "-t", t);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")).toEqual([
      "kiln: cannot read the template's files:",
      "  /dev/zero (referred to by " + t + "): not a regular file (a device, pipe or socket): /dev/zero",
      `  ${fifo} (referred to by ${t}): not a regular file (a device, pipe or socket): ${fifo}`,
      `  ${dir} (referred to by ${t}): is a directory: ${dir}`,
    ]);
  });

  it("a file whose size says 0 but whose content never ends (/proc) is read no further than the limit", async () => {
    const t = file("proc.yaml", `heat_template_version: 2018-08-31\noutputs:\n  p: {value: {get_file: /proc/self/pagemap}}\n`);
    const r = await kiln("template", "validate", "-t", t);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("/proc/self/pagemap (referred to by " + t + "): the file is over 1 MB; at most 1 MB is allowed");
  });

  it("a template, environment or file over 1 MB is refused with exit 1, naming its size", async () => {
    const big = file("big.txt", "x".repeat(1024 * 1024 + 1));
    const t = file("refers.yaml", `heat_template_version: 2018-08-31\noutputs:\n  b: {value: {get_file: big.txt}}\n`);
    const r = await kiln("template", "validate", "-t", t, "-e", big);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${big}: the file is over 1 MB; at most 1 MB is allowed: ${big}`);
    expect(r.stderr).toContain(`big.txt (referred to by ${t}): the file is over 1 MB; at most 1 MB is allowed`);
    expect((await kiln("template", "validate", "-t", "/dev/zero")).stderr).toContain("/dev/zero: not a regular file");
  });
});

describe("kiln without a server", () => {
  it("says it cannot reach the server and exits 3, with no stack trace", async () => {
    const r = await kiln("stack", "list", "--url", "http://127.0.0.1:9", "--token", "any");
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

describe("kiln template validate and the cloud", () => {
  it("says which values it did not look up in a cloud, since it asks none", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kiln-validate-"));
    const file = path.join(dir, "server.yaml");
    writeFileSync(file, "heat_template_version: 2018-08-31\nresources:\n  server: { type: OS::Nova::Server, properties: { image: cirros, flavor: m1.tiny } }\n");
    const r = await kiln("template", "validate", "-t", file);
    expect(r).toEqual({
      code: 0,
      stdout: [
        "Cloud lookups skipped (offline): 2 values not checked against a cloud: resources.server.properties.image 'cirros' (glance.image), resources.server.properties.flavor 'm1.tiny' (nova.flavor)",
        "Template is valid: 1 resource, 0 parameters",
      ].join("\n"),
      stderr: "",
    });
  });
});
