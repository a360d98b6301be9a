/**
 * Which cloud each project acts in: its own credentials (one session and one watcher per
 * distinct set, whichever projects share it), else the server's; a change is seen at the next
 * look-up, and the resources waiting in a cloud no project uses any more are woken at once.
 * Nothing here reaches a cloud: sessions authenticate only when first used.
 */
import { describe, expect, it } from "vitest";
import type { CloudCredentials } from "./credentials";
import { CloudDirectory } from "./openstackCloud";

const creds = (username: string, password = "secret"): CloudCredentials => ({
  authUrl: "http://keystone.invalid/v3",
  auth: { kind: "password", username, password, projectName: "p" },
  interface: "public",
});

describe("CloudDirectory", () => {
  it("projects with the same credentials share one cloud; others act in the server's", async () => {
    const own = new Map<string, CloudCredentials>([["a", creds("u")], ["b", creds("u")], ["c", creds("v")]]);
    const clouds = new CloudDirectory(() => {}, { credentials: creds("server"), own: async (p) => own.get(p) });
    const [a, b, c, d] = await Promise.all(["a", "b", "c", "d"].map((p) => clouds.forProject(p)));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(d!.session.credentials).toEqual(creds("server"));
    expect(a!.session.credentials).toEqual(creds("u"));
    clouds.close();
  });

  it("without credentials of its own or the server's, a project has no cloud", async () => {
    const clouds = new CloudDirectory(() => {}, { credentials: null, own: async () => undefined });
    expect(await clouds.forProject("a")).toBeUndefined();
    expect(clouds.serverCloudLabel).toBeUndefined();
  });

  it("new credentials are used at the next look-up, and what waited in the old cloud is woken to look again", async () => {
    const own = new Map<string, CloudCredentials>([["a", creds("u", "old")]]);
    const woken: string[] = [];
    const clouds = new CloudDirectory((id) => woken.push(id), { credentials: null, own: async (p) => own.get(p) });
    const before = (await clouds.forProject("a"))!;
    before.watch({ resourceId: "r1", service: "compute", collection: "servers", id: "s1", status: "BUILD" });
    expect(woken).toEqual([]);
    own.set("a", creds("u", "new"));
    const after = (await clouds.forProject("a"))!;
    expect(after).not.toBe(before);
    expect(after.session.credentials.auth).toMatchObject({ password: "new" });
    expect(woken).toEqual(["r1"]);
    expect(before.watcher.size).toBe(0);
    own.delete("a");
    expect(await clouds.forProject("a")).toBeUndefined();
    clouds.close();
  });

  it("a cloud another project still uses keeps its waiting resources when one project leaves it", async () => {
    const own = new Map<string, CloudCredentials>([["a", creds("u")], ["b", creds("u")]]);
    const woken: string[] = [];
    const clouds = new CloudDirectory((id) => woken.push(id), { credentials: null, own: async (p) => own.get(p) });
    const shared = (await clouds.forProject("a"))!;
    await clouds.forProject("b");
    shared.watch({ resourceId: "r1", service: "compute", collection: "servers", id: "s1", status: "BUILD" });
    own.delete("a");
    await clouds.forProject("a");
    expect(woken).toEqual([]);
    expect(await clouds.forProject("b")).toBe(shared);
    clouds.close();
  });
});
