/**
 * What Heat decides before it touches anything, against a real cloud: the flavors, images,
 * networks, key pairs… a template names must exist (by name or by id), at validate, at preview
 * and at create; each distinct value is asked about once; a cloud that does not answer is an
 * error within the time limit, not a hang.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TemplateInvalid } from "../engine/errors";
import { checkCloudLookups } from "../engine/validation/cloudLookups";
import { validateTemplate, validateTemplateInCloud } from "../services/templates";
import { KeystoneSession } from "./keystoneSession";
import { OpenStackCloud } from "./openstackCloud";
import { cloudRuntime } from "./testing/cloudRuntime";
import { cloudSkipped, memberCredentials, testCloud, type CloudFixtures } from "./testing/testCloud";

type Obj = Record<string, unknown>;

describe.skipIf(cloudSkipped)("custom constraints checked against a real cloud", () => {
  let kiln: Awaited<ReturnType<typeof cloudRuntime>>;
  let fx: CloudFixtures;
  let look: KeystoneSession;
  /** Two networks of this project with one name, to make a name ambiguous. */
  const twins: string[] = [];
  const run = Date.now().toString(36);
  const twinName = `kiln-twin-${run}`;

  beforeAll(async () => {
    fx = await testCloud();
    look = new KeystoneSession(memberCredentials());
    for (let i = 0; i < 2; i++) {
      const made = await look.call("network", "POST", "/v2.0/networks", { body: { network: { name: twinName } } });
      twins.push(String((made.body as { network: Obj }).network.id));
    }
    kiln = await cloudRuntime();
  }, 120_000);
  afterAll(async () => {
    for (const id of twins) await look.call("network", "DELETE", `/v2.0/networks/${id}`, { expect: [404] });
    await kiln?.close();
  });

  const cloud = async () => (await kiln.clouds.forProject("p"))!;
  const server = (props: string) => `
heat_template_version: 2018-08-31
parameters:
  flavor: { type: string, default: ${fx.flavor} }
resources:
  server:
    type: OS::Nova::Server
    properties: { ${props} }
`;

  it("validate names each missing flavor, image, network, key pair, by property; what exists passes, by name or by id", async () => {
    const imageId = ((await look.call("image", "GET", `/v2/images?name=${fx.image}`)).body as { images: Obj[] }).images[0]!.id;
    const good = await validateTemplateInCloud({ template: server(`image: ${imageId}, flavor: { get_param: flavor }, networks: [{ network: ${twins[0]} }]`) }, kiln.rt.limits, await cloud());
    expect(good).toMatchObject({ valid: true, errors: [], notLookedUp: [] });

    const bad = await validateTemplateInCloud(
      {
        template: server(`image: no-such-image, flavor: { get_param: flavor }, key_name: no-such-key, networks: [{ network: no-such-net }, { network: ${twinName} }]`),
        parameters: { flavor: "no-such-flavor" },
      },
      kiln.rt.limits,
      await cloud(),
    );
    expect(bad.valid).toBe(false);
    expect(bad.errors.map((e) => `${e.path}: ${e.message}`).sort()).toEqual([
      "resources.server.properties.flavor: Error validating value 'no-such-flavor': The Flavor (no-such-flavor) could not be found.",
      "resources.server.properties.image: Error validating value 'no-such-image': The Image (no-such-image) could not be found.",
      "resources.server.properties.key_name: Error validating value 'no-such-key': The Key (no-such-key) could not be found.",
      "resources.server.properties.networks.0.network: Error validating value 'no-such-net': The Network (no-such-net) could not be found.",
      `resources.server.properties.networks.1.network: Error validating value '${twinName}': Multiple Network matches found for name '${twinName}', use an ID to be more specific.`,
    ]);
    expect(bad.errors.find((e) => e.path.endsWith(".image"))?.line).toBe(8);
  });

  it("a parameter's own custom constraint is looked up too", async () => {
    const template = `
heat_template_version: 2018-08-31
parameters:
  net: { type: string, constraints: [{ custom_constraint: neutron.network }] }
resources: {}
`;
    expect((await validateTemplateInCloud({ template, parameters: { net: twins[0] } }, kiln.rt.limits, await cloud())).valid).toBe(true);
    const bad = await validateTemplateInCloud({ template, parameters: { net: "no-such-net" } }, kiln.rt.limits, await cloud());
    expect(bad.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(["parameters.net: Error validating value 'no-such-net': The Network (no-such-net) could not be found."]);
  });

  it("a hidden parameter's value does not show in what the cloud said of it", async () => {
    const template = `
heat_template_version: 2018-08-31
parameters:
  flavor: { type: string, hidden: true }
resources:
  server: { type: OS::Nova::Server, properties: { image: ${fx.image}, flavor: { get_param: flavor } } }
`;
    const result = await validateTemplateInCloud({ template, parameters: { flavor: `secret-flavor-${run}` } }, kiln.rt.limits, await cloud());
    expect(result.errors.map((e) => e.message)).toEqual(["Error validating value '******': The Flavor (******) could not be found."]);
  });

  it("the offline validation (kiln template validate) asks no cloud and lists what it did not look up", () => {
    const offline = validateTemplate({ template: server("image: no-such-image, flavor: { get_param: flavor }") });
    expect(offline.valid).toBe(true);
    expect(offline.notLookedUp).toEqual([
      { path: "resources.server.properties.image", value: "no-such-image", constraint: "glance.image" },
      { path: "resources.server.properties.flavor", value: fx.flavor, constraint: "nova.flavor" },
    ]);
  });

  it("asks about each distinct value once, however often the template names it", async () => {
    const own = new OpenStackCloud(memberCredentials(), () => undefined);
    try {
      await own.session.projectId(); // the token, so only lookups are counted
      const before = own.calls;
      const servers = Array.from({ length: 5 }, (_, i) => `  s${i}: { type: OS::Nova::Server, properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ network: ${twins[0]} }] } }`);
      const result = await validateTemplateInCloud({ template: `heat_template_version: 2018-08-31\nresources:\n${servers.join("\n")}\n` }, kiln.rt.limits, own);
      expect(result.valid).toBe(true);
      // One flavor list, one image search by name, one network by id: 3 calls for 15 values.
      expect(own.calls - before).toBe(3);
    } finally {
      own.close();
    }
  });

  it("a template naming more than 200 distinct values is refused naming the property and the limit, and the cloud is not asked", async () => {
    const own = new OpenStackCloud(memberCredentials(), () => undefined);
    try {
      await own.session.projectId(); // the token, so only lookups are counted
      const before = own.calls;
      const networks = Array.from({ length: 150 }, (_, i) => `{ network: net-${i} }`).join(", ");
      const volumes = Array.from({ length: 60 }, (_, i) => `{ volume_id: vol-${i} }`).join(", ");
      const template = server(`image: ${fx.image}, flavor: { get_param: flavor }, networks: [${networks}], block_device_mapping_v2: [${volumes}]`);
      const result = await validateTemplateInCloud({ template }, kiln.rt.limits, own);
      expect(result.valid).toBe(false);
      expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
        "resources.server.properties.networks.138.network: The template names 212 distinct values (flavors, images, networks…) for the cloud to look up; one operation may look up at most 200",
      ]);
      const refused = await kiln.rt.engine.createStack({ projectId: "p", name: `many-${run}`, template }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TemplateInvalid);
      expect((refused as Error).message).toContain("one operation may look up at most 200");
      expect(own.calls - before).toBe(0);
    } finally {
      own.close();
    }
  });

  it("create and preview refuse what the cloud does not have, before anything is stored or made", async () => {
    const template = server("image: no-such-image, flavor: { get_param: flavor }, networks: [{ allocate_network: none }]");
    const refused = await kiln.rt.engine.createStack({ projectId: "p", name: `missing-${run}`, template }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TemplateInvalid);
    expect((refused as Error).message).toBe(
      "resources.server.properties.image (8:19): Error validating value 'no-such-image': The Image (no-such-image) could not be found.",
    );
    expect(await kiln.rt.store.listStacks("p")).toEqual([]);

    // A stack with nothing in the cloud yet: the preview of an update to the server is refused the same way.
    const empty = await kiln.rt.engine.createStack({ projectId: "p", name: `empty-${run}`, template: "heat_template_version: 2018-08-31\nresources: {}\n" });
    const preview = await kiln.rt.engine.previewUpdate(empty.id, { template }).catch((e: unknown) => e);
    expect(preview).toBeInstanceOf(TemplateInvalid);
    expect((preview as Error).message).toContain("The Image (no-such-image) could not be found.");
  });

  it("a value known only at deploy time is looked up before its resource is created, and the failure names the property", async () => {
    const template = `
heat_template_version: 2018-08-31
resources:
  name: { type: OS::Heat::RandomString, properties: { length: 12, character_classes: [{ class: lowercase }] } }
  port: { type: OS::Neutron::Port, properties: { network: { get_attr: [name, value] } } }
`;
    const stack = await kiln.rt.engine.createStack({ projectId: "p", name: `late-${run}`, template });
    await expect.poll(async () => (await kiln.rt.store.getStack(stack.id))?.status, { timeout: 60_000, interval: 200 }).toBe("FAILED");
    const port = (await kiln.rt.store.findResources(stack.id, "port"))[0]!;
    const value = String(((await kiln.rt.store.findResources(stack.id, "name"))[0]!.attributes as Obj).value);
    expect(port).toMatchObject({ action: "CREATE", status: "FAILED", physicalId: null });
    expect(port.statusReason).toBe(
      `StackValidationFailed: Property error: resources.port.properties.network: Error validating value '${value}': The Network (${value}) could not be found.`,
    );
  });

  it("a nested stack's values are looked up before its resources are created", async () => {
    const inner = "heat_template_version: 2018-08-31\nresources:\n  port: { type: OS::Neutron::Port, properties: { network: no-such-net } }\n";
    const template = "heat_template_version: 2018-08-31\nresources:\n  inner: { type: inner.yaml }\n";
    const stack = await kiln.rt.engine.createStack({ projectId: "p", name: `nested-${run}`, template, files: { "inner.yaml": inner } });
    await expect.poll(async () => (await kiln.rt.store.getStack(stack.id))?.status, { timeout: 60_000, interval: 200 }).toBe("FAILED");
    const child = (await kiln.rt.store.childStacks([(await kiln.rt.store.findResources(stack.id, "inner"))[0]!.id]))[0]!;
    expect((await kiln.rt.store.findResources(child.id, "port"))[0]).toMatchObject({
      status: "FAILED",
      physicalId: null,
      statusReason: "StackValidationFailed: Property error: resources.port.properties.network: Error validating value 'no-such-net': The Network (no-such-net) could not be found.",
    });
  });

  it("a cloud that does not answer is an error naming the cloud and the limit, not a hang", async () => {
    // A real listener that takes connections and never answers them.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(3331, "127.0.0.1", resolve));
    const mute = new OpenStackCloud({ ...memberCredentials(), authUrl: "http://127.0.0.1:3331/v3" }, () => undefined);
    try {
      const started = Date.now();
      const problems = await checkCloudLookups([{ constraint: "nova.flavor", value: "m1.tiny", path: "resources.server.properties.flavor" }], mute, 1_000);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        `resources.server.properties.flavor: Error validating value 'm1.tiny': the cloud (${mute.label}) did not answer within 1 s`,
      ]);
    } finally {
      mute.close();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
