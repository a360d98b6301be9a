/**
 * Every door of a real server, tried by every kind of caller: nobody, a reader, a member and
 * an admin of project alpha, and a member of project beta. The procedures come from the
 * router's own definition, so a procedure added without a declared role, or without an entry
 * here, fails this test.
 */
import { io, type Socket } from "socket.io-client";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { appRouter } from "../api/root";
import type { ProcedureAccess } from "../api/trpc";
import { authHeaders, signIn, trpc, type Endpoint } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";
import { roleAllows, type Role } from "./roles";

const server = serverForSuite("access", { KILN_WORKERS: "2" });

type Who = "nobody" | "reader" | "member" | "admin" | "outsider";
const WHO: Who[] = ["nobody", "reader", "member", "admin", "outsider"];
/** Each caller's role in alpha (the outsider is a member of beta only; the admin, of admin). */
const ROLE_IN_ALPHA: Record<Exclude<Who, "nobody" | "outsider">, Role> = { reader: "reader", member: "member", admin: "admin" };

const template = `
heat_template_version: 2018-08-31
resources:
  handle: { type: OS::Heat::WaitConditionHandle }
  thing: { type: OS::Heat::TestResource, properties: { value: hello } }
  box: { type: OS::Heat::DeployedServer }
  cfg: { type: OS::Heat::SoftwareConfig, properties: { group: script, config: "echo hi" } }
  dep: { type: OS::Heat::SoftwareDeployment, properties: { config: { get_resource: cfg }, server: { get_resource: box }, signal_transport: NO_SIGNAL } }
outputs:
  greeting: { value: { get_attr: [thing, output] } }
`;

const endpoints = {} as Record<Who, Endpoint>;
let target: { id: string; name: string };
let handleToken: string;
/** The server's agent credential (members and admins only), and a config and deployment of alpha's. */
const software = { credential: "", configId: "", deploymentId: "" };

const headersOf = (who: Who) => ({ ...authHeaders(endpoints[who]), ...(who === "admin" ? { "x-kiln-project": "alpha" } : {}) });

/** One call as `who`, answering the HTTP status and the body's text. */
async function call(who: Who, path: string, type: string, input: unknown): Promise<{ status: number; text: string }> {
  const { url } = server();
  const res =
    type === "query"
      ? await fetch(`${url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: headersOf(who) })
      : await fetch(`${url}/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headersOf(who) }, body: JSON.stringify(input) });
  return { status: res.status, text: await res.text() };
}

const adminInAlpha = (): Endpoint => ({ url: server().url, token: server().token });
const createInAlpha = async (name: string) => {
  const res = await fetch(`${server().url}/api/trpc/stacks.create`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(adminInAlpha()), "x-kiln-project": "alpha" },
    body: JSON.stringify({ name, template }),
  });
  return ((await res.json()) as { result: { data: { id: string; name: string } } }).result.data;
};

