/**
 * `kiln … --json` against `openstack … -f json` (Debian's openstack CLI with python-heatclient,
 * pointed at the same Kiln's Heat API): the same keys for every command both have, so a
 * script written for Heat reads kiln's output unchanged. Needs python3-openstackclient and
 * python3-heatclient (.ci/run installs them).
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { memoryIo } from "./io";
import { runKiln } from "./run";
import { serverForSuite } from "../testing/suiteServer";

const run = promisify(execFile);
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
// openstack keeps a cache under its HOME: a directory of its own, not the repository's fixtures.
const home = mkdtempSync(path.join(tmpdir(), "kiln-openstack-home-"));
// The admin's own project, which kiln acts in; openstack sends the admin's Kiln token.
const PROJECT = "admin";
const server = serverForSuite("openstack-json");

type Json = Record<string, unknown>;

async function kiln<T = Json>(...args: string[]): Promise<T> {
  const io = memoryIo({ cwd: fixtures, env: { KILN_TOKEN: server().token } });
  const code = await runKiln([...args, "--json", "--url", server().url], io);
  if (code !== 0) throw new Error(`kiln ${args.join(" ")} exited ${code}: ${io.stderr.join("\n")}`);
  return JSON.parse(io.stdout.join("\n")) as T;
}

async function openstack<T = Json>(...args: string[]): Promise<T> {
  const endpoint = ["--os-auth-type", "admin_token", "--os-token", server().token, "--os-endpoint", `${server().url}/v1/${PROJECT}`];
  const env = { PATH: "/usr/bin:/bin", HOME: home } as unknown as NodeJS.ProcessEnv;
  const { stdout } = await run("/usr/bin/openstack", [...endpoint, ...args, "-f", "json"], { cwd: fixtures, env, timeout: 90_000 });
  // With --wait, the events come first; the document is the rest.
  return JSON.parse(stdout.slice(stdout.search(/^[[{]/m))) as T;
}

const keys = (v: Json | Json[]) => Object.keys(Array.isArray(v) ? v[0]! : v).sort();

describe("kiln --json prints the keys openstack -f json prints", { timeout: 120_000 }, () => {
  it("stack create --wait, stack show, stack list, stack check", async () => {
    const ours = await kiln("stack", "create", "by-kiln", "-t", "two-resources.yaml", "--wait");
    const theirs = await openstack("stack", "create", "by-openstack", "-t", "two-resources.yaml", "--wait");
    expect(keys(ours)).toEqual(keys(theirs));
    expect(ours).toMatchObject({ stack_name: "by-kiln", stack_status: "CREATE_COMPLETE", updated_time: null });

    const shown = await kiln("stack", "show", "by-kiln");
    const heat = await openstack("stack", "show", "by-kiln");
    expect(keys(shown)).toEqual(keys(heat));
    expect(shown.outputs).toEqual(heat.outputs);
    expect(shown.parameters).toEqual(heat.parameters);

    const listed = await kiln<Json[]>("stack", "list");
    // openstack adds a "Project" column when Heat names each stack's project, which it does for a cloud admin.
    expect(keys(listed)).toEqual(keys(await openstack<Json[]>("stack", "list")).filter((k) => k !== "Project"));
    expect(listed.map((s) => s["Stack Name"]).sort()).toEqual(["by-kiln", "by-openstack"]);

    const checked = await kiln<Json[]>("stack", "check", "by-kiln", "--wait");
    expect(keys(checked)).toEqual(keys(await openstack<Json[]>("stack", "check", "by-openstack")));
    expect(checked[0]).toMatchObject({ "Stack Name": "by-kiln", "Stack Status": "CHECK_COMPLETE" });
  });

  it("stack resource list (in dependency order), with a nested depth, and resource show", async () => {
    const listed = await kiln<Json[]>("stack", "resource", "list", "by-kiln");
    const heat = await openstack<Json[]>("stack", "resource", "list", "by-kiln");
    expect(keys(listed)).toEqual(keys(heat));
    // `second` reads `first`'s attribute: it comes after it.
    expect(listed.map((r) => r.resource_name)).toEqual(["first", "second"]);

    await kiln("stack", "create", "grouped", "-t", "group-outputs.yaml", "--wait");
    const nested = await kiln<Json[]>("stack", "resource", "list", "grouped", "--nested-depth", "1");
    const heatNested = await openstack<Json[]>("stack", "resource", "list", "grouped", "-n", "1");
    expect(keys(nested)).toEqual(keys(heatNested));
    const byName = (rows: Json[]) => rows.map((r) => `${r.stack_name}:${r.resource_name}`).sort();
    expect(byName(nested)).toEqual(byName(heatNested));

    const shown = await kiln("stack", "resource", "show", "by-kiln", "first");
    const heatShown = await openstack("stack", "resource", "show", "by-kiln", "first");
    expect(keys(shown)).toEqual(keys(heatShown));
    expect(shown).toMatchObject({ required_by: ["second"], physical_resource_id: heatShown.physical_resource_id, attributes: heatShown.attributes });
  });

  it("stack output list and output show", async () => {
    const listed = await kiln<Json[]>("stack", "output", "list", "by-kiln");
    expect(listed).toEqual(await openstack<Json[]>("stack", "output", "list", "by-kiln"));
    const shown = await kiln("stack", "output", "show", "by-kiln", "joined");
    expect(shown).toEqual(await openstack("stack", "output", "show", "by-kiln", "joined"));
    expect(shown.output_value).toBe("hello-world");
  });

  it("stack event list", async () => {
    const events = await kiln<Json[]>("stack", "event", "list", "by-kiln");
    const heat = await openstack<Json[]>("stack", "event", "list", "by-kiln");
    expect(keys(events)).toEqual(keys(heat));
    const line = (e: Json) => `${e.resource_name} ${e.resource_status} ${e.resource_status_reason}`;
    expect(events.map(line)).toEqual(heat.map(line));
  });
});
