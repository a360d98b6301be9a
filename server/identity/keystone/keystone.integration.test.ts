/**
 * Keystone mode against the real Keystone (minicloud's, which .ci/run starts): tokens from
 * Keystone work at every door, projects and roles come from Keystone, bad tokens are 401,
 * Keystone down is a quick 503, validations are cached, and signing in (browser and
 * `kiln login`) takes Keystone passwords. Kiln reaches Keystone through a counting proxy, so
 * the tests see each request Kiln makes, and can make Keystone vanish for this Kiln only.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingProxy, type CountingProxy } from "../../testing/countingProxy";
import { deleteServiceTrusts, ensureTestUsers, issueToken, KEYSTONE_URL, keystoneAccepts, keystoneEnv, keystoneSkipped, OTHER_PROJECT, revokeToken, tokenExpiringIn, tokenOf, USERS } from "../../testing/keystone";
import { startServer, type ServerProcess } from "../../testing/serverProcess";
import { PASSWORD_FILE } from "../firstStart";

const template = "heat_template_version: 2018-08-31\nresources: {}\n";
const here = path.dirname(fileURLToPath(import.meta.url));

interface Answer {
  status: number;
  body: { result?: { data: unknown }; error?: { message: string; data?: { code: string } } };
  ms: number;
}

/** A tRPC call as any HTTP client makes it, with the headers given (X-Auth-Token, a cookie, …). */
async function call(url: string, procedure: string, headers: Record<string, string>, input?: unknown, kind: "query" | "mutation" = "query"): Promise<Answer> {
  const started = Date.now();
  const res =
    kind === "query"
      ? await fetch(`${url}/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers })
      : await fetch(`${url}/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(input) });
  return { status: res.status, body: (await res.json()) as Answer["body"], ms: Date.now() - started };
}

const auth = (token: string) => ({ "x-auth-token": token });
const stackNames = async (url: string, headers: Record<string, string>) => ((await call(url, "stacks.list", headers)).body.result!.data as { name: string }[]).map((s) => s.name);
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const dirs: string[] = [];
async function kilnServer(env: Record<string, string>): Promise<ServerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-keystone-"));
  dirs.push(dir);
  return startServer(`file:${path.join(dir, "kiln.db")}`, { KILN_DATA_DIR: dir, ...env });
}