let serial = 0;
/** Inputs for every procedure; `stack` is the stack the call is about (a throw-away one for a change that is allowed). */
const INPUTS: Record<string, (stack: string) => unknown> = {
  "stacks.list": () => undefined,
  "stacks.show": (stack) => ({ stack }),
  "stacks.create": () => ({ name: `made-${++serial}`, template }),
  "stacks.update": (stack) => ({ stack, template }),
  "stacks.preview": (stack) => ({ stack, template }),
  "stacks.delete": (stack) => ({ stack }),
  "stacks.cancel": (stack) => ({ stack }),
  "stacks.check": (stack) => ({ stack }),
  "resources.list": (stack) => ({ stack }),
  "resources.show": (stack) => ({ stack, resource: "handle" }),
  "outputs.list": (stack) => ({ stack }),
  "outputs.show": (stack) => ({ stack, output: "greeting" }),
  "events.list": (stack) => ({ stack }),
  "templates.validate": () => ({ template }),
  "resourceTypes.list": () => ({}),
  "resourceTypes.show": () => ({ type: "OS::Heat::None" }),
  "session.whoami": () => undefined,
  "users.create": () => ({ name: `user-${++serial}`, password: "a-long-password" }),
  "projects.create": () => ({ name: `project-${++serial}` }),
  "roles.add": () => ({ user: "reader", project: "beta", role: "reader" }),
  "users.list": () => undefined,
  "users.delete": () => ({ name: "doomed" }),
  "users.setPassword": () => ({ name: "spare", password: "a-new-long-password" }),
  // Through the door for anyone signed in; the wrong current password then changes nothing (400).
  "users.changeOwnPassword": () => ({ current: "not-my-password", password: "a-new-long-password" }),
  "projects.list": () => undefined,
  "projects.delete": () => ({ name: "empty" }),
  "roles.remove": () => ({ user: "spare", project: "beta" }),
  "software.agents": (stack) => ({ stack }),
  "software.agentCommands": (stack) => ({ stack }),
  "software.deploymentOf": (stack) => ({ stack, resource: "dep" }),
  "software.configList": () => ({}),
  "software.configShow": () => ({ id: software.configId }),
  "software.deploymentList": () => ({}),
  "software.deploymentShow": () => ({ id: software.deploymentId }),
  // Through the door for members; a Keystone that cannot be reached then keeps nothing (400).
  "cloud.show": () => undefined,
  "cloud.set": () => ({ entry: { auth: { auth_url: "http://127.0.0.1:9/v3", username: "u", password: "p", project_name: "p" } } }),
  "cloud.test": () => ({ entry: { auth: { auth_url: "http://127.0.0.1:9/v3", username: "u", password: "p", project_name: "p" } } }),
  "cloud.unset": () => undefined,
};
/** Procedures about one config or deployment of alpha's: to another project's caller, it does not exist. */
const ABOUT_AN_ITEM = new Set(["software.configShow", "software.deploymentShow"]);
/** Procedures about one stack: to a caller of another project, that stack does not exist. */
const ABOUT_A_STACK = (path: string) => INPUTS[path]!("S") !== undefined && JSON.stringify(INPUTS[path]!("S")).includes('"stack":"S"');
const CHANGES = (type: string) => type === "mutation";

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: { access?: ProcedureAccess } } }>).map(([path, p]) => ({
  path,
  type: p._def.type,
  access: p._def.meta?.access,
}));

/** What a caller must get: through the door ("ok"), or refused with this status. */
function expected(who: Who, access: ProcedureAccess, path: string): "ok" | 401 | 403 | 404 {
  if (who === "nobody") return 401;
  if (access === "signedIn") return "ok";
  if (who === "outsider") return access === "admin" ? 403 : ABOUT_A_STACK(path) || ABOUT_AN_ITEM.has(path) ? 404 : "ok";
  return roleAllows(ROLE_IN_ALPHA[who], access) ? "ok" : 403;
}

beforeAll(async () => {
  const admin = adminInAlpha();
  await trpc(admin, "projects.create", { name: "alpha" }, "mutation");
  await trpc(admin, "projects.create", { name: "beta" }, "mutation");
  for (const [user, project, role] of [["reader", "alpha", "reader"], ["member", "alpha", "member"], ["outsider", "beta", "member"]] as const) {
    await trpc(admin, "users.create", { name: user, password: `${user}-password` }, "mutation");
    await trpc(admin, "roles.add", { user, project, role }, "mutation");
  }
  // What the administrators' changes act on, one each (only the admin gets through).
  await trpc(admin, "users.create", { name: "doomed", password: "doomed-password" }, "mutation");
  await trpc(admin, "users.create", { name: "spare", password: "spare-password" }, "mutation");
  await trpc(admin, "roles.add", { user: "spare", project: "beta", role: "reader" }, "mutation");
  await trpc(admin, "projects.create", { name: "empty" }, "mutation");
  endpoints.nobody = { url: admin.url };
  endpoints.admin = admin;
  for (const who of ["reader", "member", "outsider"] as const) endpoints[who] = { url: admin.url, token: await signIn(admin.url, who, `${who}-password`) };
  target = await createInAlpha("alpha-private-stack");
  handleToken = await vi.waitFor(async () => {
    const r = await call("member", "resources.show", "query", { stack: target.id, resource: "handle" });
    const token = (JSON.parse(r.text) as { result?: { data: { attributes: { token?: string } } } }).result?.data.attributes.token;
    if (!token) throw new Error("the handle has no token yet");
    return token;
  }, { timeout: 30_000, interval: 100 });
  // The server and the deployment are made beside the handle, not before it: wait for both.
  const [command, dep] = await vi.waitFor(async () => {
    const [cmd] = await trpc<{ credential: string }[]>(endpoints.member, "software.agentCommands", { stack: target.id });
    const d = await trpc<{ id: string; config_id: string } | null>(endpoints.member, "software.deploymentOf", { stack: target.id, resource: "dep" });
    if (!cmd || !d) throw new Error("the server or the deployment is not made yet");
    return [cmd, d] as const;
  }, { timeout: 30_000, interval: 100 });
  Object.assign(software, { credential: command.credential, configId: dep.config_id, deploymentId: dep.id });
  // Settled before the tests compare it before and after the refused changes.
  await vi.waitFor(async () => {
    const { text } = await call("member", "stacks.show", "query", { stack: target.id });
    if (!text.includes("CREATE_COMPLETE")) throw new Error(`the target stack has not finished creating: ${text.slice(0, 300)}`);
  }, { timeout: 30_000, interval: 100 });
}, 90_000);

