/**
 * Kiln's OpenStack resource types against a real OpenStack (the minicloud, or whichever cloud
 * OS_CLOUD / OS_* name): stacks created, updated, checked and deleted through the engine with
 * its real adapters, and what they made looked at through the cloud's own APIs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOutputs } from "../services/stacks";
import type { Runtime } from "../services/runtime";
import type { StackRecord } from "../engine/ports";
import { KeystoneSession } from "./keystoneSession";
import type { CloudDirectory } from "./openstackCloud";
import { cloudRuntime, type CloudRuntime } from "./testing/cloudRuntime";
import { cloudSkipped, memberCredentials, REBUILD_IMAGE, RESIZE_FLAVOR, testCloud, type CloudFixtures } from "./testing/testCloud";

type Obj = Record<string, unknown>;

describe.skipIf(cloudSkipped)("OpenStack resource types against a real cloud", () => {
  let rt: Runtime;
  let clouds: CloudDirectory;
  let kiln: CloudRuntime;
  let fx: CloudFixtures;
  /** The test's own look at the cloud, apart from Kiln's session. */
  let look: KeystoneSession;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    fx = await testCloud();
    look = new KeystoneSession(memberCredentials());
    kiln = await cloudRuntime();
    ({ rt, clouds } = kiln);
  }, 120_000);
  afterAll(() => kiln?.close());

  const settled = (id: string, action: string, timeout?: number) => kiln.settled(id, action, timeout);
  const settledGone = (id: string) => kiln.settledGone(id);
  const row = async (stackId: string, name: string) => (await rt.store.findResources(stackId, name)).find((r) => !r.replacedBy)!;
  const outputs = async (stackId: string) =>
    Object.fromEntries((await listOutputs(rt, (await rt.store.getStack(stackId))!, { seesCredentials: true })).map((o) => [o.outputKey, o.outputValue]));
  const get = async (service: string, path: string) => look.call(service, "GET", path, { expect: [404] });
  const gone = async (service: string, path: string) => (await get(service, path)).status === 404;

  it("builds a server on a new network with a router, a security group, a port and a floating IP; updates it in place; a check finds it deleted out of band; the delete leaves nothing", async () => {
    const template = `
heat_template_version: 2018-08-31
resources:
  net: { type: OS::Neutron::Net }
  subnet: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.20.30.0/24 } }
  router: { type: OS::Neutron::Router, properties: { external_gateway_info: { network: ${fx.publicNetwork} } } }
  router_interface: { type: OS::Neutron::RouterInterface, properties: { router: { get_resource: router }, subnet: { get_resource: subnet } } }
  sg:
    type: OS::Neutron::SecurityGroup
    properties:
      rules: [{ protocol: tcp, port_range_min: 22, port_range_max: 22, remote_ip_prefix: 0.0.0.0/0 }]
  port:
    type: OS::Neutron::Port
    properties: { network: { get_resource: net }, fixed_ips: [{ subnet: { get_resource: subnet } }], security_groups: [{ get_resource: sg }] }
  server:
    type: OS::Nova::Server
    properties:
      image: ${fx.image}
      flavor: ${fx.flavor}
      networks: [{ port: { get_resource: port } }]
      metadata: { role: web }
      user_data_format: RAW
      user_data: "#!/bin/sh\\necho hello"
  fip:
    type: OS::Neutron::FloatingIP
    properties: { floating_network: ${fx.publicNetwork}, port_id: { get_resource: port } }
outputs:
  ip: { value: { get_attr: [server, first_address] } }
  networks: { value: { get_attr: [server, networks] } }
  public_ip: { value: { get_attr: [fip, floating_ip_address] } }
`;
    const callsBefore = (await clouds.forProject("p"))!.calls;
    const stack = await rt.engine.createStack({ projectId: "p", name: `web-${run}`, template });
    const created = await settled(stack.id, "CREATE");
    expect(created.statusReason).toBe("Stack CREATE completed successfully");
    expect(created.status).toBe("COMPLETE");
    const calls = (await clouds.forProject("p"))!.calls - callsBefore;
    // No depends_on: the floating IP waits for the router and the interface that route its port, as in Heat.
    expect((await row(stack.id, "fip")).requires.sort()).toEqual(["port", "router", "router_interface"]);
    expect((await row(stack.id, "port")).requires.sort()).toEqual(["net", "sg", "subnet"]);

    const server = await row(stack.id, "server");
    const nova = (await get("compute", `/servers/${server.physicalId}`)).body as { server: Obj };
    expect(nova.server).toMatchObject({ status: "ACTIVE", metadata: { role: "web", kiln_resource_id: server.id } });
    expect(nova.server.tags).toContain(`kiln:${server.id}`);
    const out = await outputs(stack.id);
    expect(out.ip).toMatch(/^10\.20\.30\.\d+$/);
    expect(out.public_ip).toMatch(/^198\.51\.100\.\d+$/);
    const netName = ((await get("network", `/v2.0/networks/${(await row(stack.id, "net")).physicalId}`)).body as { network: { name: string } }).network.name;
    // Keyed by the network's name and by its id, as Heat's networks attribute is (the floating IP may show there too).
    const networks = out.networks as Record<string, string[]>;
    expect(Object.keys(networks).sort()).toEqual([netName, (await row(stack.id, "net")).physicalId!].sort());
    expect(networks[netName]).toContain(out.ip);
    const fip = ((await get("network", `/v2.0/floatingips/${(await row(stack.id, "fip")).physicalId}`)).body as { floatingip: Obj }).floatingip;
    expect(fip).toMatchObject({ port_id: (await row(stack.id, "port")).physicalId, fixed_ip_address: out.ip });
    const rules = ((await get("network", `/v2.0/security-group-rules?security_group_id=${(await row(stack.id, "sg")).physicalId}`)).body as { security_group_rules: Obj[] }).security_group_rules;
    expect(rules.some((r) => r.direction === "ingress" && r.port_range_min === 22 && r.remote_ip_prefix === "0.0.0.0/0")).toBe(true);
    // Bounded: a handful of calls per resource, not one per second of waiting.
    expect(calls / 8).toBeLessThan(10);

    // Name and metadata change in place: the same server.
    await rt.engine.updateStack(stack.id, { template: template.replace("metadata: { role: web }", "name: renamed-web\n      metadata: { role: db }") });
    expect((await settled(stack.id, "UPDATE")).status).toBe("COMPLETE");
    const updated = await row(stack.id, "server");
    expect(updated.physicalId).toBe(server.physicalId);
    expect(((await get("compute", `/servers/${server.physicalId}`)).body as { server: Obj }).server).toMatchObject({ name: "renamed-web", metadata: { role: "db", kiln_resource_id: server.id } });

    const made = await Promise.all(["net", "subnet", "router", "port", "sg", "fip"].map(async (n) => [n, (await row(stack.id, n)).physicalId!] as const));

    // Deleted behind Kiln's back: the check says so, with a reason.
    await look.call("compute", "DELETE", `/servers/${server.physicalId}`);
    await expect.poll(() => gone("compute", `/servers/${server.physicalId}`), { timeout: 60_000, interval: 500 }).toBe(true);
    await rt.engine.checkStack(stack.id);
    expect((await settled(stack.id, "CHECK")).status).toBe("FAILED");
    const checked = await row(stack.id, "server");
    expect(checked).toMatchObject({ action: "CHECK", status: "FAILED" });
    expect(checked.statusReason).toBe(`NotFound: resources.server: The server (${server.physicalId}) could not be found.`);

    await rt.engine.deleteStack(stack.id);
    await settledGone(stack.id);
    const paths: Record<string, string> = { net: "networks", subnet: "subnets", router: "routers", port: "ports", sg: "security-groups", fip: "floatingips" };
    for (const [name, id] of made) expect(await gone("network", `/v2.0/${paths[name]}/${id}`), name).toBe(true);
    // Nothing left that carries this stack's name or Kiln's mark.
    const left = (await get("network", "/v2.0/ports")).body as { ports: Obj[] };
    expect(left.ports.filter((p) => String(p.name).startsWith(`web-${run}`) || String(p.description).includes(stack.id))).toEqual([]);
  }, 300_000);

  it("rebuilds a server with a new image in place; a new flavor resizes it in place, or fails with the reason when Nova cannot", async () => {
    const template = `
heat_template_version: 2018-08-31
resources:
  server:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }] }
`;
    const stack = await rt.engine.createStack({ projectId: "p", name: `rebuild-${run}`, template });
    expect((await settled(stack.id, "CREATE")).status).toBe("COMPLETE");
    const before = await row(stack.id, "server");
    const nova = async () => ((await get("compute", `/servers/${before.physicalId}`)).body as { server: { status: string; image: { id: string }; flavor: { original_name: string } } }).server;
    const firstImage = (await nova()).image.id;

    const rebuilt = template.replace(`image: ${fx.image}`, `image: ${REBUILD_IMAGE}`);
    await rt.engine.updateStack(stack.id, { template: rebuilt });
    expect((await settled(stack.id, "UPDATE")).statusReason).toBe("Stack UPDATE completed successfully");
    expect((await row(stack.id, "server")).physicalId).toBe(before.physicalId);
    const afterRebuild = await nova();
    expect(afterRebuild.status).toBe("ACTIVE");
    expect(afterRebuild.image.id).not.toBe(firstImage);

    // The minicloud has one compute host and does not allow a resize onto the same host: Nova
    // then leaves the server as it was, and the update must fail saying so, not succeed.
    await rt.engine.updateStack(stack.id, { template: rebuilt.replace(`flavor: ${fx.flavor}`, `flavor: ${RESIZE_FLAVOR}`) });
    const resized = await settled(stack.id, "UPDATE");
    const server = await row(stack.id, "server");
    expect(server.physicalId).toBe(before.physicalId);
    const afterResize = await nova();
    if (resized.status === "COMPLETE") expect(afterResize.flavor.original_name).toBe(RESIZE_FLAVOR);
    else {
      expect(server.statusReason).toBe(`Error: resources.server: Resizing to '${RESIZE_FLAVOR}' failed: Nova left the server ACTIVE at flavor '${fx.flavor}'`);
      expect(afterResize).toMatchObject({ status: "ACTIVE", flavor: { original_name: fx.flavor } });
    }
    await rt.engine.deleteStack(stack.id);
    await settledGone(stack.id);
    expect(await gone("compute", `/servers/${before.physicalId}`)).toBe(true);
  }, 300_000);

  it("attaches a volume to a server booted on a port; the delete detaches and deletes both", async () => {
    const template = `
heat_template_version: 2018-08-31
resources:
  net: { type: OS::Neutron::Net }
  subnet: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.40.0.0/24 } }
  port: { type: OS::Neutron::Port, properties: { network: { get_resource: net }, fixed_ips: [{ subnet: { get_resource: subnet }, ip_address: 10.40.0.10 }] } }
  server:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ port: { get_resource: port } }] }
  volume: { type: OS::Cinder::Volume, properties: { size: 1, metadata: { purpose: data } } }
  attachment:
    type: OS::Cinder::VolumeAttachment
    properties: { instance_uuid: { get_resource: server }, volume_id: { get_resource: volume } }
outputs:
  ip: { value: { get_attr: [server, first_address] } }
  volume_status: { value: { get_attr: [volume, status] } }
`;
    // Another resource's volume in the same project: a cloud whose volume list ignores the metadata filter must not make Kiln take it for its own.
    const decoy = ((await look.call("volumev3", "POST", "/volumes", { body: { volume: { name: `decoy-${run}`, size: 1, metadata: { kiln_resource_id: "someone-else" } } } })).body as { volume: { id: string } }).volume.id;
    let created: StackRecord;
    const stack = await rt.engine.createStack({ projectId: "p", name: `vol-${run}`, template });
    try {
      created = await settled(stack.id, "CREATE");
    } finally {
      await look.call("volumev3", "DELETE", `/volumes/${decoy}`, { expect: [404] });
    }
    expect(created.statusReason).toBe("Stack CREATE completed successfully");
    const out = await outputs(stack.id);
    expect(out.ip).toBe("10.40.0.10");
    const server = (await row(stack.id, "server")).physicalId!;
    const volume = (await row(stack.id, "volume")).physicalId!;
    const v = ((await get("volumev3", `/volumes/${volume}`)).body as { volume: { status: string; attachments: { server_id: string }[]; metadata: Obj } }).volume;
    expect(v.status).toBe("in-use");
    expect(v.attachments.map((a) => a.server_id)).toEqual([server]);
    expect(v.metadata).toMatchObject({ purpose: "data", kiln_resource_id: (await row(stack.id, "volume")).id });

    await rt.engine.deleteStack(stack.id);
    await settledGone(stack.id);
    expect(await gone("volumev3", `/volumes/${volume}`)).toBe(true);
    expect(await gone("compute", `/servers/${server}`)).toBe(true);
  }, 300_000);

  it("makes a Swift container and a Zaqar queue, and deletes them", async () => {
    const template = `
heat_template_version: 2018-08-31
resources:
  bucket: { type: OS::Swift::Container, properties: { X-Container-Meta: { owner: kiln } } }
  queue: { type: OS::Zaqar::Queue, properties: { metadata: { ttl: 60 } } }
outputs:
  url: { value: { get_attr: [bucket, WebsiteURL] } }
  href: { value: { get_attr: [queue, href] } }
`;
    const stack = await rt.engine.createStack({ projectId: "p", name: `store-${run}`, template });
    expect((await settled(stack.id, "CREATE")).statusReason).toBe("Stack CREATE completed successfully");
    const bucket = (await row(stack.id, "bucket")).physicalId!;
    const queue = (await row(stack.id, "queue")).physicalId!;
    const head = await look.call("object-store", "HEAD", `/${bucket}`);
    expect(head.headers["x-container-meta-owner"]).toBe("kiln");
    const out = await outputs(stack.id);
    expect(out.url).toBe(`${await look.endpoint("object-store")}/${bucket}`);
    expect(out.href).toBe(`${await look.endpoint("messaging")}/v2/queues/${queue}`);
    const client = { "client-id": "5c8f3f4c-0e7b-4b59-9f7e-7a9b1b0f2c11" };
    expect((await look.call("messaging", "GET", `/v2/queues/${queue}/stats`, { headers: client })).status).toBe(200);

    await rt.engine.deleteStack(stack.id);
    await settledGone(stack.id);
    expect((await look.call("object-store", "HEAD", `/${bucket}`, { expect: [404] })).status).toBe(404);
    const queues = (await look.call("messaging", "GET", "/v2/queues", { headers: client })).body as { queues?: { name: string }[] } | undefined;
    expect((queues?.queues ?? []).map((q) => q.name)).not.toContain(queue);
  }, 120_000);

  it("a key pair, a server group, a security group rule, and floating IPs by association and by the server's networks", async () => {
    const template = `
heat_template_version: 2018-08-31
resources:
  key: { type: OS::Nova::KeyPair, properties: { name: key-${run}, save_private_key: true } }
  group: { type: OS::Nova::ServerGroup, properties: { policies: [soft-anti-affinity] } }
  sg: { type: OS::Neutron::SecurityGroup, properties: { description: web } }
  http: { type: OS::Neutron::SecurityGroupRule, properties: { security_group: { get_resource: sg }, port_range_min: 80, port_range_max: 80 } }
  net: { type: OS::Neutron::Net }
  subnet: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.50.0.0/24 } }
  router: { type: OS::Neutron::Router, properties: { external_gateway_info: { network: ${fx.publicNetwork} } } }
  router_interface: { type: OS::Neutron::RouterInterface, properties: { router: { get_resource: router }, subnet: { get_resource: subnet } } }
  fip1: { type: OS::Neutron::FloatingIP, depends_on: router_interface, properties: { floating_network: ${fx.publicNetwork} } }
  fip2: { type: OS::Neutron::FloatingIP, depends_on: router_interface, properties: { floating_network: ${fx.publicNetwork} } }
  # No depends_on: the port and the server wait for the subnet of their network by themselves, as in Heat.
  port: { type: OS::Neutron::Port, properties: { network: { get_resource: net } } }
  association: { type: OS::Neutron::FloatingIPAssociation, properties: { floatingip_id: { get_resource: fip1 }, port_id: { get_resource: port } } }
  server:
    type: OS::Nova::Server
    properties:
      image: ${fx.image}
      flavor: ${fx.flavor}
      key_name: { get_resource: key }
      security_groups: [{ get_resource: sg }]
      networks: [{ network: { get_resource: net }, floating_ip: { get_resource: fip2 } }]
outputs:
  private_key: { value: { get_attr: [key, private_key] } }
  public_key: { value: { get_attr: [key, public_key] } }
`;
    const stack = await rt.engine.createStack({ projectId: "p", name: `misc-${run}`, template });
    expect((await settled(stack.id, "CREATE")).statusReason).toBe("Stack CREATE completed successfully");
    const out = await outputs(stack.id);
    expect(out.private_key).toMatch(/PRIVATE KEY/);
    const kp = ((await get("compute", `/os-keypairs/key-${run}`)).body as { keypair: { public_key: string } }).keypair;
    expect(kp.public_key).toBe(out.public_key);
    const group = ((await get("compute", `/os-server-groups/${(await row(stack.id, "group")).physicalId}`)).body as { server_group: Obj }).server_group;
    expect(group.policy).toBe("soft-anti-affinity");
    const rule = ((await get("network", `/v2.0/security-group-rules/${(await row(stack.id, "http")).physicalId}`)).body as { security_group_rule: Obj }).security_group_rule;
    expect(rule).toMatchObject({ port_range_min: 80, protocol: "tcp", direction: "ingress", security_group_id: (await row(stack.id, "sg")).physicalId });
    const fip = async (name: string) => ((await get("network", `/v2.0/floatingips/${(await row(stack.id, name)).physicalId}`)).body as { floatingip: Obj }).floatingip;
    expect((await fip("fip1")).port_id).toBe((await row(stack.id, "port")).physicalId);
    const server = (await row(stack.id, "server")).physicalId!;
    const serverPorts = ((await get("network", `/v2.0/ports?device_id=${server}`)).body as { ports: Obj[] }).ports;
    expect((await fip("fip2")).port_id).toBe(serverPorts[0]!.id);
    const nova = ((await get("compute", `/servers/${server}`)).body as { server: Obj }).server;
    expect(nova.key_name).toBe(`key-${run}`);

    await rt.engine.deleteStack(stack.id);
    await settledGone(stack.id);
    expect(await gone("compute", `/os-keypairs/key-${run}`)).toBe(true);
    expect(await gone("compute", `/os-server-groups/${String(group.id)}`)).toBe(true);
    expect(await gone("network", `/v2.0/security-group-rules/${String(rule.id)}`)).toBe(true);
    expect(await gone("compute", `/servers/${server}`)).toBe(true);
  }, 300_000);

  it("a server whose image does not exist is refused before anything is made, naming the property", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const template = `
heat_template_version: 2018-08-31
resources:
  server:
    type: OS::Nova::Server
    properties: { image: ${missing}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }] }
`;
    const refused = await rt.engine.createStack({ projectId: "p", name: `bad-${run}`, template }).catch((e: unknown) => e as Error);
    expect((refused as Error).message).toBe(`resources.server.properties.image (6:19): Error validating value '${missing}': The Image (${missing}) could not be found.`);
    expect(await rt.store.findStackByName("p", `bad-${run}`)).toBeUndefined();
  }, 120_000);
});
