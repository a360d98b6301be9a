/**
 * OS::Glance::WebImage and OS::Nova::Flavor against a real cloud. A flavor needs the admin
 * role (Nova's default policy): it is made with the admin cloud, and refused to a member in
 * Nova's words. Glance downloads a web image's data itself, from a URL it may reach: the
 * minicloud's Glance refuses loopback addresses and ports other than 80 and 443 (its default
 * import filtering), so there the test serves the data on 127.0.0.1 and sees Glance's refusal;
 * with KILN_TEST_WEB_IMAGE_URL (a URL the cloud's Glance may download) it imports for real.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackRecord } from "../engine/ports";
import { KeystoneSession } from "./keystoneSession";
import { cloudRuntime } from "./testing/cloudRuntime";
import { adminCredentials, cloudSkipped, memberCredentials, testCloud } from "./testing/testCloud";

type Obj = Record<string, unknown>;
type Kiln = Awaited<ReturnType<typeof cloudRuntime>>;

describe.skipIf(cloudSkipped)("OS::Glance::WebImage and OS::Nova::Flavor against a real cloud", () => {
  let member: Kiln;
  let admin: Kiln;
  let look: KeystoneSession;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    await testCloud();
    look = new KeystoneSession(adminCredentials());
    member = await cloudRuntime();
    admin = await cloudRuntime(adminCredentials());
  }, 120_000);
  afterAll(async () => {
    for (const kiln of [member, admin]) {
      for (const stack of kiln ? await kiln.rt.store.listStacks("p") : []) {
        // A test that failed half way leaves its stack: deleted, so the cloud keeps nothing of this run.
        await kiln.rt.engine.deleteStack(stack.id).catch(() => undefined);
        for (let i = 0; i < 120 && (await kiln.rt.store.getStack(stack.id)); i++) await new Promise((r) => setTimeout(r, 500));
      }
      await kiln?.close();
    }
  });

  const settled = async (kiln: Kiln, id: string, action: string): Promise<StackRecord> => {
    await expect.poll(async () => {
      const s = await kiln.rt.store.getStack(id);
      return s && s.action === action && s.status !== "IN_PROGRESS" ? s.status : undefined;
    }, { timeout: 120_000, interval: 200 }).toBeDefined();
    return (await kiln.rt.store.getStack(id))!;
  };
  const row = async (kiln: Kiln, stackId: string, name: string) => (await kiln.rt.store.findResources(stackId, name)).find((r) => !r.replacedBy)!;
  const deleted = async (kiln: Kiln, id: string) => {
    await kiln.rt.engine.deleteStack(id);
    await expect.poll(() => kiln.rt.store.getStack(id), { timeout: 120_000, interval: 200 }).toBeUndefined();
  };

  it("a private flavor with extra specs and a tenant: made, its extra specs changed in place, deleted", async () => {
    const projectId = await new KeystoneSession(memberCredentials()).projectId();
    const template = (spec: string) => `
heat_template_version: 2018-08-31
resources:
  flavor:
    type: OS::Nova::Flavor
    properties: { name: kiln-flavor-${run}, ram: 128, vcpus: 1, disk: 1, is_public: false, tenants: [${projectId}], extra_specs: { "hw:cpu_policy": ${spec} } }
`;
    const stack = await admin.rt.engine.createStack({ projectId: "p", name: `flavor-${run}`, template: template("shared") });
    expect((await settled(admin, stack.id, "CREATE")).statusReason).toBe("Stack CREATE completed successfully");
    const id = (await row(admin, stack.id, "flavor")).physicalId!;
    const flavor = ((await look.call("compute", "GET", `/flavors/${id}`)).body as { flavor: Obj }).flavor;
    expect(flavor).toMatchObject({ name: `kiln-flavor-${run}`, ram: 128, vcpus: 1, disk: 1, "os-flavor-access:is_public": false, extra_specs: { "hw:cpu_policy": "shared" } });
    const access = ((await look.call("compute", "GET", `/flavors/${id}/os-flavor-access`)).body as { flavor_access: Obj[] }).flavor_access;
    expect(access.map((a) => a.tenant_id)).toEqual([projectId]);

    await admin.rt.engine.updateStack(stack.id, { template: template("dedicated") });
    expect((await settled(admin, stack.id, "UPDATE")).status).toBe("COMPLETE");
    expect((await row(admin, stack.id, "flavor")).physicalId).toBe(id);
    expect(((await look.call("compute", "GET", `/flavors/${id}/os-extra_specs`)).body as { extra_specs: Obj }).extra_specs).toEqual({ "hw:cpu_policy": "dedicated" });

    await deleted(admin, stack.id);
    expect((await look.call("compute", "GET", `/flavors/${id}`, { expect: [404] })).status).toBe(404);
  }, 300_000);

  it("a member may not make a flavor: the resource fails with Nova's refusal", async () => {
    const template = `heat_template_version: 2018-08-31\nresources:\n  flavor: { type: OS::Nova::Flavor, properties: { ram: 128, vcpus: 1 } }\n`;
    const stack = await member.rt.engine.createStack({ projectId: "p", name: `no-flavor-${run}`, template });
    expect((await settled(member, stack.id, "CREATE")).status).toBe("FAILED");
    expect((await row(member, stack.id, "flavor")).statusReason).toMatch(/^Forbidden: resources\.flavor: .*os_compute_api:os-flavor-manage:create.* \(HTTP 403\)$/);
    await deleted(member, stack.id);
  }, 120_000);

  it("a web image from a URL Glance may not download: the resource fails in Glance's words, and the delete removes the image", async () => {
    const served = http.createServer((_, res) => res.end("kiln web image"));
    await new Promise<void>((resolve) => served.listen(3333, "127.0.0.1", resolve));
    try {
      const location = "http://127.0.0.1:3333/kiln.raw";
      const template = `
heat_template_version: 2018-08-31
resources:
  image: { type: OS::Glance::WebImage, properties: { name: kiln-web-${run}, disk_format: raw, container_format: bare, location: "${location}", tags: [kiln] } }
`;
      const stack = await member.rt.engine.createStack({ projectId: "p", name: `web-image-${run}`, template });
      expect((await settled(member, stack.id, "CREATE")).status).toBe("FAILED");
      const image = await row(member, stack.id, "image");
      expect(image.statusReason).toBe(`BadRequest: resources.image: URI for web-download does not pass filtering: ${location} (HTTP 400)`);
      const made = ((await look.call("image", "GET", `/v2/images/${image.physicalId}`)).body as Obj);
      expect(made).toMatchObject({ name: `kiln-web-${run}`, disk_format: "raw", container_format: "bare", visibility: "private", tags: ["kiln"], kiln_resource_id: image.id });
      await deleted(member, stack.id);
      expect((await look.call("image", "GET", `/v2/images/${image.physicalId}`, { expect: [404] })).status).toBe(404);
    } finally {
      served.close();
    }
  }, 120_000);

  it.skipIf(!process.env.KILN_TEST_WEB_IMAGE_URL)("a web image Glance downloads: active, its tags changed in place, deleted", async () => {
    const template = (tags: string) => `
heat_template_version: 2018-08-31
resources:
  image: { type: OS::Glance::WebImage, properties: { disk_format: raw, container_format: bare, location: "${process.env.KILN_TEST_WEB_IMAGE_URL}", tags: [${tags}] } }
`;
    const stack = await member.rt.engine.createStack({ projectId: "p", name: `web-image-ok-${run}`, template: template("a") });
    expect((await settled(member, stack.id, "CREATE")).statusReason).toBe("Stack CREATE completed successfully");
    const id = (await row(member, stack.id, "image")).physicalId!;
    expect(((await look.call("image", "GET", `/v2/images/${id}`)).body as Obj).status).toBe("active");
    await member.rt.engine.updateStack(stack.id, { template: template("b") });
    expect((await settled(member, stack.id, "UPDATE")).status).toBe("COMPLETE");
    expect(((await look.call("image", "GET", `/v2/images/${id}`)).body as Obj).tags).toEqual(["b"]);
    await deleted(member, stack.id);
    expect((await look.call("image", "GET", `/v2/images/${id}`, { expect: [404] })).status).toBe(404);
  }, 300_000);
});
