/**
 * Kiln's Keystone session against the real Keystone and Nova of the test cloud: a revoked
 * token is replaced once, a 4xx is the cloud's answer at once, transient failures are tried
 * again with backoff (a POST only when it cannot have reached the service), every call has a
 * time limit, and the catalog is read by type and region.
 */
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { CloudFailure } from "../engine/ports";
import { countingProxy, type CountingProxy } from "../testing/countingProxy";
import { KeystoneSession } from "./keystoneSession";
import { cloudSkipped, memberCredentials, testCloud } from "./testing/testCloud";

const proxies: CountingProxy[] = [];
afterAll(async () => {
  for (const p of proxies) await p.close();
});

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof CloudFailure) return e;
    throw e;
  }
  throw new Error("expected a CloudFailure");
};

describe.skipIf(cloudSkipped)("the Keystone session", () => {
  it("replaces a token Keystone revoked, once, and carries on", async () => {
    await testCloud();
    const session = new KeystoneSession(memberCredentials());
    await session.call("compute", "GET", "/servers");
    // The session's token, revoked by its holder as `openstack token revoke` does.
    const token = await (session as unknown as { token: Promise<{ value: string }> }).token;
    const revoked = await fetch(`${memberCredentials().authUrl}/auth/tokens`, { method: "DELETE", headers: { "x-auth-token": token.value, "x-subject-token": token.value } });
    expect(revoked.status).toBe(204);
    const before = session.calls;
    // Keystone itself refuses a revoked token at once (other services may trust a cached validation for minutes).
    expect((await session.call("identity", "GET", "/auth/projects")).status).toBe(200);
    // The refused call, a new token, the call again.
    expect(session.calls - before).toBe(3);
  });

  it("answers a 4xx with the cloud's own message at once, never trying again", async () => {
    const session = new KeystoneSession(memberCredentials());
    await session.projectId();
    const before = session.calls;
    const e = await failure(session.call("compute", "GET", "/servers/00000000-0000-4000-8000-000000000001"));
    expect(e.status).toBe(404);
    expect(e.message).toBe("Instance 00000000-0000-4000-8000-000000000001 could not be found.");
    expect(session.calls - before).toBe(1);
  });

  it("tries a refused connection again with backoff, then says the service cannot be reached", async () => {
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const creds = { ...memberCredentials(), endpointOverrides: { compute: `http://127.0.0.1:${port}/v2.1` } };
    const session = new KeystoneSession(creds, { retries: 2, backoffMs: 20 });
    await session.projectId();
    const before = session.calls;
    const e = await failure(session.call("compute", "POST", "/servers", { body: { server: {} } }));
    expect(e.message).toBe(`127.0.0.1:${port} cannot be reached (ECONNREFUSED)`);
    // Never reached Nova, so even a POST is sent again.
    expect(session.calls - before).toBe(3);
  });

  it("sends a GET whose connection broke again, but not a POST that may have reached the service", async () => {
    const look = new KeystoneSession(memberCredentials());
    const proxy = await countingProxy(await look.endpoint("compute"));
    proxies.push(proxy);
    proxy.mode = "down";
    const session = new KeystoneSession({ ...memberCredentials(), endpointOverrides: { compute: proxy.url } }, { retries: 2, backoffMs: 20 });
    await session.projectId();
    let before = session.calls;
    expect((await failure(session.call("compute", "GET", "/servers"))).message).toMatch(/^127\.0\.0\.1:\d+ failed to answer/);
    expect(session.calls - before).toBe(3);
    before = session.calls;
    await failure(session.call("compute", "POST", "/servers", { body: { server: {} } }));
    expect(session.calls - before).toBe(1);
    // Back up: the same session answers again.
    proxy.mode = "up";
    expect((await session.call("compute", "GET", "/servers")).status).toBe(200);
  });

  it("gives up on a call that does not answer within its time limit", async () => {
    const look = new KeystoneSession(memberCredentials());
    const proxy = await countingProxy(await look.endpoint("compute"));
    proxies.push(proxy);
    proxy.mode = "silent";
    const session = new KeystoneSession({ ...memberCredentials(), endpointOverrides: { compute: proxy.url } }, { retries: 1, backoffMs: 10, timeoutMs: 2_000 });
    await session.projectId();
    const started = Date.now();
    const e = await failure(session.call("compute", "GET", "/servers"));
    expect(e.message).toMatch(/^GET 127\.0\.0\.1:\d+ did not answer within 2 s$/);
    // Twice (one retry), then the answer: never a hang.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
  });

  it("finds endpoints by service type, interface and region, and says when the catalog has none", async () => {
    const session = new KeystoneSession(memberCredentials());
    expect(await session.endpoint("compute")).toMatch(/^https?:\/\//);
    // Cinder's v3 is catalogued as volumev3 or block-storage: either name finds it.
    expect(await session.endpoint("block-storage")).toBe(await session.endpoint("volumev3"));
    const elsewhere = new KeystoneSession({ ...memberCredentials(), region: "Nowhere" });
    expect((await failure(elsewhere.endpoint("compute"))).message).toBe('The cloud\'s catalog has no public endpoint for service type "compute" in region Nowhere');
  });

  it("says Keystone refused the credentials, in Keystone's words", async () => {
    const creds = memberCredentials();
    const wrong = new KeystoneSession({ ...creds, auth: { ...creds.auth, kind: "password", password: "not-the-password" } as typeof creds.auth });
    const e = await failure(wrong.projectId());
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/^Keystone refused the credentials for .+: The request you have made requires authentication\.$/);
  });
});
