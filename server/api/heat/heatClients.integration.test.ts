/**
 * Clients nobody here wrote, against a real Kiln process: Debian's `openstack` CLI with
 * python-heatclient (no-auth, then password authentication through a real Keystone's catalog)
 * and openstacksdk's orchestration proxy. Each verb's output is checked as a user reads it.
 * Needs python3-openstackclient, python3-heatclient and python3-openstacksdk (.ci/run
 * installs them) and, for the Keystone part, minicloud's Keystone with the `heat` catalog entry.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { keystoneSkipped, KEYSTONE_URL } from "../../testing/keystone";
import { startServer, type ServerProcess } from "../../testing/serverProcess";
import { serverForSuite } from "../../testing/suiteServer";

const run = promisify(execFile);
const PROJECT = "cli-project";
const server = serverForSuite("heat-clients", { KILN_HEAT_NOAUTH_PROJECT: PROJECT, KILN_WORKERS: "2" });
const SDK_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../testing/heatSdk.py");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-heat-cli-"));

const FILES: Record<string, string> = {
  "app.yaml": `
heat_template_version: 2018-08-31
description: Kiln under the openstack CLI
parameters:
  greeting:
    type: string
    default: hi
    constraints: [{ length: { min: 2, max: 12 }, description: a short word }, { allowed_pattern: "[a-z]+" }]
  suffix: { type: string, default: none }
resources:
  thing:
    type: OS::Heat::TestResource
    properties:
      value: { list_join: ["-", [{ get_param: greeting }, { get_param: suffix }]] }
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def: { type: OS::Heat::TestResource, properties: { value: member } }
outputs:
  message: { value: { get_attr: [thing, output] }, description: what thing says }
  members: { value: { get_attr: [group, refs] } }
`,
  "env.yaml": "parameter_defaults:\n  suffix: from-env\n",
  "lists.yaml": "heat_template_version: 2018-08-31\nparameters:\n  l: { type: comma_delimited_list, default: [] }\n  n: { type: number, default: 4 }\n  b: { type: boolean, default: yes }\n  j: { type: json, default: { a: [1, 2] } }\nresources:\n  thing: { type: My::Thing }\noutputs:\n  l: { value: { get_param: l } }\n",
  "more-x.yaml": "parameter_merge_strategies: { l: merge }\nparameter_defaults:\n  l: [x]\nresource_registry:\n  My::Thing: OS::Heat::None\n",
  "more-y.yaml": "parameter_merge_strategies: { l: merge }\nparameter_defaults:\n  l: [y]\n",
  "bigger.yaml": `
heat_template_version: 2018-08-31
parameters:
  greeting: { type: string, default: hi }
  suffix: { type: string, default: none }
resources:
  thing: { type: OS::Heat::TestResource, properties: { value: changed } }
  extra: { type: OS::Heat::None }
`,
  "handle.yaml": "heat_template_version: 2018-08-31\nresources:\n  handle: { type: OS::Heat::WaitConditionHandle }\n",
  "waiting.yaml": `
heat_template_version: 2018-08-31
resources:
  handle: { type: OS::Heat::WaitConditionHandle }
  handle2: { type: OS::Heat::WaitConditionHandle }
  wait2: { type: OS::Heat::WaitCondition, properties: { handle: { get_resource: handle2 }, count: 1, timeout: 600 } }
`,
  "software.yaml": `
heat_template_version: 2018-08-31
resources:
  server: { type: OS::Heat::DeployedServer }
  config:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "echo configured", inputs: [{ name: who }], outputs: [{ name: result }] }
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: config }, server: { get_resource: server }, input_values: { who: cli } }
`,
  "nested-top.yaml": `
heat_template_version: 2018-08-31
parameters:
  top: { type: string, default: t }
resources:
  word: { type: OS::Heat::RandomString }
  direct: { type: My::Prov, properties: { size: 7, seed: { get_attr: [word, value] } } }
  group:
    type: OS::Heat::ResourceGroup
    properties: { count: 2, resource_def: { type: My::Prov, properties: { seed: { get_attr: [word, value] } } } }
  plain: { type: OS::Heat::None }
`,
  "prov.yaml": `
heat_template_version: 2018-08-31
parameters:
  size: { type: number, default: 1 }
  nodefault: { type: string }
  seed: { type: string }
resources:
  inner: { type: My::Inner }
`,
  "inner.yaml": "heat_template_version: 2018-08-31\ndescription: the inner one\nparameters:\n  label: { type: string, default: none }\n  password: { type: string, hidden: true, default: unset }\n",
  "nested-env.yaml": "resource_registry:\n  My::Prov: prov.yaml\n  My::Inner: inner.yaml\nparameter_defaults:\n  size: 4\n  nodefault: xyz\n  label: from-the-top\n  password: Inner-Only-Secret-1\n",
  "bad-env.yaml": "# a comment first\nparameters:\n  nope: 1\n",
  "bad-template.yaml": "heat_template_version: 2018-08-31\nresources:\n  thing:\n    type: OS::Heat::TestResource\n    properties: { value: { get_resource: nowhere } }\n",
  "configure.sh": "#!/bin/sh\necho made by the CLI\n",
  "configure-io.yaml": "inputs: [{ name: who }]\noutputs: [{ name: result }]\n",
  "failing.yaml": "heat_template_version: 2018-08-31\nresources:\n  broken: { type: OS::Heat::TestResource, properties: { fail: true } }\n",
};

/** A client's environment: nothing of the test runner's (no OS_* variable of its own leaks in). */
const clientEnv = (extra: Record<string, string> = {}) => ({ PATH: "/usr/bin:/bin", HOME: dir, ...extra }) as unknown as NodeJS.ProcessEnv;

