/**
 * A project's own credentials let any of its members point Kiln at a Keystone of their choosing.
 * One that answers without end must not exhaust the server: Kiln reads so much of an answer
 * and no more, and says so. An auth_url that is no URL at all is bad input, not a fault.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverForSuite } from "../testing/suiteServer";
import { authHeaders } from "../testing/serverProcess";
import { FAILURES_PER_ADDRESS } from "../identity/signInThrottle";
import { cloudSkipped, memberCredentials, testCloud } from "./testing/testCloud";

/** The server process's peak resident memory so far, in MiB. */
const peakMiB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

describe("what a project member gives as its cloud", () => {
  // The hostile Keystone and the minicloud's are on loopback, which only KILN_AUTH_URL_ALLOW_INTERNAL lets a project name.
  const server = serverForSuite("hostile-cloud", { OS_CLOUD: "", OS_AUTH_URL: "", OS_CLIENT_CONFIG_FILE: "", KILN_AUTH_URL_ALLOW_INTERNAL: "1" });
  let keystone: http.Server;
  let sent = 0;
  const CHUNK = Buffer.alloc(1 << 20, "a");

  beforeAll(async () => {
    // 256 MiB of one JSON string, as fast as the loopback takes it.
    keystone = http.createServer((_req, res) => {
      res.writeHead(201, { "content-type": "application/json", "x-subject-token": "t" });
      res.write('{"token": "');
      let left = 256;
      const more = () => {
        while (left > 0) {
          left--;
          sent++;
          if (!res.write(CHUNK)) return void res.once("drain", more);
        }
        res.end('"}');
      };
      res.on("close", () => (left = 0));
      more();
    });
    await new Promise<void>((r) => keystone.listen(0, "127.0.0.1", r));
  });
  afterAll(() => new Promise<void>((r) => keystone.close(() => r())));

  it("a Keystone answering without end is cut off with a clear refusal; the server's memory does not grow with the answer", { timeout: 60_000 }, async () => {
    const { port } = keystone.address() as AddressInfo;
    const before = peakMiB(server().child.pid!);
    const res = await fetch(`${server().url}/api/trpc/cloud.test`, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders(server()) },
      body: JSON.stringify({ entry: { auth: { auth_url: `http://127.0.0.1:${port}/v3`, username: "u", password: "p", project_name: "x", user_domain_id: "default", project_domain_id: "default" } } }),
    });
    const body = (await res.json()) as { error?: { message: string } };
    expect(res.status).toBe(400);
    expect(body.error?.message).toMatch(/answered more than \d+ MiB/);
    expect(sent, "the answer was not read to its end").toBeLessThan(256);
    expect(peakMiB(server().child.pid!) - before).toBeLessThan(128);
    // Still serving.
    expect((await fetch(`${server().url}/api/trpc/cloud.show`, { headers: authHeaders(server()) })).status).toBe(200);
  });

  it("an auth_url that is no URL is refused by name with a 400, and nothing is kept", async () => {
    for (const authUrl of ["http://[::1", "http://a b/v3", "http://host:99999/v3"]) {
      const res = await fetch(`${server().url}/api/trpc/cloud.set`, {
        method: "POST",
        headers: { "content-type": "application/json", ...authHeaders(server()) },
        body: JSON.stringify({ entry: { auth: { auth_url: authUrl, username: "u", password: "p", project_name: "x" } } }),
      });
      const body = (await res.json()) as { error?: { message: string } };
      expect(res.status, authUrl).toBe(400);
      expect(body.error?.message).toContain(`auth_url "${authUrl}" is not an http or https URL`);
    }
    const shown = (await (await fetch(`${server().url}/api/trpc/cloud.show`, { headers: authHeaders(server()) })).json()) as { result: { data: { own: unknown } } };
    expect(shown.result.data.own).toBeNull();
  });

  it.skipIf(cloudSkipped)("Kiln is no tool for guessing a Keystone password: past so many refusals the project's checks are refused before Keystone is asked", { timeout: 60_000 }, async () => {
    await testCloud();
    // A project of its own: the other tests' refusals here count against theirs.
    await fetch(`${server().url}/api/trpc/projects.create`, { method: "POST", headers: { "content-type": "application/json", ...authHeaders(server()) }, body: JSON.stringify({ name: "guesser" }) });
    const m = memberCredentials();
    const a = m.auth as { username?: string; password?: string; projectName?: string };
    const check = async (password: string) => {
      const res = await fetch(`${server().url}/api/trpc/cloud.test`, {
        method: "POST",
        headers: { "content-type": "application/json", ...authHeaders(server()), "x-kiln-project": "guesser" },
        body: JSON.stringify({ entry: { auth: { auth_url: m.authUrl, username: a.username, password, project_name: a.projectName, user_domain_id: "default", project_domain_id: "default" }, region_name: m.region } }),
      });
      return { status: res.status, message: ((await res.json()) as { error?: { message: string } }).error?.message ?? "" };
    };
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++) expect(await check(`guess-${i}`)).toMatchObject({ status: 400, message: expect.stringContaining("Keystone refused the credentials") });
    const next = await check("guess-again");
    expect(next.status).toBe(429);
    expect(next.message).toMatch(/failed their check of late; try again in \d+ s/);
    // Even the right password waits: a guess that would succeed is no different.
    expect((await check(a.password!)).status).toBe(429);
  });
});
