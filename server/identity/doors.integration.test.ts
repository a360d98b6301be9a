/**
 * The checks in front of every door of a real server: a request must name this Kiln (Host,
 * against DNS rebinding), a change must come from its own pages (Origin) as JSON (CSRF), and
 * the first start gives the admin a password nobody else knows.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { authHeaders, signIn, TEST_ADMIN_PASSWORD, trpc } from "../testing/serverProcess";
import { FAILURES_PER_ADDRESS } from "./signInThrottle";
import { serverForSuite } from "../testing/suiteServer";

const server = serverForSuite("doors", { KILN_ALLOWED_HOSTS: "kiln.example.com,10.1.2.3:8000" });

/** A raw request, so the Host header is exactly the one given. */
function request(opts: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
  const url = new URL(server().url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: url.hostname, port: url.port, method: opts.method ?? "GET", path: opts.path, headers: { ...(opts.host ? { host: opts.host } : {}), ...opts.headers } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const json = { "content-type": "application/json" };
const template = "heat_template_version: 2018-08-31\nresources: {}\n";

describe("Host: only this Kiln's names (DNS rebinding)", () => {
  it("a delete sent with a foreign Host is refused with a clear message, and the stack stays", async () => {
    const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "kept", template }, "mutation");
    const r = await request({ method: "POST", path: "/api/trpc/stacks.delete", host: "attacker.example:3000", headers: { ...json, ...authHeaders(server()) }, body: JSON.stringify({ stack: stack.id }) });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error).toBe('Host "attacker.example:3000" is not a name of this Kiln; add it to KILN_ALLOWED_HOSTS (or set KILN_PUBLIC_URL) to reach Kiln by that name');
    expect((await trpc<{ stackStatus: string }>(server(), "stacks.show", { stack: stack.id })).stackStatus).toBe("CREATE_COMPLETE");
  });

  it.each(["localhost:1234", "127.0.0.1", "[::1]:80", "kiln.example.com", "kiln.example.com:443", "10.1.2.3:8000"])("%s is one of its names", async (host) => {
    expect((await request({ path: "/api/trpc/session.whoami", host, headers: authHeaders(server()) })).status).toBe(200);
  });

  it.each(["10.1.2.3:8001", "localhost.attacker.example", "evil.com@localhost", "10.1.2.3"])("%j is not", async (host) => {
    expect((await request({ path: "/api/trpc/session.whoami", host, headers: authHeaders(server()) })).status).toBe(403);
  });

  it("what the API answers a session is never kept in a browser's cache for whoever comes next (Back and Forward)", async () => {
    const read = await fetch(`${server().url}/api/trpc/stacks.list?input=${encodeURIComponent("{}")}`, { headers: authHeaders(server()) });
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
  });

  it("/healthz and /version answer anyone, without credentials", async () => {
    expect((await request({ path: "/healthz" })).status).toBe(200);
    expect(JSON.parse((await request({ path: "/version", host: "monitoring.internal" })).text)).toMatchObject({ name: "kiln" });
  });
});

describe("Origin and body type: changes come from Kiln's own pages (CSRF)", () => {
  const create = (headers: Record<string, string>, body = JSON.stringify({ name: `o${Math.random().toString(36).slice(2, 8)}`, template })) =>
    request({ method: "POST", path: "/api/trpc/stacks.create", headers: { ...authHeaders(server()), ...headers }, body });

  it("a change from another origin is refused, naming it; from Kiln's own origin it passes", async () => {
    const port = new URL(server().url).port;
    const foreign = await create({ ...json, origin: `http://localhost:${Number(port) + 1}` });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text).error).toBe(`Cross-site request refused: origin "http://localhost:${Number(port) + 1}" is not this Kiln`);
    expect((await create({ ...json, origin: "null" })).status).toBe(403);
    expect((await create({ ...json, origin: server().url })).status).toBe(200);
    expect((await create({ ...json, origin: "https://kiln.example.com" })).status).toBe(200);
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])("a %s body is refused with 415", async (type) => {
    const r = await create({ "content-type": type });
    expect(r.status).toBe(415);
    expect(JSON.parse(r.text).error).toMatch(/^Send JSON/);
  });

  it("signing in from another origin is refused too", async () => {
    const r = await request({ method: "POST", path: "/api/session", headers: { ...json, origin: "http://attacker.example" }, body: JSON.stringify({ username: "admin", password: "x" }) });
    expect(r.status).toBe(403);
  });
});

describe("signing in", () => {
  it("a wrong password and an unknown user get the same answer", async () => {
    const as = (username: string, password: string) => request({ method: "POST", path: "/api/session", headers: json, body: JSON.stringify({ username, password }) });
    const wrongPassword = await as("admin", "not-the-password");
    const unknownUser = await as("nobody-here", "not-the-password");
    expect(wrongPassword).toEqual({ status: 401, text: JSON.stringify({ error: "Wrong user name or password" }) });
    expect(unknownUser).toEqual(wrongPassword);
  });

  it("the browser's session is an httpOnly SameSite cookie, and signing out ends it", async () => {
    const res = await fetch(`${server().url}/api/session`, { method: "POST", headers: json, body: JSON.stringify({ username: "admin", password: "test-admin-password" }) });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^kiln_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(await res.text()).not.toContain(cookie.split(";")[0]!.split("=")[1]);
    const session = { cookie: cookie.split(";")[0]! };
    expect((await fetch(`${server().url}/api/trpc/session.whoami`, { headers: session })).status).toBe(200);
    const out = await fetch(`${server().url}/api/session`, { method: "DELETE", headers: session });
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await fetch(`${server().url}/api/trpc/session.whoami`, { headers: session })).status).toBe(401);
  });
});

describe("the first start", () => {
  const generated = serverForSuite("first-start", { KILN_ADMIN_PASSWORD: "" });

  it("generates the admin's password, logs where it is, and keeps it in a file only the server's user reads", async () => {
    const line = generated().log().split("\n").find((l) => l.includes("initial-admin-password"))!;
    const file = (JSON.parse(line) as { passwordFile: string }).passwordFile;
    expect(path.basename(file)).toBe("initial-admin-password");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(line).toContain(password);
    const token = await signIn(generated().url, "admin", password);
    expect((await trpc<{ userName: string; isAdmin: boolean }>({ url: generated().url, token }, "session.whoami", undefined)).userName).toBe("admin");
  });
});

describe("guessing passwords", () => {
  const guessed = serverForSuite("guessed");

  it("after too many failures from one address, even the right password is refused for a while, with when to try again", async () => {
    const attempt = (password: string) =>
      fetch(`${guessed().url}/api/session`, { method: "POST", headers: json, body: JSON.stringify({ username: "admin", password }) });
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++) expect((await attempt(`guess-${i}`)).status).toBe(401);
    const refused = await attempt(TEST_ADMIN_PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(((await refused.json()) as { error: string }).error).toBe("Too many failed sign-ins from this address or for this user; try again in 15 min");
  });
});
