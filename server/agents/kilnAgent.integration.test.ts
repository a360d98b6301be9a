/**
 * Kiln's agent end to end: three `kiln agent` processes, one state directory each, against a
 * real Kiln process. Deployments with dependencies converge, an update re-runs them with the
 * new input, a failing script fails its deployment; an agent killed mid-script and then Kiln
 * killed mid-deployment lose nothing and run nothing twice; log lines show while the script
 * still runs. And the /agent namespace refuses whoever is not that server's agent.
 */
import Sqlite from "better-sqlite3";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type AgentProcess } from "../testing/agentProcess";
import { startServer, trpc, type ServerProcess } from "../testing/serverProcess";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-agents-"));
let port = 0;
let kiln: ServerProcess;
const startKiln = async () => (kiln = await startServer(`file:${path.join(dir, "kiln.db")}`, { PORT: String(port) }));

interface Server {
  id: string;
  credential: string;
  stateDir: string;
}
const servers: Record<string, Server> = {};
const agents: Record<string, AgentProcess> = {};
const runAgent = (name: string) => (agents[name] = startAgent({ url: kiln.url, serverId: servers[name]!.id, credential: servers[name]!.credential, stateDir: servers[name]!.stateDir }));

beforeAll(async () => {
  port = await freePort();
  await startKiln();
}, 30_000);
afterAll(async () => {
  for (const a of Object.values(agents)) await a.stop("SIGKILL");
  await kiln?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const serversTemplate = `
heat_template_version: 2018-08-31
resources:
  s1: { type: OS::Heat::DeployedServer }
  s2: { type: OS::Heat::DeployedServer }
  s3: { type: OS::Heat::DeployedServer }
  doomed: { type: OS::Heat::DeployedServer }
`;

// Each run appends a line to runs-<resource>: counting lines counts runs.
const chainTemplate = `
heat_template_version: 2018-08-31
parameters:
  greeting: { type: string, default: hello }
  dir: { type: string }
  s1: { type: string }
  s2: { type: string }
  s3: { type: string }
resources:
  say:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: greeting }, { name: dir }]
      outputs: [{ name: said }]
      config: |
        #!/bin/sh
        echo "$deploy_action $greeting" >> "$dir/runs-$deploy_resource_name"
        echo "saying $greeting"
        printf '%s' "$greeting, said $deploy_resource_name" > "$heat_outputs_path.said"
  settings:
    type: OS::Heat::StructuredConfig
    properties:
      group: json-file
      config:
        map_replace:
          - { PATH: { greeting: { get_param: greeting } } }
          - keys: { PATH: { list_join: ["", [{ get_param: dir }, "/settings.json"]] } }
  first:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: say }, server: { get_param: s1 }, input_values: { greeting: { get_param: greeting }, dir: { get_param: dir } } }
  second:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: say }, server: { get_param: s2 }, input_values: { greeting: { get_attr: [first, said] }, dir: { get_param: dir } } }
  third:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: say }, server: { get_param: s3 }, input_values: { greeting: { get_attr: [second, said] }, dir: { get_param: dir } } }
  settings_file:
    type: OS::Heat::StructuredDeployment
    properties: { config: { get_resource: settings }, server: { get_param: s1 }, signal_transport: NO_SIGNAL }
outputs:
  said: { value: { get_attr: [third, said] } }
  status: { value: { get_attr: [third, deploy_status_code] } }
`;

const failingTemplate = `
heat_template_version: 2018-08-31
parameters:
  server: { type: string }
resources:
  broken:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      config: |
        #!/bin/sh
        echo "failing on purpose" >&2
        exit 3
  fails:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: broken }, server: { get_param: server } }
`;

// Prints a line, sleeps, appends start/end: a kill lands while it sleeps.
const slowTemplate = `
heat_template_version: 2018-08-31
parameters:
  dir: { type: string }
  s2: { type: string }
  s3: { type: string }
resources:
  slow:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: dir }]
      outputs: [{ name: done }]
      config: |
        #!/bin/sh
        echo start >> "$dir/slow-$deploy_resource_name"
        echo "step one of $deploy_resource_name"
        sleep 4
        echo end >> "$dir/slow-$deploy_resource_name"
        printf yes > "$heat_outputs_path.done"
  on_s2:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: slow }, server: { get_param: s2 }, input_values: { dir: { get_param: dir } } }
  on_s3:
    type: OS::Heat::SoftwareDeployment
    depends_on: on_s2
    properties: { config: { get_resource: slow }, server: { get_param: s3 }, input_values: { dir: { get_param: dir } } }
outputs:
  done: { value: { list_join: [",", [{ get_attr: [on_s2, done] }, { get_attr: [on_s3, done] }]] } }
`;

/** The server's AgentPresence row, read from the database file as the UI's query would. */
function presence(serverId: string) {
  const db = new Sqlite(path.join(dir, "kiln.db"), { readonly: true });
  try {
    return db.prepare(`SELECT "connected", "transport" FROM "AgentPresence" WHERE "serverId" = ?`).get(serverId) as { connected: number; transport: string } | undefined;
  } finally {
    db.close();
  }
}

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : []);
const stackStatus = async (stack: string) => (await trpc<{ stackStatus: string }>(kiln, "stacks.show", { stack })).stackStatus;
const outputs = async (stack: string) =>
  Object.fromEntries((await trpc<{ outputKey: string; outputValue: unknown }[]>(kiln, "outputs.list", { stack })).map((o) => [o.outputKey, o.outputValue]));
const waitStatus = (stack: string, status: string, timeout = 30_000) => expect.poll(() => stackStatus(stack), { timeout, interval: 200 }).toBe(status);

describe("three agents", () => {
  it("make the servers, then converge a chain of deployments across them", async () => {
    const stack = await trpc<{ id: string }>(kiln, "stacks.create", { name: "servers", template: serversTemplate }, "mutation");
    await waitStatus(stack.id, "CREATE_COMPLETE");
    for (const name of ["s1", "s2", "s3", "doomed"]) {
      const r = await trpc<{ physicalId: string; attributes: { os_collect_config: { cfn: { access_key_id: string; secret_access_key: string } } } }>(kiln, "resources.show", { stack: stack.id, resource: name });
      const cfn = r.attributes.os_collect_config.cfn;
      expect(cfn.access_key_id).toBe(r.physicalId);
      servers[name] = { id: cfn.access_key_id, credential: cfn.secret_access_key, stateDir: path.join(dir, `agent-${name}`) };
    }
    for (const name of ["s1", "s2", "s3"]) runAgent(name);
    // Each connection is recorded for the UI, and told on the server's node.
    await expect.poll(() => presence(servers.s1!.id), { timeout: 10_000 }).toMatchObject({ connected: 1, transport: "websocket" });
    await expect
      .poll(async () => (await trpc<{ reason: string }[]>(kiln, "events.list", { stack: stack.id, kinds: ["debug"], resource: "s1" })).map((e) => e.reason).join("\n"))
      .toContain("Kiln's agent connected (websocket");

    const chain = await trpc<{ id: string }>(
      kiln,
      "stacks.create",
      { name: "chain", template: chainTemplate, parameters: { dir, s1: servers.s1!.id, s2: servers.s2!.id, s3: servers.s3!.id } },
      "mutation",
    );
    await waitStatus(chain.id, "CREATE_COMPLETE");
    expect(await outputs(chain.id)).toMatchObject({ said: "hello, said first, said second, said third", status: 0 });
    expect(lines(path.join(dir, "runs-first"))).toEqual(["CREATE hello"]);
    expect(lines(path.join(dir, "runs-third"))).toEqual(["CREATE hello, said first, said second"]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "settings.json"), "utf8"))).toEqual({ greeting: "hello" });

    // An update changes an input: each deployment runs again (a new config id), once.
    await trpc(kiln, "stacks.update", { stack: chain.id, template: chainTemplate, parameters: { greeting: "bonjour", dir, s1: servers.s1!.id, s2: servers.s2!.id, s3: servers.s3!.id } }, "mutation");
    await waitStatus(chain.id, "UPDATE_COMPLETE");
    expect(await outputs(chain.id)).toMatchObject({ said: "bonjour, said first, said second, said third" });
    expect(lines(path.join(dir, "runs-first"))).toEqual(["CREATE hello", "UPDATE bonjour"]);
    expect(lines(path.join(dir, "runs-second"))).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "settings.json"), "utf8"))).toEqual({ greeting: "bonjour" });
  }, 90_000);

  it("fail a deployment whose script fails, with its stderr as the reason", async () => {
    const stack = await trpc<{ id: string }>(kiln, "stacks.create", { name: "failing", template: failingTemplate, parameters: { server: servers.s1!.id } }, "mutation");
    await waitStatus(stack.id, "CREATE_FAILED");
    const r = await trpc<{ statusReason: string }>(kiln, "resources.show", { stack: stack.id, resource: "fails" });
    expect(r.statusReason).toContain("failing on purpose");
  }, 60_000);

  it("lose nothing and run nothing twice when an agent, then Kiln, is killed mid-deployment", async () => {
    const stack = await trpc<{ id: string }>(kiln, "stacks.create", { name: "slow", template: slowTemplate, parameters: { dir, s2: servers.s2!.id, s3: servers.s3!.id } }, "mutation");
    const s2Runs = path.join(dir, "slow-on_s2");
    await expect.poll(() => lines(s2Runs), { timeout: 20_000, interval: 100 }).toEqual(["start"]);

    // Its log line is shown while the script still sleeps.
    await expect
      .poll(async () => (await trpc<{ reason: string }[]>(kiln, "events.list", { stack: stack.id, kinds: ["debug"], resource: "on_s2" })).map((e) => e.reason), { timeout: 3_000, interval: 100 })
      .toContain("stdout: step one of on_s2");
    expect(lines(s2Runs)).toEqual(["start"]);

    await agents.s2!.stop("SIGKILL");
    await expect.poll(() => presence(servers.s2!.id), { timeout: 10_000 }).toMatchObject({ connected: 0 });
    runAgent("s2");
    const s3Runs = path.join(dir, "slow-on_s3");
    await expect.poll(() => lines(s3Runs), { timeout: 20_000, interval: 100 }).toEqual(["start"]);
    expect(lines(s2Runs)).toEqual(["start", "end"]);

    await kiln.stop("SIGKILL");
    await startKiln();
    await waitStatus(stack.id, "CREATE_COMPLETE", 40_000);
    expect(await outputs(stack.id)).toEqual({ done: "yes,yes" });
    expect(lines(s2Runs)).toEqual(["start", "end"]);
    expect(lines(s3Runs)).toEqual(["start", "end"]);
  }, 120_000);
});

