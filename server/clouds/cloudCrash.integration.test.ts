/**
 * No duplicates after a crash: a Kiln server is SIGKILLed after Nova answered its boot request
 * (the server exists in the cloud) and before Kiln could store the server's id. Started again
 * on the same database, it finds the server by the tag it put on it and makes no second one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, expect, it } from "vitest";
import { countingProxy, type CountingProxy } from "../testing/countingProxy";
import { startServer, trpc, type ServerProcess } from "../testing/serverProcess";
import type { CloudCredentials } from "./credentials";
import { KeystoneSession } from "./keystoneSession";
import { cloudSkipped, memberCredentials, oneServerTemplate, testCloud } from "./testing/testCloud";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-cloud-crash-"));
const databaseUrl = `file:${path.join(dir, "kiln.db")}`;
let server: ServerProcess | undefined;
let proxy: CountingProxy | undefined;

afterAll(async () => {
  await server?.stop("SIGKILL");
  await proxy?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A clouds.yaml entry for these credentials, its compute endpoint replaced (openstacksdk's compute_endpoint_override). */
function cloudsYaml(c: CloudCredentials, computeEndpoint: string): string {
  const a = c.auth;
  const auth =
    a.kind === "password"
      ? { auth_url: c.authUrl, username: a.username, user_id: a.userId, password: a.password, user_domain_name: a.userDomainName, user_domain_id: a.userDomainId, project_name: a.projectName, project_id: a.projectId, project_domain_name: a.projectDomainName, project_domain_id: a.projectDomainId }
      : { auth_url: c.authUrl, application_credential_id: a.id, application_credential_name: a.name, application_credential_secret: a.secret, username: a.username, user_domain_name: a.userDomainName };
  const clean = JSON.parse(JSON.stringify(auth)) as Record<string, string>;
  return stringify({ clouds: { "kiln-crash": { auth: clean, region_name: c.region, interface: c.interface, compute_endpoint_override: computeEndpoint } } });
}

it.skipIf(cloudSkipped)("a Kiln killed between Nova's answer and its own write makes one server, not two", async () => {
  const fx = await testCloud();
  const credentials = memberCredentials();
  const look = new KeystoneSession(credentials);
  proxy = await countingProxy(await look.endpoint("compute"));
  let killed: Promise<number | null> | undefined;
  proxy.beforeAnswer = async (req, status) => {
    if (killed || req.method !== "POST" || !/\/servers$/.test(req.path) || status !== 202) return;
    // Nova has accepted the boot: the server exists. Kiln dies before it hears of it.
    killed = server!.stop("SIGKILL");
    await killed;
  };
  const config = path.join(dir, "clouds.yaml");
  fs.writeFileSync(config, cloudsYaml(credentials, proxy.url));
  const env = { OS_CLIENT_CONFIG_FILE: config, OS_CLOUD: "kiln-crash", OS_AUTH_URL: "", OS_REGION_NAME: "" };

  const name = `crash-${Date.now().toString(36)}`;
  const template = oneServerTemplate(fx);
  const servers = async () =>
    ((await look.call("compute", "GET", `/servers/detail?name=${encodeURIComponent(`^${name}-`)}`)).body as { servers: { id: string; status: string }[] }).servers.filter(
      (s) => s.status !== "DELETED",
    );

  server = await startServer(databaseUrl, env);
  const created = await trpc<{ id: string }>(server, "stacks.create", { name, template }, "mutation");
  await expect.poll(() => killed !== undefined, { timeout: 60_000, interval: 100 }).toBe(true);
  expect(await killed).toBeNull();
  // The cloud made the server; Kiln never stored it.
  expect(await servers()).toHaveLength(1);

  server = await startServer(databaseUrl, env);
  await expect
    .poll(async () => (await trpc<{ stackStatus: string }>(server!, "stacks.show", { stack: created.id })).stackStatus, { timeout: 120_000, interval: 250 })
    .toBe("CREATE_COMPLETE");
  const made = await servers();
  expect(made).toHaveLength(1);
  const resource = await trpc<{ physicalId: string }>(server, "resources.show", { stack: created.id, resource: "server" });
  expect(resource.physicalId).toBe(made[0]!.id);
  expect(proxy.requests.filter((r) => r.method === "POST" && /\/servers$/.test(r.path))).toHaveLength(1);

  await trpc(server, "stacks.delete", { stack: created.id }, "mutation");
  await expect.poll(async () => (await servers()).length, { timeout: 120_000, interval: 500 }).toBe(0);
}, 300_000);
