/**
 * Scaled out (PostgreSQL, Redis, a `web` and a `worker` process): the worker changes a server's
 * deployments, and the agent connected to the web process is pushed them at once, through
 * Redis; its signal, taken by the web process, wakes the worker's deployment.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tempPostgresUrl, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { startAgent, type AgentProcess } from "../testing/agentProcess";
import { startServer, trpc, type ServerProcess } from "../testing/serverProcess";

const redisUrl = process.env.KILN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `kiln-test-agent-${process.pid}-${Date.now()}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-scaled-agent-"));
let db: TestDatabaseUrl;
let web: ServerProcess;
let worker: ServerProcess;
let agent: AgentProcess | undefined;

beforeAll(async () => {
  db = await tempPostgresUrl();
  const env = { REDIS_URL: redisUrl, KILN_REDIS_PREFIX: prefix };
  [web, worker] = await Promise.all([startServer(db.url, { ...env, KILN_ROLE: "web" }), startServer(db.url, { ...env, KILN_ROLE: "worker" })]);
}, 60_000);

afterAll(async () => {
  await agent?.stop("SIGKILL");
  await Promise.all([web?.stop(), worker?.stop()]);
  await db?.dispose();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const template = (word: string) => `
heat_template_version: 2018-08-31
resources:
  server: { type: OS::Heat::DeployedServer }
  say:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: word }]
      outputs: [{ name: said }]
      config: |
        #!/bin/sh
        echo "$word" >> ${dir}/said
        printf '%s' "$word" > "$heat_outputs_path.said"
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: say }, server: { get_resource: server }, input_values: { word: ${word} } }
outputs:
  said: { value: { get_attr: [deploy, said] } }
`;

const status = async (stack: string) => (await trpc<{ stackStatus: string }>(web, "stacks.show", { stack })).stackStatus;
const said = () => (fs.existsSync(path.join(dir, "said")) ? fs.readFileSync(path.join(dir, "said"), "utf8").split("\n").filter(Boolean) : []);

it("an agent on the web process is pushed what a worker changes, and its signals reach the worker", async () => {
  const stack = await trpc<{ id: string }>(web, "stacks.create", { name: "scaled", template: template("one") }, "mutation");
  // The server exists before the deployment's signal can come: connect its agent to the web process.
  await expect.poll(async () => (await trpc<{ resourceStatus: string }>(web, "resources.show", { stack: stack.id, resource: "server" })).resourceStatus, { timeout: 30_000 }).toBe("CREATE_COMPLETE");
  const server = await trpc<{ attributes: { os_collect_config: { cfn: { access_key_id: string; secret_access_key: string } } } }>(web, "resources.show", { stack: stack.id, resource: "server" });
  const { access_key_id: serverId, secret_access_key: credential } = server.attributes.os_collect_config.cfn;
  agent = startAgent({ url: web.url, serverId, credential, stateDir: path.join(dir, "agent") });
  await expect.poll(() => status(stack.id), { timeout: 30_000 }).toBe("CREATE_COMPLETE");

  // While connected: the worker's update is pushed through Redis, not found on a reconnect.
  await trpc(web, "stacks.update", { stack: stack.id, template: template("two") }, "mutation");
  await expect.poll(() => status(stack.id), { timeout: 30_000 }).toBe("UPDATE_COMPLETE");
  expect(said()).toEqual(["one", "two"]);
  expect(agent.log().match(/connected to Kiln/g)).toHaveLength(1);
}, 90_000);
