/**
 * A project member's auth_url is requested by Kiln, so it must not let them probe Kiln's own
 * network: on a real server with KILN_AUTH_URL_ALLOW_INTERNAL off (the default), a loopback
 * auth_url, by address or by a name resolving to one, is refused before anything is sent (as
 * is every later request of such a project's cloud); and whatever answers at an auth_url is never shown back beyond Keystone's own error message.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, trpc, type Endpoint, type ServerProcess } from "../testing/serverProcess";
import { KeystoneSession } from "./keystoneSession";
import { OWN_CLOUD_ALLOW_INTERNAL } from "./openstackCloud";
import { verifyCredentials } from "./projectClouds";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-auth-url-"));
let running: ServerProcess | undefined;
let member: Endpoint;
/** A service on loopback that must never be reached: it counts requests and answers with something private. */
let internal: http.Server;
let hits = 0;
const PRIVATE_PAGE = "<html><body>router admin password: hunter2</body></html>";

const entry = (authUrl: string) => ({ auth: { auth_url: authUrl, username: "u", password: "p", project_name: "p" } });

async function attempt(procedure: string, input: unknown): Promise<{ status: number; message?: string }> {
  const res = await fetch(`${member.url}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${member.token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message };
}

describe("a project's auth_url on an internal address", () => {
  beforeAll(async () => {
    internal = http.createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(401, { "content-type": "text/html" }).end(PRIVATE_PAGE);
    });
    await new Promise<void>((r) => internal.listen(0, "127.0.0.1", r));
    running = await startServer(`file:${dir}/kiln.db`, { OS_CLOUD: "", OS_AUTH_URL: "", OS_CLIENT_CONFIG_FILE: "" });
    const admin = { url: running.url, token: running.token };
    await trpc(admin, "projects.create", { name: "alpha" }, "mutation");
    await trpc(admin, "users.create", { name: "member", password: "member-password" }, "mutation");
    await trpc(admin, "roles.add", { user: "member", project: "alpha", role: "member" }, "mutation");
    member = { url: running.url, token: await signIn(running.url, "member", "member-password") };
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await new Promise((r) => internal?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const port = () => (internal.address() as AddressInfo).port;

  it("is refused by address, with the setting that allows it named, and nothing is sent or kept", async () => {
    for (const procedure of ["cloud.set", "cloud.test"]) {
      const refused = await attempt(procedure, { entry: entry(`http://127.0.0.1:${port()}/v3`) });
      expect(refused.status).toBe(400);
      expect(refused.message).toBe(`Kiln does not send this project's requests to 127.0.0.1:${port()}: 127.0.0.1 is an internal address (KILN_AUTH_URL_ALLOW_INTERNAL=1 allows it)`);
    }
    expect(hits).toBe(0);
    expect((await trpc<{ own: unknown }>(member, "cloud.show", {})).own).toBeNull();
  });

  it("is refused by a name that resolves to it", async () => {
    const refused = await attempt("cloud.set", { entry: entry(`http://localhost:${port()}/v3`) });
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/^Kiln does not send this project's requests to localhost:\d+: localhost resolves to (127\.0\.0\.1|::1), which is an internal address \(KILN_AUTH_URL_ALLOW_INTERNAL=1 allows it\)$/);
    expect(hits).toBe(0);
  });

  it("when allowed, what answers there is not shown back: only its status", async () => {
    const check = verifyCredentials({ authUrl: `http://127.0.0.1:${port()}/v3`, interface: "public", auth: { kind: "password", username: "u", password: "p", projectName: "p" } }, { allowInternal: true });
    await expect(check).rejects.toThrow(/requires? .*HTTP 401|: HTTP 401/);
    await check.catch((e: Error) => expect(e.message).not.toContain("hunter2"));
    expect(hits).toBe(1);
  });

  it("a project's stacks are held to it too, at every request (a name may resolve elsewhere later; the catalog is the project's Keystone's)", async () => {
    const credentials = { authUrl: `http://localhost:${port()}/v3`, interface: "public" as const, auth: { kind: "password" as const, username: "u", password: "p", projectName: "p" } };
    const session = new KeystoneSession(credentials, { refuseInternal: OWN_CLOUD_ALLOW_INTERNAL, retries: 3, backoffMs: 10_000 });
    const started = Date.now();
    await expect(session.call("network", "GET", "/v2.0/networks")).rejects.toThrow(/localhost:\d+: localhost resolves to .* internal address \(KILN_AUTH_URL_ALLOW_INTERNAL=1 allows it\)/);
    // Refused at once, not tried again.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(session.calls).toBe(0);
    expect(hits).toBe(1);
  });
});

