/**
 * Changes per project per minute, on a real server: past the limit a project's changes are
 * refused (429, saying when to try again) and change nothing, while its reads and other
 * projects' changes go on.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { openedTwice } from "../store/testing/openedTwice";
import { testDatabases } from "../store/testing/testDatabases";
import { authHeaders, signIn, trpc, type Endpoint } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";
import { ProjectRateLimit } from "./projectRateLimit";

const server = serverForSuite("ratelimit", { KILN_WORKERS: "1", KILN_CHANGES_PER_MINUTE: "6" });
const template = "heat_template_version: 2018-08-31\nresources:\n  a: { type: OS::Heat::None }\n";

let admin: Endpoint;
let beta: Endpoint;

beforeAll(async () => {
  admin = { url: server().url, token: server().token };
  // Three changes of the admin project.
  await trpc(admin, "projects.create", { name: "beta" }, "mutation");
  await trpc(admin, "users.create", { name: "bea", password: "bea-password" }, "mutation");
  await trpc(admin, "roles.add", { user: "bea", project: "beta", role: "member" }, "mutation");
  beta = { url: admin.url, token: await signIn(admin.url, "bea", "bea-password") };
});

describe("changes per project per minute", () => {
  it("refuses a project's changes past the limit with 429, changing nothing; reads and other projects go on", async () => {
    for (const name of ["one", "two", "three"]) await trpc(admin, "stacks.create", { name, template }, "mutation");

    const res = await fetch(`${admin.url}/api/trpc/stacks.create`, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders(admin) },
      body: JSON.stringify({ name: "four", template }),
    });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^Project "admin" has made 6 changes in the last minute, the most it may \(KILN_CHANGES_PER_MINUTE\); try again in \d+ s$/);

    // Validating is a mutation only to carry the template in a body: it is not a change.
    await expect(trpc(admin, "templates.validate", { template }, "mutation")).resolves.toMatchObject({ valid: true });
    const names = (await trpc<{ name: string }[]>(admin, "stacks.list", undefined)).map((s) => s.name).sort();
    expect(names).toEqual(["one", "three", "two"]);
    await expect(trpc(beta, "stacks.create", { name: "in-beta", template }, "mutation")).resolves.toMatchObject({ name: "in-beta" });
  });
});

describe.each(testDatabases)("ProjectRateLimit on $provider", ({ create }) => {
  const db = openedTwice(create);

  it("lets a burst up to the limit through, then one change per refill interval", async () => {
    let now = 0;
    const limit = new ProjectRateLimit(db.one, "burst", 60, () => now);
    for (let i = 0; i < 60; i++) expect(await limit.take("p")).toBe(0);
    expect(await limit.take("p")).toBe(1);
    expect(await limit.take("q")).toBe(0);
    now += 1000;
    expect(await limit.take("p")).toBe(0);
    expect(await limit.take("p")).toBe(1);
  });

  it("two web processes take from one bucket, at the same time too", async () => {
    const now = () => 1_000_000;
    const first = new ProjectRateLimit(db.one, "shared", 6, now);
    const second = new ProjectRateLimit(db.another, "shared", 6, now);
    const waits = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? first : second).take("p")));
    expect(waits.filter((w) => w === 0)).toHaveLength(6);
    expect(await first.take("p")).toBe(10);
    expect(await second.take("p")).toBe(10);
  });

  it("does not limit when the limit is negative", async () => {
    const limit = new ProjectRateLimit(db.one, "none", -1);
    for (let i = 0; i < 100; i++) expect(await limit.take("p")).toBe(0);
  });
});
