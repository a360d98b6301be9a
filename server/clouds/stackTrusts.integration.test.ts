/**
 * Keystone mode with no project credentials, against the real minicloud: a stack acts with its
 * creator's identity through a Keystone trust, as Heat's does. The demo user's token creates a
 * stack, is revoked, and the stack's network is still made, in the demo project; deleting the
 * stack deletes its network and its trust. A trust Keystone cannot make is a create refused.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteServiceTrusts, ensureTestUsers, issueToken, KEYSTONE_URL, keystoneAccepts, keystoneEnv, keystoneSkipped, revokeToken, tokenOf, USERS } from "../testing/keystone";
import { countingProxy } from "../testing/countingProxy";
import { startServer, type ServerProcess } from "../testing/serverProcess";
import { KeystoneSession } from "./keystoneSession";
import { adminCredentials, cloudSkipped } from "./testing/testCloud";

type Obj = Record<string, unknown>;
interface Trust {
  id: string;
  trustor_user_id: string;
  trustee_user_id: string;
  project_id: string;
  impersonation: boolean;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-trusts-"));
let kiln: ServerProcess | undefined;
let admin: KeystoneSession;
let projects: Record<string, string>;
const run = Date.now().toString(36);

async function trpc(token: string, procedure: string, input: unknown, kind: "query" | "mutation" = "query") {
  return trpcAt(kiln!, token, procedure, input, kind);
}

async function trpcAt(server: ServerProcess, token: string, procedure: string, input: unknown, kind: "query" | "mutation" = "query"): Promise<{ status: number; data?: Obj & Obj[]; message?: string }> {
  const res =
    kind === "query"
      ? await fetch(`${server.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { "x-auth-token": token } })
      : await fetch(`${server.url}/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", "x-auth-token": token }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: Obj & Obj[] }; error?: { message: string } };
  return { status: res.status, data: body.result?.data, message: body.error?.message };
}

/** The trusts the demo user has given Kiln's service user, as Keystone lists them. */
async function demoTrusts(demoId: string, serviceId: string): Promise<Trust[]> {
  const listed = (await admin.call("identity", "GET", `${KEYSTONE_URL}/OS-TRUST/trusts?trustor_user_id=${demoId}`)).body as { trusts: Trust[] };
  return listed.trusts.filter((t) => t.trustee_user_id === serviceId);
}

async function networksNamed(name: string): Promise<{ id: string; project_id: string; created_at: string }[]> {
  return ((await admin.call("network", "GET", `/v2.0/networks?name=${name}`)).body as { networks: { id: string; project_id: string; created_at: string }[] }).networks;
}

const template = (netName: string) => `
heat_template_version: 2018-08-31
resources:
  # Holds the network back until the creator's token has been revoked.
  gate: { type: OS::Heat::TestResource, properties: { wait_secs: 5 } }
  net: { type: OS::Neutron::Net, depends_on: gate, properties: { name: ${netName} } }
`;

describe.skipIf(keystoneSkipped || cloudSkipped)("a stack acts through its creator's Keystone trust", () => {
  beforeAll(async () => {
    projects = await ensureTestUsers();
    admin = new KeystoneSession(adminCredentials());
    // No cloud of the server's own and no project credentials: only the trust can make anything.
    kiln = await startServer(`file:${path.join(dir, "kiln.db")}`, { KILN_DATA_DIR: dir, OS_CLOUD: "", OS_AUTH_URL: "", OS_CLIENT_CONFIG_FILE: "", ...keystoneEnv() });
  }, 60_000);

  afterAll(async () => {
    await kiln?.stop();
    await deleteServiceTrusts();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the network is made in the creator's project after their token is revoked; the stack's delete removes it and the trust", { timeout: 120_000 }, async () => {
    const netName = `kiln-trust-net-${run}`;
    const creator = await tokenOf("demo");
    const serviceId = (await issueToken(USERS.service.name, USERS.service.password, USERS.service.project)).userId;
    const before = (await demoTrusts(creator.userId, serviceId)).map((t) => t.id);

    const created = await trpc(creator.token, "stacks.create", { name: `trusted-${run}`, template: template(netName) }, "mutation");
    expect(created.status, created.message).toBe(200);
    await revokeToken(creator.token);
    const revokedAt = Date.now();
    expect(await keystoneAccepts(creator.token)).toBe(false);

    const made = (await demoTrusts(creator.userId, serviceId)).filter((t) => !before.includes(t.id));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ trustor_user_id: creator.userId, project_id: projects.demo, impersonation: true });
    const delegated = (await admin.call("identity", "GET", `${KEYSTONE_URL}/OS-TRUST/trusts/${made[0]!.id}/roles`)).body as { roles: { name: string }[] };
    expect(delegated.roles.map((r) => r.name)).toContain("member");

    const viewer = (await tokenOf("demo")).token;
    await expect
      .poll(async () => (await trpc(viewer, "stacks.show", { stack: created.data!.id })).data?.status, { timeout: 60_000, interval: 500 })
      .toBe("COMPLETE");
    const nets = await networksNamed(netName);
    expect(nets.map((n) => n.project_id)).toEqual([projects.demo]);
    // Neutron's clock is whole seconds: the network is younger than the revocation.
    expect(Date.parse(nets[0]!.created_at.endsWith("Z") ? nets[0]!.created_at : `${nets[0]!.created_at}Z`)).toBeGreaterThanOrEqual(revokedAt - 1000);

    expect((await trpc(viewer, "stacks.delete", { stack: created.data!.id }, "mutation")).status).toBe(200);
    await expect
      .poll(async () => ((await trpc(viewer, "stacks.list", {})).data ?? []).some((s) => s.id === created.data!.id), { timeout: 60_000, interval: 500 })
      .toBe(false);
    expect(await networksNamed(netName)).toEqual([]);
    expect((await demoTrusts(creator.userId, serviceId)).map((t) => t.id)).not.toContain(made[0]!.id);
  });

  it("when Keystone cannot be reached to make the trust, the create is refused with 503 and nothing is made", { timeout: 60_000 }, async () => {
    const proxy = await countingProxy(KEYSTONE_URL);
    const proxyDir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-trusts-down-"));
    const behind = await startServer(`file:${path.join(proxyDir, "kiln.db")}`, { KILN_DATA_DIR: proxyDir, OS_CLOUD: "", OS_AUTH_URL: "", OS_CLIENT_CONFIG_FILE: "", ...keystoneEnv(proxy.url, { KILN_KEYSTONE_TOKEN_CACHE_TIME: "600" }) });
    try {
      const demo = (await tokenOf("demo")).token;
      expect((await trpcAt(behind, demo, "stacks.list", {})).data).toEqual([]);
      proxy.mode = "down";
      const refused = await trpcAt(behind, demo, "stacks.create", { name: `no-trust-${run}`, template: template(`kiln-trust-none-${run}`) }, "mutation");
      expect(refused.status).toBe(503);
      expect(refused.message).toBe(`Keystone (${proxy.url}) cannot be reached to make the trust the stack acts through; try again later (nothing was made)`);
      expect((await trpcAt(behind, demo, "stacks.list", {})).data).toEqual([]);
    } finally {
      await behind.stop();
      await proxy.close();
      fs.rmSync(proxyDir, { recursive: true, force: true });
    }
  });
});