describe("the /agent namespace", () => {
  const open = (auth: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ socket: Socket; error?: string; metadata?: { deployments: { id: string }[] } }> =>
    new Promise((resolve) => {
      const socket = connect(`${kiln.url}/agent`, { auth, transports: ["websocket"], reconnection: false, forceNew: true, ...extra });
      socket.once("metadata", (metadata) => resolve({ socket, metadata }));
      socket.once("connect_error", (e) => resolve({ socket, error: e.message }));
    });

  it("refuses an unknown server and a wrong credential with the same message", async () => {
    const wrong = await open({ server: servers.s1!.id, credential: "x".repeat(43) });
    const unknown = await open({ server: "00000000-0000-4000-a000-000000000000", credential: servers.s1!.credential });
    expect(wrong.error).toBe("Refused: unknown server or wrong credential");
    expect(unknown.error).toBe(wrong.error);
  });

  it("does not take a browser's session as an agent credential", async () => {
    const byToken = await open({ token: kiln.token, server: servers.s1!.id });
    const byCookie = await open({ server: servers.s1!.id }, { extraHeaders: { cookie: `kiln_session=${kiln.token}` } });
    expect(byToken.error).toBe("Refused: unknown server or wrong credential");
    expect(byCookie.error).toBe("Refused: unknown server or wrong credential");
  });

  it("lets an agent signal and log only its own server's deployments", async () => {
    const stack = await trpc<{ id: string }>(kiln, "stacks.create", { name: "others", template: failingTemplate.replace("exit 3", "sleep 30"), parameters: { server: servers.doomed!.id } }, "mutation");
    // The doomed server has no agent yet: its deployment waits; its entry id is read as its own agent would.
    let entryId = "";
    await expect
      .poll(async () => {
        const doomed = await open({ server: servers.doomed!.id, credential: servers.doomed!.credential });
        doomed.socket.close();
        return (entryId = doomed.metadata?.deployments[0]?.id ?? "");
      }, { timeout: 10_000 })
      .not.toBe("");

    const s1 = await open({ server: servers.s1!.id, credential: servers.s1!.credential });
    expect(s1.metadata!.deployments.map((d) => d.id)).not.toContain(entryId);
    const answer = (await s1.socket.timeout(5000).emitWithAck("signal", entryId, { deploy_status_code: 0 })) as { error?: string };
    expect(answer.error).toBeTruthy();
    s1.socket.emit("log", entryId, "stdout", ["forged line"]);
    // An oversized batch from the rightful agent is dropped whole.
    const rightful = await open({ server: servers.doomed!.id, credential: servers.doomed!.credential });
    rightful.socket.emit("log", entryId, "stdout", Array.from({ length: 600 }, (_, i) => `too many ${i}`));
    rightful.socket.emit("log", entryId, "stdout", ["a line that fits"]);
    await expect
      .poll(async () => (await trpc<{ reason: string }[]>(kiln, "events.list", { stack: stack.id, kinds: ["debug"], resource: "fails" })).map((e) => e.reason), { timeout: 5_000 })
      .toContain("stdout: a line that fits");
    const reasons = (await trpc<{ reason: string }[]>(kiln, "events.list", { stack: stack.id, kinds: ["debug"], resource: "fails" })).map((e) => e.reason);
    expect(reasons.filter((r) => r.includes("forged") || r.includes("too many"))).toEqual([]);
    expect(await stackStatus(stack.id)).toBe("CREATE_IN_PROGRESS");
    s1.socket.close();
    rightful.socket.close();
  }, 30_000);

  it("ends the connection of a deleted server's agent, which then stops, refused", async () => {
    // The doomed server's agent, connected; the stack holding its server goes.
    servers.doomed!.stateDir = path.join(dir, "agent-doomed");
    const agent = runAgent("doomed");
    await expect.poll(() => agent.log(), { timeout: 10_000 }).toContain("connected to Kiln");
    // Deleting only that server: an update without it.
    await trpc(kiln, "stacks.update", { stack: "servers", template: serversTemplate.replace("  doomed: { type: OS::Heat::DeployedServer }\n", "") }, "mutation");
    expect(await agent.exited).toBe(3);
    expect(agent.log()).toContain("Kiln refused this agent");
    expect(agent.log()).not.toContain(servers.doomed!.credential);
  }, 30_000);
});

// Last: it leaves this address throttled.
describe("refused connections", () => {
  it("are throttled per address: past 10, even a right credential waits, and is told how long", async () => {
    const attempt = (credential: string) =>
      new Promise<string | undefined>((resolve) => {
        const socket = connect(`${kiln.url}/agent`, { auth: { server: servers.s1!.id, credential }, transports: ["websocket"], reconnection: false, forceNew: true });
        socket.once("metadata", () => (socket.close(), resolve(undefined)));
        socket.once("connect_error", (e) => resolve(e.message));
      });
    const answers: (string | undefined)[] = [];
    for (let i = 0; i < 11; i++) answers.push(await attempt("wrong"));
    expect(answers.at(-1)).toMatch(/^Too many refused connections from this address; try again in \d+ s$/);
    expect(await attempt(servers.s1!.credential)).toMatch(/^Too many refused connections/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}
