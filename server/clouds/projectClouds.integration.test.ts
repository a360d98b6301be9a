/**
 * A Kiln project's own OpenStack credentials on a real server against the real minicloud
 * Keystone: checked before they are kept, kept sealed, never shown back, used by that project's
 * stacks only, and changed by its members only.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import os from "node:os";
import path from "node:path";
import { signIn, startServer, trpc, type Endpoint, type ServerProcess } from "../testing/serverProcess";
import { KeystoneSession } from "./keystoneSession";
import { adminCredentials, cloudSkipped, makeKeystoneUser, memberCredentials, testCloud, type KeystoneTestUser } from "./testing/testCloud";

type Obj = Record<string, unknown>;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-project-clouds-"));
const dbFile = path.join(dir, "kiln.db");
let running: ServerProcess | undefined;
const server = () => running!;
const run = Date.now().toString(36);
let keystoneUser: KeystoneTestUser;
let admin: KeystoneSession;
const as = {} as Record<"admin" | "reader" | "member" | "outsider", Endpoint>;

const entry = (password: string) => {
  const m = memberCredentials();
  return {
    auth: { auth_url: m.authUrl, username: keystoneUser.name, password, user_domain_id: "default", project_name: keystoneUser.projectName, project_domain_id: "default" },
    region_name: m.region,
  };
};

/** A tRPC call's HTTP status and error message (if any). */
async function attempt(endpoint: Endpoint, procedure: string, input: unknown, project?: string): Promise<{ status: number; message?: string; data?: Obj }> {
  const res = await fetch(`${endpoint.url}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${endpoint.token}`, ...(project ? { "x-kiln-project": project } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: Obj }; error?: { message: string } };
  return { status: res.status, message: body.error?.message, data: body.result?.data };
}

const template = (name: string) => `
heat_template_version: 2018-08-31
resources:
  net: { type: OS::Neutron::Net, properties: { name: ${name} } }
`;

/** The ProjectCloud rows as the database holds them. */
function storedCredentials(): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(`SELECT "credentials" FROM "ProjectCloud"`).all() as { credentials: string }[]).map((r) => r.credentials);
  } finally {
    db.close();
  }
}

async function settled(endpoint: Endpoint, stack: string): Promise<Obj> {
  let shown: Obj = {};
  await expect
    .poll(async () => {
      shown = await trpc<Obj>(endpoint, "stacks.show", { stack });
      return shown.status;
    }, { timeout: 60_000, interval: 250 })
    .not.toBe("IN_PROGRESS");
  return shown;
}