describe("tRPC: every procedure, every kind of caller", () => {
  it("every procedure declares what it needs, and has inputs here", () => {
    for (const p of procedures) {
      expect(p.access, `${p.path} declares no access (build it from a procedure of server/api/trpc.ts)`).toBeDefined();
      expect(INPUTS[p.path], `${p.path} has no inputs in this test`).toBeDefined();
    }
  });

  it("0 cross-project reads, 0 unauthorised writes: each caller gets exactly what its role allows", { timeout: 120_000 }, async () => {
    const before = await call("admin", "stacks.show", "query", { stack: target.id });
    const outcomes: string[] = [];
    const wrong: string[] = [];
    for (const p of procedures) {
      for (const who of WHO) {
        const want = expected(who, p.access!, p.path);
        // An allowed change acts on a stack of its own, so the target stays as it was for the refused ones.
        const stack = want === "ok" && CHANGES(p.type) && ABOUT_A_STACK(p.path) ? (await createInAlpha(`victim-${++serial}`)).id : target.id;
        const { status, text } = await call(who, p.path, p.type, INPUTS[p.path]!(stack));
        const got = status === 401 || status === 403 || status === 404 ? status : "ok";
        outcomes.push(`${p.path} as ${who}: ${got}`);
        if (got !== want) wrong.push(`${p.path} as ${who}: wanted ${want}, got ${status} ${text.slice(0, 200)}`);
        // Asked by id, another project's caller learns nothing of alpha's stack: not its name, nor its handle's token.
        if (who === "outsider" || who === "nobody") {
          for (const secret of [target.name, handleToken]) if (text.includes(secret)) wrong.push(`${p.path} as ${who} leaked ${secret === handleToken ? "the handle's token" : "the stack's name"}`);
        }
        // The agent's credential lets whoever holds it read the server's configs: members and admins only.
        if (who !== "member" && who !== "admin" && text.includes(software.credential)) wrong.push(`${p.path} as ${who} leaked the server's agent credential`);
      }
    }
    expect(wrong).toEqual([]);
    expect(outcomes.length).toBe(procedures.length * WHO.length);
    const after = await call("admin", "stacks.show", "query", { stack: target.id });
    expect(after.text).toBe(before.text);
  });

  it("a stack of another project reads exactly as a stack that does not exist", async () => {
    const foreign = await call("outsider", "stacks.show", "query", { stack: target.id });
    const missing = await call("outsider", "stacks.show", "query", { stack: "no-such-stack" });
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.text).error.message).toBe(`Stack "${target.id}" not found`);
    expect(JSON.parse(missing.text).error.message).toBe('Stack "no-such-stack" not found');
    const byName = await call("outsider", "stacks.show", "query", { stack: target.name });
    expect(JSON.parse(byName.text).error.message).toBe(`Stack "${target.name}" not found`);
  });

  it("the wait condition's token and curl_cli are shown to the stack's project's members only", async () => {
    const own = await call("member", "resources.show", "query", { stack: target.id, resource: "handle" });
    expect(own.text).toContain(`X-Auth-Token: ${handleToken}`);
    const reader = await call("reader", "resources.show", "query", { stack: target.id, resource: "handle" });
    expect(reader.status).toBe(200);
    expect(JSON.parse(reader.text).result.data.attributes).toMatchObject({ token: "******", curl_cli: expect.stringContaining("X-Auth-Token: ******") });
    expect(reader.text).not.toContain(handleToken);
    const foreign = await call("outsider", "resources.show", "query", { stack: target.id, resource: "handle" });
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain(handleToken);
  });

  it("without credentials the answer says how to sign in (401)", async () => {
    const r = await call("nobody", "stacks.list", "query", undefined);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).error.message).toMatch(/^Sign in first/);
  });

  it("asking for a project one has no role in is refused, naming it", async () => {
    const res = await fetch(`${server().url}/api/trpc/stacks.list`, { headers: { ...authHeaders(endpoints.outsider), "x-kiln-project": "alpha" } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('You have no role in a project "alpha"');
  });
});

