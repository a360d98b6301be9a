/**
 * The real in-instance chain of a Heat server image — os-collect-config → os-refresh-config →
 * os-apply-config → 55-heat-config → script hook → heat-config-notify, unmodified — against a
 * real Kiln server: three "servers" (a directory and an agent process each) receive their
 * deployments over POLL_TEMP_URL and report back over TEMP_URL_SIGNAL (PUT) and CFN_SIGNAL
 * (POST). One deployment consumes another's output; one fails on purpose; an update re-runs.
 *
 * The chain lives outside the project (see testing/heatAgentsFixture.ts); without it the test
 * fails saying where it looked.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { heatAgentsDir } from "../testing/heatAgentsFixture";
import { trpc } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";


const server = serverForSuite("heat-agents");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-heat-agents-"));
const agents: ChildProcess[] = [];

afterAll(async () => {
  for (const a of agents) {
    if (a.exitCode === null && a.pid) process.kill(-a.pid, "SIGTERM");
  }
  await Promise.all(agents.map((a) => (a.exitCode === null ? new Promise((r) => a.once("exit", r)) : undefined)));
  fs.rmSync(work, { recursive: true, force: true });
});

// Each script works in its server's directory: two levels above its outputs path.
const script = (body: string) => `#!/bin/sh
set -e
dir=$(dirname "$(dirname "$heat_outputs_path")")
${body}
`;

const template = (greeting: string, failing: boolean) => `
heat_template_version: 2018-08-31
resources:
  web: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  app: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  db: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  greet:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: greeting }]
      outputs: [{ name: result }]
      config: ${JSON.stringify(script('echo "$greeting" >> "$dir/greetings.log"\necho "ran $deploy_action"\nprintf "%s from web" "$greeting" > "$heat_outputs_path.result"'))}
  consume:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: upstream }]
      outputs: [{ name: length }]
      config: ${JSON.stringify(script('echo "$upstream" > "$dir/upstream.txt"\nprintf "%s" "\${#upstream}" > "$heat_outputs_path.length"'))}
  migrate:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      config: ${JSON.stringify(script(failing ? 'echo "migration failed on purpose" >&2\nexit 3' : 'touch "$dir/migrated"'))}
  greet_web:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: { get_resource: greet }
      server: { get_resource: web }
      signal_transport: TEMP_URL_SIGNAL
      actions: [CREATE, UPDATE, DELETE]
      input_values: { greeting: ${greeting} }
  consume_app:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: { get_resource: consume }
      server: { get_resource: app }
      signal_transport: CFN_SIGNAL
      input_values: { upstream: { get_attr: [greet_web, result] } }
  migrate_db:
    type: OS::Heat::SoftwareDeployment
    depends_on: consume_app
    properties:
      config: { get_resource: migrate }
      server: { get_resource: db }
      signal_transport: TEMP_URL_SIGNAL
outputs:
  result: { value: { get_attr: [greet_web, result] } }
  length: { value: { get_attr: [consume_app, length] } }
  stdout: { value: { get_attr: [greet_web, deploy_stdout] } }
  code: { value: { get_attr: [consume_app, deploy_status_code] } }
`;

interface Shown {
  stackStatus: string;
  statusReason: string;
}

it("three servers running Heat's own agents apply their deployments, in order, and an update re-runs once", { timeout: 240_000 }, async () => {
  const heatAgents = heatAgentsDir();
  const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "chain", template: template("hello", true) }, "mutation");
  const show = () => trpc<Shown>(server(), "stacks.show", { stack: stack.id });
  const metadataUrl = async (name: string) => {
    let url = "";
    await expect
      .poll(async () => (url = (await trpc<{ attributes: { os_collect_config?: { request?: { metadata_url: string } } } }>(server(), "resources.show", { stack: stack.id, resource: name })).attributes.os_collect_config?.request?.metadata_url ?? ""), { timeout: 20_000 })
      .not.toBe("");
    return url;
  };
  const dirs: Record<string, string> = {};
  for (const name of ["web", "app", "db"]) {
    dirs[name] = path.join(work, name);
    fs.mkdirSync(dirs[name], { recursive: true });
    // os-collect-config keeps a backup of its cache in /var/run/os-collect-config unless told
    // otherwise, which agents running side by side (here, or in other suites) would share and
    // trip over: each gets its own, through the config file it reads from $HOME.
    fs.writeFileSync(path.join(dirs[name], "os-collect-config.conf"), `[DEFAULT]\nbackup_cachedir = ${path.join(dirs[name], "backup-cache")}\n`);
    const log = fs.openSync(path.join(work, `${name}.agent.log`), "w");
    const agent = spawn(path.join(heatAgents, "run-agent.sh"), [dirs[name], await metadataUrl(name)], {
      env: { ...process.env, POLL: "1", HOME: dirs[name] },
      stdio: ["ignore", log, log],
      detached: true,
    });
    agents.push(agent);
  }
  const read = (name: string, file: string) => (fs.existsSync(path.join(dirs[name]!, file)) ? fs.readFileSync(path.join(dirs[name]!, file), "utf8") : undefined);
  const agentLogs = () => ["web", "app", "db"].map((n) => `--- ${n}\n${fs.readFileSync(path.join(work, `${n}.agent.log`), "utf8").slice(-3000)}`).join("\n");
  /** Waits for the stack to reach `wanted`; on a timeout, says what the agents and the server logged. */
  const reaches = async (wanted: string, timeout: number) => {
    try {
      await expect.poll(async () => (await show()).stackStatus, { timeout }).toBe(wanted);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${agentLogs()}\n--- kiln\n${server().log().slice(-4000)}`);
    }
  };

  // The migration fails on purpose: the stack fails with its stderr in the reason.
  await reaches("CREATE_FAILED", 120_000);
  const failed = await show();
  expect(failed.statusReason).toContain("Deployment to server failed: deploy_status_code : Deployment exited with non-zero status code: 3");
  expect(failed.statusReason).toContain("migration failed on purpose");
  expect(read("web", "greetings.log")).toBe("hello\n");
  // consume_app ran after greet_web and got its output through get_attr.
  expect(read("app", "upstream.txt")).toBe("hello from web\n");
  const outputs = async () =>
    Object.fromEntries((await trpc<{ outputKey: string; outputValue: unknown }[]>(server(), "outputs.list", { stack: stack.id })).map((o) => [o.outputKey, o.outputValue]));
  expect(await outputs()).toMatchObject({ result: "hello from web", length: "14", code: 0 });
  expect(String((await outputs()).stdout)).toContain("ran CREATE");

  // An update: a new greeting (re-runs greet_web, and consume_app whose input follows), the migration fixed.
  await trpc(server(), "stacks.update", { stack: stack.id, template: template("bonjour", false) }, "mutation");
  await reaches("UPDATE_COMPLETE", 120_000);
  expect(await outputs()).toMatchObject({ result: "bonjour from web", length: "16", code: 0 });
  expect(String((await outputs()).stdout)).toContain("ran UPDATE");
  expect(read("app", "upstream.txt")).toBe("bonjour from web\n");
  expect(read("db", "migrated")).toBe("");
  // Several more polls: nothing runs again.
  await new Promise((r) => setTimeout(r, 4000));
  expect(read("web", "greetings.log")).toBe("hello\nbonjour\n");

  // Deleting runs greet_web's DELETE action on its server before the stack is gone.
  await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
  await expect
    .poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stack.id), { timeout: 60_000 })
    .toBe(false);
  expect(read("web", "greetings.log")).toBe("hello\nbonjour\nbonjour\n");
  // Deployments waiting for their servers are waiting, not stalled: nothing had to drive them on.
  expect(server().log()).not.toContain("drove on a stalled traversal");
});
