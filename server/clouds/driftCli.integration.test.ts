/**
 * `kiln` shows what the cloud says: a server's cloud states in `event list --debug` and
 * `resource show`, and drift a check found in `resource list`, against a real Kiln server
 * acting in the test cloud.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "../cli/io";
import { runKiln } from "../cli/run";
import { startServer, type ServerProcess } from "../testing/serverProcess";
import { KeystoneSession } from "./keystoneSession";
import { cloudEnv, cloudSkipped, memberCredentials, testCloud } from "./testing/testCloud";

describe.skipIf(cloudSkipped)("kiln shows the cloud's state and drift", () => {
  let server: ServerProcess;
  let dir: string;
  const run = Date.now().toString(36);
  const name = `cli-drift-${run}`;

  const kiln = async (...args: string[]) => {
    const io = memoryIo({ cwd: dir, env: { KILN_TOKEN: server.token } });
    const code = await runKiln([...args, "--url", server.url], io);
    return { code, stdout: io.stdout.join("\n"), stderr: io.stderr.join("\n") };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kiln-cli-drift-"));
    server = await startServer(`file:${dir}/kiln.db`, cloudEnv());
  }, 60_000);
  afterAll(async () => {
    if (server) await kiln("stack", "delete", name, "--yes", "--wait").catch(() => undefined);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists a server's cloud states, shows its last one, and a renamed network's drift in a drift column", async () => {
    const fx = await testCloud();
    writeFileSync(
      path.join(dir, "t.yaml"),
      `heat_template_version: 2018-08-31
resources:
  net: { type: OS::Neutron::Net, properties: { name: cli-net-${run} } }
  server:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }] }
`,
    );
    expect((await kiln("stack", "create", name, "-t", "t.yaml", "--wait")).code).toBe(0);
    const events = await kiln("stack", "event", "list", name, "--debug");
    expect(events.stdout).toMatch(/^CLOUD \S+ \S+ \[server\]: CREATE BUILD$/m);
    expect(events.stdout).toMatch(/^CLOUD \S+ \S+ \[server\]: CREATE ACTIVE$/m);
    expect((await kiln("stack", "event", "list", name)).stdout).not.toContain("CLOUD");
    expect((await kiln("stack", "resource", "show", name, "server")).stdout).toMatch(/\| cloud_state +\| ACTIVE +\|/);
    expect((await kiln("stack", "resource", "list", name)).stdout).not.toContain("drift");

    const net = JSON.parse((await kiln("stack", "resource", "show", name, "net", "--json")).stdout) as { physical_resource_id: string };
    await new KeystoneSession(memberCredentials()).call("network", "PUT", `/v2.0/networks/${net.physical_resource_id}`, { body: { network: { name: `moved-${run}` } } });
    expect((await kiln("stack", "check", name, "--wait")).code).toBe(0);
    const list = (await kiln("stack", "resource", "list", name)).stdout;
    expect(list).toMatch(/\| drift +\|/);
    expect(list).toContain(`name is 'moved-${run}' in the cloud, Kiln applied 'cli-net-${run}'`);
  }, 240_000);
});
