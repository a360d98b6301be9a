/**
 * kiln against a real Kiln server (API and socket.io, no UI) in a child process with its own
 * SQLite database. The first create runs the real executable; the rest run the same command
 * line in-process, which is the same code without a second of start-up each.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "./io";
import { runKiln } from "./run";
import { authHeaders, startServer, TEST_ADMIN_PASSWORD, type ServerProcess } from "../testing/serverProcess";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, "fixtures");

let server: ServerProcess;
let url: string;
let dataDir: string;

type Run = { code: number; stdout: string; stderr: string };
const text = (lines: string[]) => (lines.length ? `${lines.join("\n")}\n` : "");

/** kiln in-process, signed in as the admin through KILN_TOKEN unless `env` says otherwise. */
async function kilnWith(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const io = memoryIo({ cwd: fixtures, env });
  const code = await runKiln([...args, "--url", url], io);
  return { code, stdout: text(io.stdout), stderr: text(io.stderr) };
}

const kiln = (...args: string[]) => kilnWith({ KILN_TOKEN: server.token }, ...args);

function kilnExecutable(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, KILN_URL: "", KILN_TOKEN: server.token };
    execFile(process.execPath, [path.join(here, "kiln.mjs"), ...args, "--url", url], { cwd: fixtures, env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const lines = (s: string) => s.trimEnd().split("\n");

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "kiln-cli-"));
  server = await startServer(`file:${dataDir}/kiln.db`);
  url = server.url;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("kiln against a running server", { timeout: 60_000 }, () => {
  it("creates a stack, following its events live to CREATE_COMPLETE", async () => {
    const r = await kilnExecutable("stack", "create", "s", "-t", "two-resources.yaml", "--parameter", "greeting=hi", "--wait");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const events = lines(r.stdout).filter((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \[/.test(l));
    expect(events[0]).toMatch(/\[s\]: CREATE_IN_PROGRESS/);
    expect(events.at(-1)).toMatch(/\[s\]: CREATE_COMPLETE  Stack CREATE completed successfully$/);
    // The dependency is honoured: first completes before second starts.
    const firstDone = events.findIndex((l) => l.includes("[first]: CREATE_COMPLETE"));
    const secondStarts = events.findIndex((l) => l.includes("[second]: CREATE_IN_PROGRESS"));
    expect(firstDone).toBeGreaterThan(0);
    expect(secondStarts).toBeGreaterThan(firstDone);
    // Then the stack, as openstack prints it.
    expect(r.stdout).toMatch(/\| stack_status +\| CREATE_COMPLETE +\|/);
  });

  it("template warnings are printed on create and update, once, and stay with the stack", async () => {
    const warning = 'resources.pw.properties.sequence (6:7): property "sequence" is deprecated and hidden since Heat 5.0.0: Use property character_classes.';
    const created = await kiln("stack", "create", "warned", "-t", "deprecated-property.yaml");
    expect(created.code).toBe(0);
    expect(created.stderr).toBe(`WARNING ${warning}\n`);
    const updated = await kiln("stack", "update", "warned", "-t", "deprecated-property.yaml", "--wait");
    expect(updated.code).toBe(0);
    expect(lines(updated.stdout).filter((l) => l.startsWith("WARNING"))).toEqual([expect.stringMatching(/^WARNING \S+ \S+ \[pw\]: resources\.pw\.properties\.sequence/)]);
    const kept = await kiln("stack", "event", "list", "warned", "--warnings");
    expect(lines(kept.stdout).filter((l) => l.includes(warning))).toHaveLength(2);
  });

  it("--debug shows debug messages, live with --wait and in the event list", async () => {
    const updated = await kiln("stack", "update", "warned", "-t", "random-string-12.yaml", "--wait", "--debug");
    expect(updated.code).toBe(0);
    const debug = lines(updated.stdout).filter((l) => l.startsWith("DEBUG"));
    expect(debug).toEqual([expect.stringMatching(/^DEBUG \S+ \S+ \[pw\]: replacing pw because /)]);
    expect((await kiln("stack", "event", "list", "warned")).stdout).not.toContain("DEBUG");
    expect((await kiln("stack", "event", "list", "warned", "--debug")).stdout).toContain(debug[0]!.replace(/^DEBUG \S+ \S+ /, ""));
  });

  it("shows the stack as JSON with its id and outputs", async () => {
    const r = await kiln("stack", "show", "s", "--json");
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout);
    expect(st.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(st.stack_status).toBe("CREATE_COMPLETE");
    expect(st.outputs).toEqual([{ output_key: "joined", output_value: "hi-world", description: "The second resource's value" }]);
  });

  it("shows one output, resolved through get_attr", async () => {
    const table = await kiln("stack", "output", "show", "s", "joined");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\| output_value \| hi-world +\|/);
    const value = await kiln("stack", "output", "show", "s", "joined", "--value");
    expect(value.stdout).toBe("hi-world\n");
  });

  it("an output that cannot be resolved shows its error, and output show exits 1", async () => {
    expect((await kiln("stack", "create", "g", "-t", "group-outputs.yaml", "--wait")).code).toBe(0);
    const why = `get_attr: group "group" has no member "5" (its members: 0, 1)`;
    const table = await kiln("stack", "output", "show", "g", "missing");
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/\| output_value +\| None +\|/);
    expect(table.stdout).toContain(`| output_error | ${why} |`);
    const value = await kiln("stack", "output", "show", "g", "missing", "--value");
    expect([value.code, value.stdout, value.stderr]).toEqual([1, "null\n", `kiln: output missing: ${why}\n`]);
    expect((await kiln("stack", "output", "show", "g", "first", "--value")).stdout).toBe("v0\n");
    const shown = JSON.parse((await kiln("stack", "show", "g", "--json")).stdout);
    expect(shown.outputs).toEqual([
      { output_key: "first", output_value: "v0", description: "No description given" },
      { output_key: "missing", output_value: null, description: "Member 5 of a group of two", output_error: why },
    ]);
  });

  it("lists stacks, resources and events", async () => {
    const list = await kiln("stack", "list", "--json");
    expect(JSON.parse(list.stdout).map((s: { "Stack Name": string }) => s["Stack Name"])).toContain("s");
    const resources = await kiln("stack", "resource", "list", "s");
    expect(resources.stdout).toMatch(/\| first +\| \S+ +\| OS::Heat::TestResource \| CREATE_COMPLETE/);
    const events = await kiln("stack", "event", "list", "s");
    expect(lines(events.stdout).at(-1)).toMatch(/\[s\]: CREATE_COMPLETE/);
  });

  it("resource show lists under required_by the resources that depend on it, as Heat does", async () => {
    const field = (out: string, name: string) => lines(out).find((l) => l.startsWith(`| ${name} `));
    const first = await kiln("stack", "resource", "show", "s", "first");
    expect(field(first.stdout, "required_by")).toMatch(/^\| required_by +\| - second +\|$/);
    const second = await kiln("stack", "resource", "show", "s", "second");
    expect(field(second.stdout, "required_by")).not.toContain("first");
    const json = JSON.parse((await kiln("stack", "resource", "show", "s", "first", "--json")).stdout);
    expect(json).toMatchObject({ resource_name: "first", required_by: ["second"] });
  });

  it("a name already taken is the server's error, exit 3", async () => {
    const r = await kiln("stack", "create", "s", "-t", "two-resources.yaml");
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('kiln: A stack named "s" already exists\n');
  });

  it("an invalid template is refused with its problems, exit 1", async () => {
    const r = await kiln("stack", "create", "bad", "-t", "files/main.yaml");
    expect(r.code).toBe(1);
    expect(lines(r.stderr)[0]).toBe("kiln: the template is not valid:");
    expect(r.stderr).toMatch(/ {2}resources\.thing\.type \(\d+:\d+\): unknown resource type "My::Thing"/);
  });

  it("--dry-run lists what changes and what may change, with a summary; unchanged rows only when asked", async () => {
    const r = await kiln("stack", "update", "s", "-t", "two-resources.yaml", "--parameter", "greeting=yo", "--dry-run");
    expect(r.code).toBe(0);
    const rows = lines(r.stdout).filter((l) => l.startsWith("| ") && !l.startsWith("| Change"));
    expect(rows.map((l) => l.split("|").map((c) => c.trim()).slice(1, 3))).toEqual([
      ["updated", "first"],
      ["may change", "second"],
    ]);
    expect(rows[1]).toContain("reads first, which is updated");
    expect(lines(r.stdout).at(-1)).toBe("0 to add, 1 to update, 0 to replace, 1 may change, 0 to delete, 0 unchanged");

    const same = await kiln("stack", "update", "s", "-t", "two-resources.yaml", "--parameter", "greeting=hi", "--dry-run");
    expect(same.stdout).toBe("0 to add, 0 to update, 0 to replace, 0 may change, 0 to delete, 2 unchanged\n");
    const shown = await kiln("stack", "update", "s", "-t", "two-resources.yaml", "--parameter", "greeting=hi", "--dry-run", "--show-unchanged");
    expect(lines(shown.stdout).filter((l) => l.startsWith("| unchanged"))).toHaveLength(2);
    // Nothing was changed by previewing.
    expect((await kiln("stack", "output", "show", "s", "joined", "--value")).stdout).toBe("hi-world\n");
  });

  it("updates with --wait, from the events after the update started", async () => {
    const r = await kiln("stack", "update", "s", "-t", "two-resources.yaml", "--parameter", "greeting=yo", "--wait");
    expect(r.code).toBe(0);
    const events = lines(r.stdout).filter((l) => l.includes("]: "));
    expect(events[0]).toMatch(/\[s\]: UPDATE_IN_PROGRESS/);
    expect(events.some((l) => l.includes("CREATE_"))).toBe(false);
    expect(events.at(-1)).toMatch(/\[s\]: UPDATE_COMPLETE/);
    expect((await kiln("stack", "output", "show", "s", "joined", "--value")).stdout).toBe("yo-world\n");
  });

  it("--existing keeps the parameters not given again; --clear-parameter lets one fall back to its default", async () => {
    const kept = await kiln("stack", "update", "s", "-t", "two-resources.yaml", "--existing", "--wait");
    expect(kept.code).toBe(0);
    expect((await kiln("stack", "output", "show", "s", "joined", "--value")).stdout).toBe("yo-world\n");
    const cleared = await kiln("stack", "update", "s", "-t", "two-resources.yaml", "--existing", "--clear-parameter", "greeting", "--wait");
    expect(cleared.code).toBe(0);
    expect((await kiln("stack", "output", "show", "s", "joined", "--value")).stdout).toBe("hello-world\n");
  });

  it("the API words a malformed request field by field, without the validator's raw output", async () => {
    const res = await fetch(`${url}/api/trpc/stacks.create`, { method: "POST", headers: { "content-type": "application/json", ...authHeaders(server) }, body: JSON.stringify({ name: "", template: 42 }) });
    const body = (await res.json()) as { error: { message: string; data: { httpStatus: number } } };
    expect(body.error.data.httpStatus).toBe(400);
    expect(body.error.message).toMatch(/^Invalid input: /);
    expect(body.error.message).toContain("template: ");
    expect(body.error.message).toContain("name: ");
    expect(body.error.message).not.toContain("[");
  });

  it("deletes with --wait until DELETE_COMPLETE", async () => {
    const r = await kiln("stack", "delete", "s", "--wait", "-y");
    expect(r.code).toBe(0);
    expect(lines(r.stdout).at(-1)).toMatch(/\[s\]: DELETE_COMPLETE/);
    const gone = await kiln("stack", "show", "s");
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain('Stack "s" not found');
  });

  it("a failing stack exits 1 with the reason", async () => {
    const r = await kiln("stack", "create", "f", "-t", "fail.yaml", "--wait");
    expect(r.code).toBe(1);
    expect(lines(r.stdout).at(-1)).toMatch(/\[f\]: CREATE_FAILED  Resource CREATE failed: .*broken/);
    expect(r.stderr).toMatch(/^kiln: stack f CREATE_FAILED: Resource CREATE failed: .*Test Resource failed/);
  });

  it("--json with --wait keeps stdout to one JSON document and the events on stderr", async () => {
    const r = await kiln("stack", "create", "j", "-t", "two-resources.yaml", "--wait", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ stack_name: "j", stack_status: "CREATE_COMPLETE" });
    expect(lines(r.stderr).at(-1)).toMatch(/\[j\]: CREATE_COMPLETE/);
  });

  it("describes resource types", async () => {
    const list = await kiln("resource", "type", "list", "--json");
    expect(JSON.parse(list.stdout)).toContainEqual({ resource_type: "OS::Heat::TestResource" });
    const show = await kiln("resource", "type", "show", "OS::Heat::TestResource");
    expect(show.stdout).toContain("resource_type: OS::Heat::TestResource");
  });
});