/** One `openstack` call (Debian's, with its own Python); its stdout, or a throw with its stderr. */
async function openstack(args: string[], env: Record<string, string> = {}): Promise<string> {
  const endpoint = ["--os-auth-type", "none", "--os-endpoint", `${server().url}/v1/${PROJECT}`];
  try {
    const { stdout } = await run("/usr/bin/openstack", [...(env.OS_AUTH_URL ? [] : endpoint), ...args], { cwd: dir, env: clientEnv(env), timeout: 90_000 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; code?: number };
    throw new Error(`openstack ${args.join(" ")} failed (${err.code}): ${err.stderr}${err.stdout}`);
  }
}
const json = async <T = Record<string, unknown>>(args: string[]) => JSON.parse(await openstack([...args, "-f", "json"])) as T;

/** A GET of the API over HTTP, for checks that need no CLI (a CLI call costs 1.5 s or more). */
async function api<T = Record<string, unknown>>(pathUnderProject: string): Promise<T> {
  const res = await fetch(`${server().url}/v1/${PROJECT}${pathUnderProject}`);
  return (await res.json()) as T;
}

/** The stack's status, read over HTTP (a CLI call costs 1.5 s), until it is `status`. */
async function statusBecomes(name: string, status: string) {
  await vi.waitFor(
    async () => {
      const res = await fetch(`${server().url}/v1/${PROJECT}/stacks/${name}`);
      expect(((await res.json()) as { stack: { stack_status: string } }).stack.stack_status).toBe(status);
    },
    { timeout: 60_000, interval: 200 },
  );
}

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), text);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the openstack CLI in no-auth mode", () => {
  it("stack create with a parameter and an environment file, --wait; stack list; stack show", { timeout: 120_000 }, async () => {
    const created = await openstack(["stack", "create", "-t", "app.yaml", "-e", "env.yaml", "--parameter", "greeting=hello", "--wait", "app", "-f", "value", "-c", "stack_status"]);
    expect(created).toMatch(/\[app\]: CREATE_COMPLETE\s+Stack CREATE completed successfully/);
    expect(created.trim().split("\n").pop()).toBe("CREATE_COMPLETE");

    const listed = await json<{ "Stack Name": string; "Stack Status": string; ID: string }[]>(["stack", "list"]);
    expect(listed.map((s) => [s["Stack Name"], s["Stack Status"]])).toEqual([["app", "CREATE_COMPLETE"]]);

    const shown = await json(["stack", "show", "app"]);
    expect(shown).toMatchObject({
      stack_name: "app",
      id: listed[0]!.ID,
      stack_status: "CREATE_COMPLETE",
      description: "Kiln under the openstack CLI",
      parameters: { greeting: "hello", suffix: "from-env", "OS::stack_name": "app", "OS::stack_id": listed[0]!.ID, "OS::project_id": PROJECT },
      disable_rollback: true,
    });
    expect(shown.outputs).toContainEqual({ output_key: "message", output_value: "hello-from-env", description: "what thing says" });
  });

  it("stack update --existing --wait keeps the environment and the other parameters", { timeout: 120_000 }, async () => {
    const updated = await openstack(["stack", "update", "--existing", "--parameter", "greeting=again", "--wait", "app", "-f", "value", "-c", "stack_status"]);
    expect(updated.trim().split("\n").pop()).toBe("UPDATE_COMPLETE");
    const out = await api<{ output: unknown }>("/stacks/app/outputs/message");
    expect(out.output).toMatchObject({ output_key: "message", output_value: "again-from-env" });
  });

  it("two -e files merge once: heatclient also sends its own merge of them, which Heat leaves out; a mapped type shows as the template names it", { timeout: 120_000 }, async () => {
    const created = await openstack(["stack", "create", "-t", "lists.yaml", "-e", "more-x.yaml", "-e", "more-y.yaml", "--wait", "lists", "-f", "value", "-c", "stack_status"]);
    expect(created.trim().split("\n").pop()).toBe("CREATE_COMPLETE");
    const out = await api<{ output: unknown }>("/stacks/lists/outputs/l");
    expect(out.output).toMatchObject({ output_key: "l", output_value: ["x", "y"] });
    // stack environment show: the environment as it was applied, merged.
    expect(await api("/stacks/lists/environment")).toMatchObject({ parameter_defaults: { l: ["x", "y"] } });
    // Stack show writes each parameter as Heat does, as text of its type.
    const { stack } = await api<{ stack: { parameters: Record<string, string> } }>("/stacks/lists");
    expect(stack.parameters).toMatchObject({ l: "x,y", n: "4", b: "True", j: '{"a": [1, 2]}' });
    // A resource of a type the environment maps is listed, and found, by the type its template names (as Heat does).
    const { resources } = await api<{ resources: { resource_name: string; resource_type: string }[] }>("/stacks/lists/resources?type=My::Thing");
    expect(resources).toEqual([expect.objectContaining({ resource_name: "thing", resource_type: "My::Thing" })]);
  });

  it("stack update --dry-run shows what would change and changes nothing", { timeout: 120_000 }, async () => {
    const preview = await json<Record<string, string>>(["stack", "update", "--dry-run", "-t", "bigger.yaml", "app"]);
    const names = (key: string) => (JSON.parse(preview[key]!) as { resource_name: string }[]).map((r) => r.resource_name);
    // Heat's five lists, no more: Kiln's "may change" counts as unchanged here, as in Heat.
    expect(Object.keys(preview).sort()).toEqual(["added", "deleted", "replaced", "unchanged", "updated"]);
    expect(names("added")).toEqual(["extra"]);
    expect(names("deleted")).toEqual(["group"]);
    expect(names("updated")).toEqual(["thing"]);
    const { resources } = await api<{ resources: { resource_name: string }[] }>("/stacks/app/resources");
    expect(resources.map((r) => r.resource_name).sort()).toEqual(["group", "thing"]);
  });

  it("stack resource list -n 2, stack resource show, stack event list --nested-depth 2", { timeout: 120_000 }, async () => {
    const resources = await json<{ resource_name: string; resource_type: string; resource_status: string; stack_name: string }[]>(["stack", "resource", "list", "-n", "2", "app"]);
    const top = resources.filter((r) => r.stack_name === "app").map((r) => r.resource_name).sort();
    expect(top).toEqual(["group", "thing"]);
    const members = resources.filter((r) => r.stack_name !== "app");
    expect(members.map((r) => r.resource_name).sort()).toEqual(["0", "1"]);
    expect(members.every((r) => r.resource_type === "OS::Heat::TestResource" && r.stack_name.startsWith("app-group-"))).toBe(true);

    const thing = await json(["stack", "resource", "show", "app", "thing"]);
    expect(thing).toMatchObject({ resource_name: "thing", resource_type: "OS::Heat::TestResource", resource_status: "UPDATE_COMPLETE", attributes: { output: "again-from-env" } });

    const events = await openstack(["stack", "event", "list", "--nested-depth", "2", "app"]);
    expect(events).toMatch(/\[app\]: CREATE_IN_PROGRESS\s+Stack CREATE started/);
    expect(events).toMatch(/\[app\.thing\]: UPDATE_COMPLETE/);
    expect(events).toMatch(/\[app-group-[^\]]+\.0\]: CREATE_COMPLETE/);

    // stack list --nested: the group's nested stack names its parent, as stack show does.
    const { stacks } = await api<{ stacks: { id: string; stack_name: string; parent: string | null }[] }>("/stacks?show_nested=true");
    const app = stacks.find((s) => s.stack_name === "app")!;
    expect(app.parent).toBeNull();
    expect(stacks.filter((s) => s.stack_name.startsWith("app-group-")).map((s) => s.parent)).toEqual([app.id]);
  });

  it("stack output list, stack output show --all, stack template show", { timeout: 120_000 }, async () => {
    const outputs = await json<{ output_key: string; description: string }[]>(["stack", "output", "list", "app"]);
    expect(outputs.sort((a, b) => a.output_key.localeCompare(b.output_key))).toEqual([
      { output_key: "members", description: "No description given" },
      { output_key: "message", description: "what thing says" },
    ]);
    const all = await json<Record<string, string>>(["stack", "output", "show", "--all", "app"]);
    expect(JSON.parse(all.message!)).toEqual({ output_key: "message", output_value: "again-from-env", description: "what thing says" });
    expect(JSON.parse(all.members!)).toMatchObject({ description: "No description given" });
    expect(JSON.parse(all.members!).output_value).toHaveLength(2);
    const template = await json(["stack", "template", "show", "app"]);
    expect(template).toMatchObject({ heat_template_version: "2018-08-31", description: "Kiln under the openstack CLI", resources: { group: { type: "OS::Heat::ResourceGroup" } } });
  });

  it("stack check", { timeout: 120_000 }, async () => {
    const checked = await openstack(["stack", "check", "app"]);
    expect(checked).toContain("app");
    await statusBecomes("app", "CHECK_COMPLETE");
  });

  it("stack failures list names the failed resource and why", { timeout: 120_000 }, async () => {
    await openstack(["stack", "create", "-t", "failing.yaml", "broken"]);
    await statusBecomes("broken", "CREATE_FAILED");
    const failures = await openstack(["stack", "failures", "list", "broken"]);
    expect(failures).toMatch(/^broken\.broken:\n {2}resource_type: OS::Heat::TestResource\n/);
    expect(failures).toContain("status: CREATE_FAILED");
    expect(failures).toMatch(/status_reason: \|\n\s+.*Test Resource failed broken/);
  });

  it("stack cancel rolls an update back; stack resource signal completes a wait condition", { timeout: 180_000 }, async () => {
    await openstack(["stack", "create", "-t", "handle.yaml", "--wait", "waiting"]);
    await openstack(["stack", "update", "-t", "waiting.yaml", "waiting"]);
    await statusBecomes("waiting", "UPDATE_IN_PROGRESS");
    await openstack(["stack", "cancel", "waiting"]);
    await statusBecomes("waiting", "ROLLBACK_COMPLETE");
    expect((await api<{ stack: { stack_status_reason: string } }>("/stacks/waiting")).stack.stack_status_reason).toMatch(/cancelled/);

    await openstack(["stack", "update", "-t", "waiting.yaml", "waiting"]);
    await statusBecomes("waiting", "UPDATE_IN_PROGRESS");
    const signalled = await openstack(["stack", "resource", "signal", "waiting", "handle2", "--data", '{"status": "SUCCESS", "reason": "signalled by the CLI", "data": "done", "id": "1"}']);
    expect(signalled).toBe("");
    await statusBecomes("waiting", "UPDATE_COMPLETE");
    // Added by the update, so created by it (as in Heat); its data is the signals' data by id.
    const wait = await json<{ resource_status: string; attributes: { data: string } }>(["stack", "resource", "show", "waiting", "wait2"]);
    expect(wait.resource_status).toBe("CREATE_COMPLETE");
    expect(JSON.parse(wait.attributes.data)).toEqual({ "1": "done" });
  });

  it("orchestration template validate, with --show-nested too, and a stack whose nested stacks inherit its environment; resource type list and show", { timeout: 120_000 }, async () => {
    const valid = await json<{ Description: string; Parameters: Record<string, Record<string, unknown>>; Environment: { parameter_defaults: Record<string, string> } }>([
      "orchestration", "template", "validate", "-t", "app.yaml", "-e", "env.yaml",
    ]);
    expect(valid.Description).toBe("Kiln under the openstack CLI");
    // With its constraints, in Heat's fields: tools build their forms from these.
    expect(valid.Parameters.greeting).toEqual({
      Type: "String", Default: "hi", Label: "greeting", NoEcho: "false", Description: "",
      MinLength: 2, MaxLength: 12, AllowedPattern: "[a-z]+", ConstraintDescription: "a short word",
    });
    expect(valid.Environment.parameter_defaults).toEqual({ suffix: "from-env" });
    await expect(openstack(["orchestration", "template", "validate", "-t", "failing.yaml", "--parameter", "nope=1"])).rejects.toThrow(/nope/);
    // A problem in an environment file is told by the file's name; in it, as in the template,
    // by its path alone: the CLI sends both as JSON of its own writing, whose lines are nobody's.
    await expect(openstack(["stack", "create", "-t", "app.yaml", "-e", "bad-env.yaml", "never"])).rejects.toThrow(/\/bad-env\.yaml: parameters\.nope: The Parameter \(nope\) was not defined/);
    const templateProblem = await openstack(["orchestration", "template", "validate", "-t", "bad-template.yaml"]).catch((e: Error) => e.message);
    expect(templateProblem).toMatch(/resources\.thing\.properties\.value[^\n]*nowhere/);
    expect(templateProblem).not.toMatch(/resources\.thing[^\n]*\(\d+:\d+\)/);

    // --show-nested: every nested stack's parameters, with what the environment and the resource
    // give them, as Heat 19 answers for the same files.
    type Shown = { Type: string; Description: string; Parameters: Record<string, Record<string, unknown>>; NestedParameters?: Record<string, Shown> };
    const nested = await json<Shown>(["orchestration", "template", "validate", "-t", "nested-top.yaml", "-e", "nested-env.yaml", "--show-nested"]);
    const inner = {
      Type: "My::Inner",
      Description: "the inner one",
      Parameters: {
        label: { Type: "String", Description: "", NoEcho: "false", Label: "label", Default: "from-the-top" },
        password: { Type: "String", Description: "", NoEcho: "true", Label: "password", Default: "******" },
      },
    };
    expect(nested.NestedParameters!.direct).toEqual({
      Type: "My::Prov",
      Description: "No description",
      Parameters: {
        size: { Type: "Number", Description: "", NoEcho: "false", Label: "size", Default: 4, Value: 7 },
        nodefault: { Type: "String", Description: "", NoEcho: "false", Label: "nodefault", Default: "xyz" },
        // Given another resource's attribute: not known before the stack is built.
        seed: { Type: "String", Description: "", NoEcho: "false", Label: "seed" },
      },
      NestedParameters: { inner },
    });
    // A group shows its first member, inside its own nested stack.
    expect(nested.NestedParameters!.group).toMatchObject({ Type: "OS::Heat::ResourceGroup", Parameters: {}, NestedParameters: { "0": { Type: "My::Prov", NestedParameters: { inner } } } });
    expect(Object.keys(nested.NestedParameters!.group!.NestedParameters!)).toEqual(["0"]);
    expect(Object.keys(nested.NestedParameters!)).toEqual(["direct", "group"]);

    // Created from the same files: every nested stack resolves My::Inner and takes nodefault
    // from the environment it inherits (heatclient names the templates by file:// URLs).
    const created = await openstack(["stack", "create", "-t", "nested-top.yaml", "-e", "nested-env.yaml", "--wait", "inheriting", "-f", "value", "-c", "stack_status"]);
    expect(created.trim().split("\n").pop()).toBe("CREATE_COMPLETE");
    const listed = await json<{ resource_name: string; resource_type: string; resource_status: string }[]>(["stack", "resource", "list", "--nested-depth", "3", "inheriting"]);
    expect(listed.filter((r) => r.resource_name === "inner").map((r) => [r.resource_type, r.resource_status])).toEqual([
      ["My::Inner", "CREATE_COMPLETE"],
      ["My::Inner", "CREATE_COMPLETE"],
      ["My::Inner", "CREATE_COMPLETE"],
    ]);
    // The CLI sends its -e files among the files: a password only a nested template hides is masked there too.
    const files = await openstack(["stack", "file", "list", "inheriting", "-f", "json"]);
    expect(files).toContain("******");
    expect(files).not.toContain("Inner-Only-Secret-1");

    const types = await json<{ "Resource Type": string }[]>(["orchestration", "resource", "type", "list", "--filter", "name=WaitCondition"]);
    expect(types.map((t) => t["Resource Type"])).toEqual(["OS::Heat::WaitCondition", "OS::Heat::WaitConditionHandle"]);
    const shown = await json<{ resource_type: string; properties: Record<string, unknown>; attributes: Record<string, unknown> }>(["orchestration", "resource", "type", "show", "OS::Heat::TestResource"]);
    expect(shown.resource_type).toBe("OS::Heat::TestResource");
    expect(shown.properties.value).toMatchObject({ type: "string" });
    expect(shown.attributes.output).toBeDefined();
  });

  it("software config create/list/show/delete, software deployment list/show/output show, deployment metadata show", { timeout: 120_000 }, async () => {
    await openstack(["stack", "create", "-t", "software.yaml", "deployed"]);
    const resource = (name: string) => api<{ resource: { physical_resource_id: string } }>(`/stacks/deployed/resources/${name}`).then((r) => r.resource.physical_resource_id);
    await vi.waitFor(async () => expect(await resource("deploy")).toBeTruthy(), { timeout: 30_000, interval: 200 });
    const [deploymentId, serverId] = [await resource("deploy"), await resource("server")];
    // The agent's part, over HTTP: read the metadata, report the outputs to the signal URL in it.
    const { metadata } = await api<{ metadata: { id: string; inputs: { name: string; value: string }[] }[] }>(`/software_deployments/metadata/${serverId}`);
    const signalUrl = metadata[0]!.inputs.find((i) => i.name === "deploy_signal_id")!.value;
    const signalled = await fetch(signalUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ deploy_status_code: 0, deploy_stdout: "configured", result: "forty-two" }) });
    expect(signalled.status).toBeLessThan(300);
    await statusBecomes("deployed", "CREATE_COMPLETE");

    const deployments = await json<{ id: string; config_id: string; server_id: string; action: string; status: string }[]>(["software", "deployment", "list", "--server", serverId]);
    expect(deployments).toEqual([{ id: deploymentId, config_id: metadata[0]!.id, server_id: serverId, action: "CREATE", status: "COMPLETE" }]);
    const deployment = await json(["software", "deployment", "show", "--long", deploymentId]);
    expect(deployment).toMatchObject({ id: deploymentId, server_id: serverId, status: "COMPLETE", input_values: { who: "cli" }, output_values: { result: "forty-two", deploy_stdout: "configured" } });
    const output = await openstack(["software", "deployment", "output", "show", deploymentId, "result"]);
    expect(output).toMatch(/^output_value:\n\n\s*result: forty-two\n$/);

    const configs = await json<{ id: string; name: string; group: string }[]>(["software", "config", "list"]);
    expect(configs.map((c) => c.id)).toContain(metadata[0]!.id);
    const config = await json<{ id: string; group: string; config: string; outputs: { name: string }[] }>(["software", "config", "show", metadata[0]!.id]);
    expect(config).toMatchObject({ id: metadata[0]!.id, group: "script", config: "echo configured" });
    expect(config.outputs.map((o) => o.name)).toContain("result");

    const shownMetadata = JSON.parse(await openstack(["software", "deployment", "metadata", "show", serverId])) as { id: string; config: string }[];
    expect(shownMetadata.map((m) => [m.id, m.config])).toEqual([[metadata[0]!.id, "echo configured"]]);

    // A config made outside any stack, then deleted.
    const made = await json<{ id: string; name: string; group: string; config: string; inputs: unknown[] }>([
      "software", "config", "create", "--config-file", "configure.sh", "--definition-file", "configure-io.yaml", "--group", "script", "by-cli",
    ]);
    expect(made).toMatchObject({ name: "by-cli", group: "script", config: "#!/bin/sh\necho made by the CLI\n", inputs: [{ name: "who", type: "String" }] });
    await openstack(["software", "config", "delete", made.id]);
    expect((await fetch(`${server().url}/v1/${PROJECT}/software_configs/${made.id}`)).status).toBe(404);
  });

  it("stack snapshot and abandon say Kiln does not support them, not that the stack is not found", { timeout: 120_000 }, async () => {
    for (const args of [["stack", "snapshot", "list", "app"], ["stack", "abandon", "app"]]) {
      const refused = await openstack(args).then(() => "", (e: Error) => e.message);
      expect(refused, args.join(" ")).toMatch(/Kiln does not (take stack snapshots|abandon stacks)/);
      expect(refused).not.toMatch(/not found/i);
    }
    expect((await api<{ stack: { stack_status: string } }>("/stacks/app")).stack.stack_status).toMatch(/COMPLETE$/);
  });

  it("stack delete --yes --wait of several stacks at once", { timeout: 120_000 }, async () => {
    await openstack(["stack", "delete", "--yes", "--wait", "app", "lists", "broken", "waiting", "deployed", "inheriting"]);
    expect(await json(["stack", "list"])).toEqual([]);
  });

  it("openstacksdk's orchestration proxy creates, lists, finds and deletes a stack", { timeout: 120_000 }, async () => {
    const { stdout } = await run("/usr/bin/python3", [SDK_SCRIPT, `${server().url}/v1/${PROJECT}`, "sdk-noauth"], { timeout: 60_000 });
    expectSdkSteps(stdout, "sdk-noauth");
  });
});