describe.skipIf(cloudSkipped)("a project's own OpenStack credentials", () => {
  beforeAll(async () => {
    await testCloud();
    // The server has no cloud of its own: projects act only in the clouds they are given. The
    // minicloud's Keystone is on loopback, which only KILN_AUTH_URL_ALLOW_INTERNAL lets a project name.
    running = await startServer(`file:${dbFile}`, { OS_CLOUD: "", OS_AUTH_URL: "", OS_CLIENT_CONFIG_FILE: "", KILN_AUTH_URL_ALLOW_INTERNAL: "1" });
    admin = new KeystoneSession(adminCredentials());
    keystoneUser = await makeKeystoneUser("kiln-creds");
    as.admin = { url: server().url, token: server().token };
    for (const name of ["alpha", "beta"]) await trpc(as.admin, "projects.create", { name }, "mutation");
    for (const [user, project, role] of [["reader", "alpha", "reader"], ["member", "alpha", "member"], ["outsider", "beta", "member"]] as const) {
      await trpc(as.admin, "users.create", { name: user, password: `${user}-password` }, "mutation");
      await trpc(as.admin, "roles.add", { user, project, role }, "mutation");
      as[user] = { url: server().url, token: await signIn(server().url, user, `${user}-password`) };
    }
  }, 120_000);

  afterAll(async () => {
    for (const endpoint of [as.member, as.outsider]) {
      for (const s of endpoint ? await trpc<{ id: string }[]>(endpoint, "stacks.list", {}).catch(() => []) : []) {
        await trpc(endpoint!, "stacks.delete", { stack: s.id }, "mutation").catch(() => undefined);
      }
    }
    await keystoneUser?.remove();
    await running?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("a wrong password is refused with Keystone's own message, and nothing is kept", async () => {
    const refused = await attempt(as.member, "cloud.set", { entry: entry("not-the-password") });
    expect(refused.status).toBe(400);
    expect(refused.message).toContain("The request you have made requires authentication");
    expect(refused.message).toContain("HTTP 401");
    expect((await trpc<{ own: unknown }>(as.member, "cloud.show", {})).own).toBeNull();
  });

  it("a field missing is named, and nothing is kept", async () => {
    const { password: _, ...noPassword } = entry("x").auth;
    const refused = await attempt(as.member, "cloud.set", { entry: { auth: noPassword } });
    expect(refused.status).toBe(400);
    expect(refused.message).toBe("the cloud entry has no password");
    const badInterface = await attempt(as.member, "cloud.set", { entry: { ...entry("x"), interface: "sideways" } });
    expect(badInterface.message).toBe('the cloud entry has interface "sideways"; use public, internal or admin');
  });

  it("the right credentials are kept sealed and shown without their secret; readers see them, cannot change them", async () => {
    const saved = await attempt(as.member, "cloud.set", { entry: entry(keystoneUser.password) });
    expect(saved.status).toBe(200);
    expect(saved.data).toMatchObject({ user: keystoneUser.name, project: keystoneUser.projectName, secret: "password: set", authType: "password" });
    const shown = await trpc<{ own: Obj }>(as.reader, "cloud.show", {});
    expect(shown.own).toMatchObject({ authUrl: memberCredentials().authUrl, user: keystoneUser.name, secret: "password: set" });
    expect(JSON.stringify(shown)).not.toContain(keystoneUser.password);
    expect(JSON.stringify(saved)).not.toContain(keystoneUser.password);

    expect((await attempt(as.reader, "cloud.set", { entry: entry("anything") })).status).toBe(403);
    expect((await attempt(as.reader, "cloud.unset", {})).status).toBe(403);
    expect((await attempt(as.reader, "cloud.test", {})).status).toBe(403);
    // Another project's member sees only its own project, which has none.
    expect((await trpc<{ own: unknown }>(as.outsider, "cloud.show", {})).own).toBeNull();
    expect((await attempt(as.member, "cloud.test", {})).status).toBe(200);

    const files = [dbFile, `${dbFile}-wal`].filter((f) => fs.existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.readFileSync(f).includes(keystoneUser.password)).toBe(false);
    expect(storedCredentials().map((r) => r.slice(0, 15))).toEqual(["kiln-sealed:v1:"]);
  });

  it("the project's stacks act in its cloud; another project's stacks do not", async () => {
    const netName = `kiln-creds-net-${run}`;
    const stack = await trpc<{ id: string }>(as.member, "stacks.create", { name: "own-cloud", template: template(netName) }, "mutation");
    expect(await settled(as.member, stack.id)).toMatchObject({ status: "COMPLETE" });
    const nets = (await admin.call("network", "GET", `/v2.0/networks?name=${netName}`)).body as { networks: { project_id: string }[] };
    const demoProject = (await new KeystoneSession(memberCredentials()).projectId());
    expect(nets.networks.map((n) => n.project_id)).toEqual([demoProject]);

    const foreign = await trpc<{ id: string }>(as.outsider, "stacks.create", { name: "no-cloud", template: template(`${netName}-beta`) }, "mutation");
    const failed = await settled(as.outsider, foreign.id);
    expect(failed.status).toBe("FAILED");
    expect(String(failed.statusReason)).toContain("No OpenStack cloud is configured for this project");

    // Deleted while the credentials still hold, the stack leaves nothing in the project's cloud.
    await trpc(as.member, "stacks.delete", { stack: stack.id }, "mutation");
    await expect.poll(() => trpc(as.member, "stacks.show", { stack: stack.id }).then(() => "there", (e: Error) => e.message), { timeout: 60_000, interval: 250 }).toMatch(/not found/i);
    expect(((await admin.call("network", "GET", `/v2.0/networks?name=${netName}`)).body as { networks: unknown[] }).networks).toEqual([]);
  });

  it("once removed, the project's new work acts in no cloud", async () => {
    expect((await attempt(as.member, "cloud.unset", {})).data).toEqual({ removed: true });
    expect((await trpc<{ own: unknown }>(as.reader, "cloud.show", {})).own).toBeNull();
    const stack = await trpc<{ id: string }>(as.member, "stacks.create", { name: "after-unset", template: template(`kiln-creds-net2-${run}`) }, "mutation");
    const failed = await settled(as.member, stack.id);
    expect(failed.status).toBe("FAILED");
    expect(String(failed.statusReason)).toContain("No OpenStack cloud is configured for this project");
  });

  it("deleting a project deletes its credentials", async () => {
    await trpc(as.admin, "projects.create", { name: "gamma" }, "mutation");
    expect((await attempt(as.admin, "cloud.set", { entry: entry(keystoneUser.password) }, "gamma")).status).toBe(200);
    expect(storedCredentials()).toHaveLength(1);
    await trpc(as.admin, "projects.delete", { name: "gamma" }, "mutation");
    expect(storedCredentials()).toEqual([]);
  });
});