describe("socket.io: the handshake, subscriptions and the stack list", () => {
  const sockets: Socket[] = [];
  const connect = (who: Who) => {
    const socket = io(server().url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: endpoints[who].token, ...(who === "admin" ? { project: "alpha" } : {}) } });
    sockets.push(socket);
    return socket;
  };
  const connected = (socket: Socket) =>
    new Promise<string>((resolve) => {
      socket.on("connect", () => resolve("connected"));
      socket.on("connect_error", (e) => resolve(e.message));
    });
  const subscribe = (socket: Socket, stackId: string) => new Promise<{ ok?: boolean; error?: string }>((resolve) => socket.emit("subscribe", { stackId, afterId: 0 }, resolve));

  it("a handshake without a valid session is refused", async () => {
    expect(await connected(connect("nobody"))).toBe("Sign in first: no valid session cookie or token");
    const forged = io(server().url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: "forged" } });
    sockets.push(forged);
    expect(await connected(forged)).toBe("Sign in first: no valid session cookie or token");
  });

  it("a subscription to another project's stack is answered as one to no stack, and brings nothing", async () => {
    const outsider = connect("outsider");
    expect(await connected(outsider)).toBe("connected");
    const received: unknown[] = [];
    outsider.on("notifications", (m) => received.push(m));
    expect(await subscribe(outsider, target.id)).toEqual({ error: `Stack "${target.id}" not found` });
    expect(await subscribe(outsider, "no-such-stack")).toEqual({ error: 'Stack "no-such-stack" not found' });

    const reader = connect("reader");
    expect(await connected(reader)).toBe("connected");
    const events: unknown[] = [];
    reader.on("notifications", (m: { items: unknown[] }) => events.push(...m.items));
    expect(await subscribe(reader, target.id)).toEqual({ ok: true });
    await expect.poll(() => events.length).toBeGreaterThan(0);
    expect(received).toEqual([]);
  });

  it("signing out closes the live connections of that session", async () => {
    const token = await signIn(server().url, "reader", "reader-password");
    const socket = io(server().url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token } });
    sockets.push(socket);
    expect(await connected(socket)).toBe("connected");
    const closed = new Promise<string>((resolve) => socket.on("disconnect", resolve));
    await fetch(`${server().url}/api/session`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(await closed).toBe("io server disconnect");
  });

  it("a role taken away ends that user's live connections at once; reconnecting is refused", async () => {
    await trpc(adminInAlpha(), "users.create", { name: "fleeting", password: "fleeting-password" }, "mutation");
    await trpc(adminInAlpha(), "roles.add", { user: "fleeting", project: "alpha", role: "reader" }, "mutation");
    const token = await signIn(server().url, "fleeting", "fleeting-password");
    const socket = io(server().url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token } });
    sockets.push(socket);
    expect(await connected(socket)).toBe("connected");
    expect(await subscribe(socket, target.id)).toEqual({ ok: true });
    const closed = new Promise<string>((resolve) => socket.on("disconnect", resolve));
    await trpc(adminInAlpha(), "roles.remove", { user: "fleeting", project: "alpha" }, "mutation");
    expect(await closed).toBe("io server disconnect");
    const again = io(server().url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token } });
    sockets.push(again);
    expect(await connected(again)).toBe("You have no role in any project; ask an administrator for one");
  });

  it("the stack list hears of its own project's stacks only", async () => {
    const heard: Record<"reader" | "outsider", string[]> = { reader: [], outsider: [] };
    for (const who of ["reader", "outsider"] as const) {
      const socket = connect(who);
      expect(await connected(socket)).toBe("connected");
      socket.on("stacks-changed", (m: { stackIds: string[] }) => heard[who].push(...m.stackIds));
      socket.emit("watch-stacks");
    }
    const alphas = await createInAlpha("heard-in-alpha");
    await expect.poll(() => heard.reader).toContain(alphas.id);
    const betas = await trpc<{ id: string }>(endpoints.outsider, "stacks.create", { name: "heard-in-beta", template }, "mutation");
    await expect.poll(() => heard.outsider).toContain(betas.id);
    expect(heard.outsider).not.toContain(alphas.id);
    expect(heard.reader).not.toContain(betas.id);
    for (const s of sockets) s.close();
  });
});