describe("signing in from the CLI", { timeout: 60_000 }, () => {
  const config = () => mkdtempSync(path.join(tmpdir(), "kiln-cli-config-"));

  it("without credentials a command says how to get them, and exits 3", async () => {
    const r = await kilnWith({ XDG_CONFIG_HOME: config() }, "stack", "list");
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`kiln: not signed in to ${url}: run kiln login --url ${url} (or set KILN_TOKEN, or KILN_USERNAME and KILN_PASSWORD)\n`);
  });

  it("kiln login keeps a token only its user can read, later commands use it, and kiln logout ends it", async () => {
    const env = { XDG_CONFIG_HOME: config() };
    const wrong = await kilnWith(env, "login", "--username", "admin", "--password", "not-the-password");
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain("wrong user name or password");

    const login = await kilnWith(env, "login", "--username", "admin", "--password", TEST_ADMIN_PASSWORD);
    expect(login.code).toBe(0);
    const file = path.join(env.XDG_CONFIG_HOME, "kiln", "tokens.json");
    expect(login.stderr).toContain(`Signed in to ${url} as admin`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = (JSON.parse(readFileSync(file, "utf8")) as Record<string, { token: string }>)[url]!.token;
    expect((await kilnWith(env, "stack", "list", "--json")).code).toBe(0);

    expect((await kilnWith(env, "logout")).code).toBe(0);
    expect((await kilnWith(env, "stack", "list")).code).toBe(3);
    // The server ended the session too: the old token no longer works anywhere.
    const stale = await kilnWith({ KILN_TOKEN: token }, "stack", "list");
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain("Sign in first");
  });

  it("KILN_USERNAME and KILN_PASSWORD work for any command, as OS_USERNAME and OS_PASSWORD do", async () => {
    const r = await kilnWith({ XDG_CONFIG_HOME: config(), KILN_USERNAME: "admin", KILN_PASSWORD: TEST_ADMIN_PASSWORD }, "stack", "list", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toBeInstanceOf(Array);
  });

  it("an administrator creates a user, a project and a role; the user then sees that project only", async () => {
    expect((await kiln("user", "create", "carol", "--password", "carol-password")).code).toBe(0);
    expect((await kiln("project", "create", "web")).code).toBe(0);
    const role = await kiln("role", "add", "reader", "--user", "carol", "--project", "web");
    expect(role.stdout).toBe("carol is now a reader in web\n");
    const carol = { XDG_CONFIG_HOME: config(), KILN_USERNAME: "carol", KILN_PASSWORD: "carol-password" };
    expect(JSON.parse((await kilnWith(carol, "stack", "list", "--json")).stdout)).toEqual([]);
    const refused = await kilnWith(carol, "project", "create", "mine");
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('This needs the admin role in project "web"; you are a reader there');
  });

  it("an administrator lists users and projects, resets a password, takes a role away and deletes; a user changes their own password", async () => {
    expect((await kiln("user", "create", "dave", "--password", "dave-password")).code).toBe(0);
    expect((await kiln("project", "create", "ops")).code).toBe(0);
    expect((await kiln("role", "add", "member", "--user", "dave", "--project", "ops")).code).toBe(0);
    const users = await kiln("user", "list");
    expect(users.stdout).toMatch(/^\| dave +\| member in ops +\|/m);
    expect((await kiln("project", "list")).stdout).toMatch(/\| ops +\| 1 +\|/);

    const dave = { XDG_CONFIG_HOME: config(), KILN_USERNAME: "dave", KILN_PASSWORD: "dave-password" };
    const changed = await kilnWith(dave, "password", "--current", "dave-password", "--password", "dave-new-password");
    expect(changed).toMatchObject({ code: 0, stdout: "Password changed; your other sessions have ended\n" });
    expect((await kilnWith(dave, "stack", "list")).code).toBe(3);
    const reset = await kiln("user", "set", "dave", "--password", "dave-third-password");
    expect(reset.stdout).toBe("Set the password of dave; their sessions have ended\n");
    expect((await kilnWith({ ...dave, KILN_PASSWORD: "dave-third-password" }, "stack", "list", "--json")).code).toBe(0);

    expect((await kiln("role", "remove", "--user", "dave", "--project", "ops")).stdout).toBe("dave has no role in ops now\n");
    expect((await kiln("project", "delete", "ops")).stdout).toBe("Deleted project ops\n");
    expect((await kiln("user", "delete", "dave")).stdout).toBe("Deleted user dave\n");
    expect((await kiln("user", "list", "--json")).stdout).not.toContain('"dave"');
    const self = await kiln("user", "delete", "admin");
    expect(self.code).toBe(3);
    expect(self.stderr).toContain("You cannot delete the user you are signed in as");
  });
});

describe("kiln software: openstack's software config and deployment verbs", { timeout: 60_000 }, () => {
  const json = async <T>(...args: string[]) => JSON.parse((await kiln(...args, "--json")).stdout) as T;
  type Deployment = { id: string; config_id: string; server_id: string; status: string; output_values: Record<string, unknown> };
  let box = "";
  let hello = "";
  const deployments: Record<string, Deployment> = {};

  it("a stack makes a server and two deployments to it: one NO_SIGNAL, done; one waiting for its signal", async () => {
    expect((await kiln("stack", "create", "sw", "-t", "software.yaml")).code).toBe(0);
    // `told` waits for its server's signal; `quiet` (NO_SIGNAL) does not.
    await expect.poll(async () => (await json<{ resource_status: string }>("stack", "resource", "show", "sw", "told")).resource_status, { timeout: 20_000 }).toBe("CREATE_IN_PROGRESS");
    box = (await json<{ physical_resource_id: string }>("stack", "resource", "show", "sw", "box")).physical_resource_id;
    hello = (await json<{ physical_resource_id: string }>("stack", "resource", "show", "sw", "hello")).physical_resource_id;
    for (const name of ["quiet", "told"]) deployments[name] = await json<Deployment>("software", "deployment", "show", (await json<{ physical_resource_id: string }>("stack", "resource", "show", "sw", name)).physical_resource_id);
    expect([deployments.quiet!.status, deployments.told!.status]).toEqual(["COMPLETE", "IN_PROGRESS"]);
  });

  it("config list: Heat's columns, the stack's config and the configs derived for each deployment", async () => {
    const r = await kiln("software", "config", "list");
    expect(r.code).toBe(0);
    expect(lines(r.stdout)[1]).toMatch(/^\| id +\| name +\| group +\| creation_time +\|$/);
    for (const id of [hello, deployments.quiet!.config_id, deployments.told!.config_id]) expect(r.stdout).toMatch(new RegExp(`^\\| ${id} \\| \\S+ +\\| script \\| \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\|$`, "m"));
    // Newest first, a page at a time.
    const all = await json<{ id: string }[]>("software", "config", "list");
    expect(all.map((c) => c.id).indexOf(hello)).toBeGreaterThan(all.map((c) => c.id).indexOf(deployments.told!.config_id));
    const next = await json<{ id: string }[]>("software", "config", "list", "--limit", "1", "--marker", all[0]!.id);
    expect(next.map((c) => c.id)).toEqual([all[1]!.id]);
  });

  it("config show prints YAML as openstack does; --config-only just the config", async () => {
    const r = await kiln("software", "config", "show", hello);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('config: |\n  #!/bin/sh\n  echo "hello $who"\n');
    expect(r.stdout).toMatch(/^group: script$/m);
    expect(r.stdout).toMatch(new RegExp(`^id: ${hello}$`, "m"));
    expect(lines(r.stdout).filter((l) => /^\w/.test(l)).map((l) => l.split(":")[0])).toEqual(["config", "creation_time", "group", "id", "inputs", "name", "options", "outputs"]);
    const only = await kiln("software", "config", "show", hello, "--config-only");
    expect(only.stdout).toBe('#!/bin/sh\necho "hello $who"\n');
    const missing = await kiln("software", "config", "show", "no-such-config");
    expect([missing.code, missing.stderr]).toEqual([3, "kiln: Software config not found: no-such-config\n"]);
  });

  it("deployment list: Heat's columns, oldest first, of one server with --server; --long adds time and reason", async () => {
    const r = await kiln("software", "deployment", "list", "--server", box);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)[1]).toMatch(/^\| id +\| config_id +\| server_id +\| action +\| status +\|$/);
    const rows = lines(r.stdout).filter((l) => l.includes(box));
    expect(rows).toHaveLength(2);
    expect(rows.find((l) => l.includes(deployments.quiet!.id))).toMatch(/\| CREATE +\| COMPLETE +\|$/);
    expect(rows.find((l) => l.includes(deployments.told!.id))).toMatch(/\| CREATE +\| IN_PROGRESS +\|$/);
    const long = await kiln("software", "deployment", "list", "--server", box, "--long");
    expect(lines(long.stdout)[1]).toMatch(/\| status +\| creation_time +\| status_reason +\|$/);
    expect(long.stdout).toContain("| Not waiting for outputs signal |");
    expect(long.stdout).toContain("| Deploy data available");
    expect((await json<unknown[]>("software", "deployment", "list", "--server", "another-server"))).toEqual([]);
  });

  it("deployment show: Heat's fields; --long adds the outputs", async () => {
    const r = await kiln("software", "deployment", "show", deployments.told!.id);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).filter((l) => /^\| \w/.test(l)).map((l) => l.split("|")[1]!.trim())).toEqual([
      "Field", "id", "server_id", "config_id", "creation_time", "updated_time", "status", "status_reason", "input_values", "action",
    ]);
    expect(r.stdout).toMatch(/\| input_values +\| who: kiln +\|/);
    expect((await kiln("software", "deployment", "show", deployments.told!.id, "--long")).stdout).toMatch(/\| output_values +\| \{\} +\|/);
  });

  it("output show after the server signals as heat-config-notify does: one output, or all with stdout's last lines", async () => {
    const told = deployments.told!;
    // The signal URL is one of the derived config's inputs, as heat-config-notify reads it.
    const config = await json<{ inputs: { name: string; value: unknown }[] }>("software", "config", "show", told.config_id);
    const signalUrl = String(config.inputs.find((i) => i.name === "deploy_signal_id")!.value);
    const stdout = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n");
    const res = await fetch(signalUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ deploy_stdout: stdout, deploy_stderr: "", deploy_status_code: 0, greeting: "hello kiln" }) });
    expect(res.status).toBe(200);
    await expect.poll(async () => (await json<{ stack_status: string }>("stack", "show", "sw")).stack_status, { timeout: 20_000 }).toBe("CREATE_COMPLETE");

    const one = await kiln("software", "deployment", "output", "show", told.id, "greeting");
    expect([one.code, one.stdout]).toEqual([0, "output_value:\n\n  greeting: hello kiln\n"]);
    const all = await kiln("software", "deployment", "output", "show", told.id, "--all");
    expect(all.stdout.startsWith("output_values:\n\n")).toBe(true);
    expect(all.stdout).toContain(`  deploy_stdout: |\n    ...\n${Array.from({ length: 10 }, (_, i) => `    line ${i + 3}`).join("\n")}\n    (truncated, view all with --long)\n`);
    expect(all.stdout).toContain("  deploy_status_code: 0\n");
    expect(all.stdout).toContain("  greeting: hello kiln\n");
    const long = await kiln("software", "deployment", "output", "show", told.id, "--all", "--long");
    expect(long.stdout).toContain(`  deploy_stdout: |\n${Array.from({ length: 12 }, (_, i) => `    line ${i + 1}`).join("\n")}\n  `);

    const neither = await kiln("software", "deployment", "output", "show", told.id);
    expect([neither.code, neither.stderr.split("\n")[0]]).toEqual([2, "kiln: software deployment output show: give either an OUTPUT name or --all"]);
    const unknown = await kiln("software", "deployment", "output", "show", told.id, "nope");
    expect([unknown.code, unknown.stderr]).toEqual([1, `kiln: Output nope does not exist in deployment ${told.id}\n`]);
  });

  it("a reader sees configs and deployments but not the signal URL's token; another project sees none of them", async () => {
    expect((await kiln("user", "create", "rita", "--password", "rita-password")).code).toBe(0);
    expect((await kiln("role", "add", "reader", "--user", "rita", "--project", "admin")).code).toBe(0);
    const rita = { XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), "kiln-cli-config-")), KILN_USERNAME: "rita", KILN_PASSWORD: "rita-password" };
    const told = deployments.told!;
    const shown = await kilnWith(rita, "software", "config", "show", told.config_id, "--json");
    expect(shown.code).toBe(0);
    const signal = (JSON.parse(shown.stdout) as { inputs: { name: string; value: string }[] }).inputs.find((i) => i.name === "deploy_signal_id")!.value;
    expect(signal).toMatch(/\/signal\/\*{6}$/);
    expect((await kilnWith(rita, "software", "deployment", "output", "show", told.id, "greeting")).stdout).toContain("greeting: hello kiln");

    expect((await kiln("project", "create", "elsewhere")).code).toBe(0);
    expect((await kiln("user", "create", "otto", "--password", "otto-password")).code).toBe(0);
    expect((await kiln("role", "add", "member", "--user", "otto", "--project", "elsewhere")).code).toBe(0);
    const otto = { XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), "kiln-cli-config-")), KILN_USERNAME: "otto", KILN_PASSWORD: "otto-password" };
    const foreign = await kilnWith(otto, "software", "deployment", "show", told.id);
    expect([foreign.code, foreign.stderr]).toEqual([3, `kiln: Software deployment not found: ${told.id}\n`]);
    expect(JSON.parse((await kilnWith(otto, "software", "config", "list", "--json")).stdout)).toEqual([]);
    expect(JSON.parse((await kilnWith(otto, "software", "deployment", "list", "--json")).stdout)).toEqual([]);
  });
});
