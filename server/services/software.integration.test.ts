/**
 * The agent-facing service with the real adapters on SQLite: a server reads only its own
 * metadata with its own credential, and a deployment is signalled only with its token or its
 * server's credential.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../store/database";
import { tempSqliteUrl, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { createRuntime, type Runtime } from "./runtime";
import { agentMetadata, AgentRefused, deploymentOwner, signalDeployment } from "./software";

const template = `
heat_template_version: 2018-08-31
resources:
  one: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  two: { type: OS::Heat::DeployedServer }
  config:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "echo hi", outputs: [{ name: answer }] }
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: config }, server: { get_resource: one }, signal_transport: TEMP_URL_SIGNAL }
`;

describe("the agent service", () => {
  let target: TestDatabaseUrl;
  let db: Database;
  let rt: Runtime;
  const changed: string[] = [];

  beforeAll(async () => {
    target = tempSqliteUrl();
    db = await openDatabase(target.url);
    rt = createRuntime(db, pino({ level: "silent" }), { publicUrl: () => "http://kiln.test", serverMetadata: { changed: (id) => void changed.push(id) } });
    rt.queue.start(2);
  });
  afterAll(async () => {
    await rt.queue.stop();
    await db.close();
    await target.dispose();
  });

  it("serves a server its deployments and takes the signal back", async () => {
    const stack = await rt.engine.createStack({ projectId: "p", name: "s", template });
    const row = async (name: string) => (await rt.store.findResources(stack.id, name))[0]!;
    await expect.poll(async () => (await row("deploy")).physicalId, { timeout: 15_000 }).toBeTruthy();
    const one = await row("one");
    const two = await row("two");
    const credential = one.data.credential as string;

    const md = await agentMetadata(rt, one.physicalId!, credential);
    expect(md).toMatchObject({ serverId: one.physicalId, projectId: "p", transport: "POLL_TEMP_URL" });
    expect(md.deployments).toHaveLength(1);
    const entry = md.deployments[0] as { id: string; group: string; config: string; inputs: { name: string; value: unknown }[]; outputs: unknown[] };
    expect(entry).toMatchObject({ group: "script", config: "echo hi", outputs: [{ name: "answer", type: "String", error_output: false }] });
    expect(md.osCollectConfig).toEqual(one.attributes.os_collect_config);
    expect(changed).toContain(one.physicalId);
    expect(md.lastModified.getTime() % 1000).toBe(0);

    // Another server, a wrong credential, an unknown server: the same refusal.
    await expect(agentMetadata(rt, one.physicalId!, two.data.credential as string)).rejects.toBeInstanceOf(AgentRefused);
    await expect(agentMetadata(rt, one.physicalId!, credential.slice(1))).rejects.toBeInstanceOf(AgentRefused);
    await expect(agentMetadata(rt, "00000000-0000-4000-a000-000000000000", credential)).rejects.toBeInstanceOf(AgentRefused);
    expect((await agentMetadata(rt, two.physicalId!, two.data.credential as string)).deployments).toEqual([]);

    const deploy = await row("deploy");
    expect(await deploymentOwner(rt, deploy.physicalId!)).toEqual({
      projectId: "p",
      serverId: one.physicalId,
      stackId: stack.id,
      resourceName: "deploy",
      resourceType: "OS::Heat::SoftwareDeployment",
    });
    // The other server's credential cannot signal this server's deployment, nor can a wrong token.
    await expect(signalDeployment(rt, deploy.physicalId!, {}, { serverId: two.physicalId!, credential: two.data.credential as string })).rejects.toBeInstanceOf(AgentRefused);
    await expect(signalDeployment(rt, deploy.physicalId!, {}, { token: "guess" })).rejects.toBeInstanceOf(AgentRefused);
    await expect(signalDeployment(rt, "nope", {}, { token: "guess" })).rejects.toBeInstanceOf(AgentRefused);

    expect(await signalDeployment(rt, deploy.physicalId!, { deploy_status_code: 0, answer: 42 }, { serverId: one.physicalId!, credential })).toEqual({ status: "COMPLETE" });
    await expect.poll(async () => (await rt.store.getStack(stack.id))!.status, { timeout: 15_000 }).toBe("COMPLETE");
    expect((await row("deploy")).attributes).toMatchObject({ answer: 42, deploy_status_code: 0 });
    // Repeated: acknowledged, nothing changes.
    expect(await signalDeployment(rt, deploy.physicalId!, { deploy_status_code: 1 }, { serverId: one.physicalId!, credential })).toEqual({ status: "COMPLETE" });

    await rt.engine.deleteStack(stack.id);
    await expect.poll(async () => rt.store.getStack(stack.id), { timeout: 15_000 }).toBeUndefined();
    // The credential went with the server.
    await expect(agentMetadata(rt, one.physicalId!, credential)).rejects.toBeInstanceOf(AgentRefused);
  });
});