function expectSdkSteps(stdout: string, name: string) {
  const steps = Object.fromEntries(stdout.trim().split("\n").map((l) => JSON.parse(l) as { step: string }).map((s) => [s.step, s])) as Record<string, Record<string, unknown>>;
  expect(steps.status).toMatchObject({ status: "CREATE_COMPLETE" });
  expect(steps.listed!.names).toContain(name);
  expect(steps.found).toMatchObject({ id: steps.created!.id, outputs: [{ output_key: "out", output_value: "from-sdk" }] });
  expect(steps.deleted).toEqual({ step: "deleted", gone: true });
}

describe.skipIf(keystoneSkipped)("the openstack CLI and openstacksdk through Keystone's catalog", () => {
  const ORCHESTRATION_PORT = "28004";
  let kiln: ServerProcess | undefined;
  const openrc = (args: string) =>
    run("/bin/bash", ["-c", `source /tmp/minicloud/openrc && /usr/bin/openstack ${args}`], { cwd: dir, env: clientEnv(), timeout: 90_000 })
      .then((r) => r.stdout)
      .catch((e: { stderr?: string }) => {
        throw new Error(`openstack ${args} failed: ${e.stderr}`);
      });

  beforeAll(async () => {
    const catalog = await openrc("catalog show orchestration -f json").catch(() => "");
    if (!catalog.includes(`127.0.0.1:${ORCHESTRATION_PORT}/v1/`)) {
      throw new Error("Keystone has no orchestration endpoint at 127.0.0.1:28004: run ../shared/minicloud/up.sh keystone heat (or .ci/run)");
    }
    kiln = await startServer(`file:${path.join(dir, "keystone-kiln.db")}`, { PORT: ORCHESTRATION_PORT, KILN_KEYSTONE_URL: KEYSTONE_URL, KILN_ADMIN_PASSWORD: "" });
  }, 60_000);
  afterAll(async () => {
    await kiln?.stop();
  });

  it("stack create, list and delete with password authentication (source openrc)", { timeout: 120_000 }, async () => {
    const created = await openrc("stack create -t handle.yaml --wait through-keystone -f value -c stack_status");
    expect(created.trim().split("\n").pop()).toBe("CREATE_COMPLETE");
    const listed = JSON.parse(await openrc("stack list -f json")) as { "Stack Name": string; Project: string }[];
    const mine = listed.find((s) => s["Stack Name"] === "through-keystone");
    expect(mine).toBeDefined();
    const project = (JSON.parse(await openrc("project show admin -f json")) as { id: string }).id;
    expect(mine!.Project).toBe(project);
    await openrc("stack delete --yes --wait through-keystone");
    expect(await openrc("stack list -f value -c 'Stack Name'")).not.toContain("through-keystone");
  });

  it("openstacksdk's orchestration proxy, as the demo user of clouds.yaml", { timeout: 120_000 }, async () => {
    const { stdout } = await run("/usr/bin/python3", [SDK_SCRIPT, "minicloud-demo", "sdk-keystone"], { env: clientEnv({ OS_CLIENT_CONFIG_FILE: "/tmp/minicloud/clouds.yaml" }), timeout: 60_000 });
    expectSdkSteps(stdout, "sdk-keystone");
  });
});