describe.skipIf(keystoneSkipped)("Keystone mode against the real Keystone", { timeout: 60_000 }, () => {
  let projects: Record<string, string>;
  let proxy: CountingProxy;
  let kiln: ServerProcess;

  beforeAll(async () => {
    projects = await ensureTestUsers();
    proxy = await countingProxy(KEYSTONE_URL);
    kiln = await kilnServer(keystoneEnv(proxy.url, { KILN_KEYSTONE_TOKEN_CACHE_TIME: "600" }));
  }, 60_000);

  afterAll(async () => {
    await kiln?.stop();
    await proxy?.close();
    // Every stack made here acts through a trust from its creator (clouds/stackTrusts.ts); the stacks are not deleted.
    await deleteServiceTrusts();
  });

  it("a token from `openstack token issue` works: the caller acts in the token's project with its role", async () => {
    const issued = await new Promise<string>((resolve, reject) =>
      execFile("openstack", ["token", "issue", "-f", "value", "-c", "id"], { env: { ...process.env, OS_CLOUD: "minicloud-demo", OS_CLIENT_CONFIG_FILE: "/tmp/minicloud/clouds.yaml" } }, (err, out) =>
        err ? reject(err) : resolve(out.trim()),
      ),
    );
    const me = (await call(kiln.url, "session.whoami", auth(issued))).body.result!.data as { userName: string; project: unknown };
    expect(me).toMatchObject({ userName: "demo", project: { id: projects.demo, name: "demo", role: "member" } });
    const name = unique("from-openstack-cli");
    expect((await call(kiln.url, "stacks.create", auth(issued), { name, template }, "mutation")).status).toBe(200);
    // The same token as a bearer token (what the kiln CLI sends) is the same caller.
    expect(await stackNames(kiln.url, { authorization: `Bearer ${issued}` })).toContain(name);
  });

  it("a project's stacks are its own: demo sees none of admin's, and cannot choose admin's project", async () => {
    const admin = (await tokenOf("admin")).token;
    const demo = (await tokenOf("demo")).token;
    const name = unique("admins");
    const created = await call(kiln.url, "stacks.create", auth(admin), { name, template }, "mutation");
    const id = (created.body.result!.data as { id: string }).id;
    expect(await stackNames(kiln.url, auth(admin))).toContain(name);
    expect(await stackNames(kiln.url, auth(demo))).not.toContain(name);
    const shown = await call(kiln.url, "stacks.show", auth(demo), { stack: id });
    expect(shown.status).toBe(404);
    const elsewhere = await call(kiln.url, "stacks.list", { ...auth(demo), "x-kiln-project": "admin" });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error!.message).toBe('You have no role in a project "admin"');
  });

  it("a reader sees the project's stacks and cannot change them", async () => {
    const demoStack = unique("seen-by-reader");
    await call(kiln.url, "stacks.create", auth((await tokenOf("demo")).token), { name: demoStack, template }, "mutation");
    const reader = (await tokenOf("reader")).token;
    expect(await stackNames(kiln.url, auth(reader))).toContain(demoStack);
    const byReader = unique("by-reader");
    const refused = await call(kiln.url, "stacks.create", auth(reader), { name: byReader, template }, "mutation");
    expect(refused.status).toBe(403);
    expect(refused.body.error!.message).toBe('This needs the member role in project "demo"; you are a reader there');
    expect(await stackNames(kiln.url, auth(reader))).not.toContain(byReader);
  });

  it("a garbage, revoked or expired token is refused with 401, as is no token", async () => {
    const demo = await tokenOf("demo");
    const revoked = (await tokenOf("demo")).token;
    await revokeToken(revoked);
    const expired = tokenExpiringIn(demo.userId, demo.projectId!, -5);
    // The same forge, expiring in the future, is a token Keystone takes: the expiry alone is what is refused.
    const fresh = tokenExpiringIn(demo.userId, demo.projectId!, 5);
    expect(await keystoneAccepts(fresh)).toBe(true);
    expect((await call(kiln.url, "stacks.list", auth(fresh))).status).toBe(200);
    for (const token of ["garbage", "gAAAAAB" + "x".repeat(180), revoked, expired]) {
      const r = await call(kiln.url, "stacks.list", auth(token));
      expect(r.status, token.slice(0, 20)).toBe(401);
      expect(r.body.error!.message).toMatch(/^Sign in first/);
    }
    expect((await call(kiln.url, "stacks.list", {})).status).toBe(401);
    // A cookie can carry what no header may (a %-encoded newline): refused, not sent on to Keystone.
    expect((await call(kiln.url, "stacks.list", { cookie: "kiln_session=gAAA%0Aevil" })).status).toBe(401);
  });

  it("a validation is cached: the second call does not ask Keystone, and holds while Keystone is away, but a new token cannot be checked then (503, at once)", async () => {
    const token = (await tokenOf("demo")).token;
    const before = proxy.requests.length;
    expect((await call(kiln.url, "stacks.list", auth(token))).status).toBe(200);
    const asked = proxy.requests.length - before;
    expect(asked).toBeGreaterThan(0);
    expect(proxy.requests.slice(before).some((r) => r.method === "GET" && r.path.startsWith("/v3/auth/tokens"))).toBe(true);
    expect((await call(kiln.url, "stacks.list", auth(token))).status).toBe(200);
    expect(proxy.requests.length - before).toBe(asked);
    proxy.mode = "down";
    try {
      expect((await call(kiln.url, "stacks.list", auth(token))).status).toBe(200);
      const unknown = await call(kiln.url, "stacks.list", auth((await tokenOf("demo")).token));
      expect(unknown.status).toBe(503);
      expect(unknown.body.error!.message).toBe(`Keystone (${proxy.url}) cannot be reached; try again later`);
    } finally {
      proxy.mode = "up";
    }
  });

  it("switching project rescopes the token: the unscoped sign-in acts in each of the user's projects with the role held there", async () => {
    const unscoped = (await issueToken(USERS.reader.name, USERS.reader.password)).token;
    const inDemo = (await call(kiln.url, "session.whoami", auth(unscoped))).body.result!.data as { projects: { name: string }[]; project: unknown };
    expect(inDemo.projects.map((p) => p.name)).toEqual(["demo", OTHER_PROJECT]);
    expect(inDemo.project).toMatchObject({ name: "demo", role: "reader" });
    const before = proxy.requests.length;
    const other = { ...auth(unscoped), "x-kiln-project": OTHER_PROJECT };
    expect((await call(kiln.url, "session.whoami", other)).body.result!.data).toMatchObject({ project: { id: projects[OTHER_PROJECT], role: "member" } });
    expect(proxy.requests.slice(before).some((r) => r.method === "POST" && r.path.startsWith("/v3/auth/tokens"))).toBe(true);
    const name = unique("in-other");
    expect((await call(kiln.url, "stacks.create", other, { name, template }, "mutation")).status).toBe(200);
    expect(await stackNames(kiln.url, other)).toContain(name);
    expect(await stackNames(kiln.url, auth(unscoped))).not.toContain(name);
  });

  it("the browser signs in with a Keystone password: the cookie holds the token until Keystone's expiry; signing out revokes it", async () => {
    // What the login page asks first: Keystone's users, with a domain field.
    expect(await (await fetch(`${kiln.url}/api/session`)).json()).toEqual({ identity: "keystone", defaultDomain: "Default" });
    const wrong = await fetch(`${kiln.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "demo", password: "not-demo" }) });
    expect(wrong.status).toBe(401);
    const elsewhere = await fetch(`${kiln.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "demo", password: "demo", domain: "NoSuchDomain" }) });
    expect(elsewhere.status).toBe(401);
    const res = await fetch(`${kiln.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "demo", password: "demo" }) });
    expect(res.status).toBe(200);
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(3_600_000);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    const token = /kiln_session=([^;]+)/.exec(setCookie)![1]!;
    expect(await keystoneAccepts(token)).toBe(true);
    const cookie = { cookie: `kiln_session=${token}` };
    expect((await call(kiln.url, "session.whoami", cookie)).body.result!.data).toMatchObject({ userName: "demo", project: { name: "demo", role: "member" } });
    expect((await fetch(`${kiln.url}/api/session`, { method: "DELETE", headers: cookie })).status).toBe(200);
    expect(await keystoneAccepts(token)).toBe(false);
    expect((await call(kiln.url, "session.whoami", cookie)).status).toBe(401);
  });

  it("a socket.io connection with a Keystone token sees its project's stacks only", async () => {
    const admin = (await tokenOf("admin")).token;
    const adminStack = (await call(kiln.url, "stacks.create", auth(admin), { name: unique("socket"), template }, "mutation")).body.result!.data as { id: string };
    const socket = connect(kiln.url, { path: "/socket.io", transports: ["websocket"], auth: { token: (await tokenOf("demo")).token }, reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("hello", () => resolve());
        socket.once("connect_error", reject);
      });
      const answer = await socket.emitWithAck("subscribe", { stackId: adminStack.id });
      expect(answer).toEqual({ error: `Stack "${adminStack.id}" not found` });
    } finally {
      socket.close();
    }
  });

  it("users are managed in Keystone: Kiln's user commands refuse, and no first-start admin was made", async () => {
    const admin = (await tokenOf("admin")).token;
    const r = await call(kiln.url, "users.create", auth(admin), { name: "someone", password: "someone-password" }, "mutation");
    expect(r.status).toBe(403);
    expect(r.body.error!.message).toMatch(/^Users, projects and roles are managed in Keystone \(.*\), not by Kiln: use openstack user create/);
    expect((await call(kiln.url, "projects.create", auth(admin), { name: "p" }, "mutation")).status).toBe(403);
    expect(kiln.log()).not.toMatch(/created the "admin" user/);
    expect(fs.existsSync(path.join(dirs[0]!, PASSWORD_FILE))).toBe(false);
  });

  it("kiln login takes a Keystone password; later commands use the token; kiln user create exits 3 saying why", async () => {
    const config = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-keystone-cli-"));
    dirs.push(config);
    const kilnCli = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [path.join(here, "../../cli/kiln.mjs"), ...args, "--url", kiln.url], { env: { ...process.env, XDG_CONFIG_HOME: config, KILN_TOKEN: "", KILN_USERNAME: "", KILN_PASSWORD: "" } }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const wrong = await kilnCli("login", "--username", "demo", "--password", "wrong");
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/wrong user name or password/);
    const login = await kilnCli("login", "--username", "admin", "--password", "admin", "--domain", "Default");
    expect(login.stderr).toMatch(/^Signed in to .* as admin until /);
    expect(login.code).toBe(0);
    const saved = JSON.parse(fs.readFileSync(path.join(config, "kiln", "tokens.json"), "utf8")) as Record<string, { token: string }>;
    expect(await keystoneAccepts(Object.values(saved)[0]!.token)).toBe(true);
    const list = await kilnCli("stack", "list", "--json");
    expect(list.code).toBe(0);
    expect(Array.isArray(JSON.parse(list.stdout))).toBe(true);
    const create = await kilnCli("user", "create", "someone", "--password", "someone-password");
    expect(create.code).toBe(3);
    expect(create.stderr).toMatch(/managed in Keystone/);
  });
});

describe.skipIf(keystoneSkipped)("Keystone mode when Keystone is slow, gone, or forgets", { timeout: 60_000 }, () => {
  let silent: net.Server;
  let slow: ServerProcess;
  let proxy: CountingProxy;
  let selfValidating: ServerProcess;

  beforeAll(async () => {
    await ensureTestUsers();
    // Takes connections and never answers: the worst Keystone, which must not hang Kiln.
    silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    proxy = await countingProxy(KEYSTONE_URL);
    [slow, selfValidating] = await Promise.all([
      kilnServer(keystoneEnv(`http://127.0.0.1:${port}/v3`, { KILN_KEYSTONE_TIMEOUT_SECS: "1" })),
      // No service user: tokens validate themselves; and a short cache.
      kilnServer({ KILN_KEYSTONE_URL: proxy.url, KILN_KEYSTONE_TOKEN_CACHE_TIME: "2", KILN_ADMIN_PASSWORD: "" }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([slow?.stop(), selfValidating?.stop()]);
    await proxy?.close();
    silent?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("Keystone that does not answer: 503 within the time limit, for the API and for signing in, never 401 and never a hang", async () => {
    const token = (await tokenOf("demo")).token;
    const r = await call(slow.url, "stacks.list", auth(token));
    expect(r.status).toBe(503);
    expect(r.body.error!.message).toMatch(/^Keystone \(http:\/\/127\.0\.0\.1:\d+\/v3\) did not answer within 1 s; try again later$/);
    expect(r.ms).toBeLessThan(10_000);
    const signIn = await fetch(`${slow.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "demo", password: "demo" }) });
    expect(signIn.status).toBe(503);
    expect(((await signIn.json()) as { error: string }).error).toMatch(/did not answer/);
  });

  it("without a service user a token validates itself; a cached answer lasts the cache time, then Keystone is asked again", async () => {
    const token = (await tokenOf("demo")).token;
    expect((await call(selfValidating.url, "stacks.list", auth(token))).status).toBe(200);
    const validations = proxy.requests.filter((r) => r.method === "GET" && r.path.startsWith("/v3/auth/tokens")).length;
    expect(validations).toBe(1);
    proxy.mode = "down";
    try {
      expect((await call(selfValidating.url, "stacks.list", auth(token))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await call(selfValidating.url, "stacks.list", auth(token))).status).toBe(503);
    } finally {
      proxy.mode = "up";
    }
    expect((await call(selfValidating.url, "stacks.list", auth(token))).status).toBe(200);
  });

  it("a revoked token keeps working until its cached validation ends (as with keystonemiddleware), then is refused", async () => {
    const token = (await tokenOf("demo")).token;
    expect((await call(selfValidating.url, "stacks.list", auth(token))).status).toBe(200);
    await revokeToken(token);
    expect((await call(selfValidating.url, "stacks.list", auth(token))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await call(selfValidating.url, "stacks.list", auth(token))).status).toBe(401);
  });
});
