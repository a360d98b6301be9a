/**
 * A create run again for the same resource (a job delivered again after its worker died
 * between the cloud's answer and Kiln's write) finds what the first run made, by the mark Kiln
 * puts on it, and makes nothing twice: a network and a port (Neutron description), a subnet, a volume
 * (Cinder metadata), a server (Nova tag). Plugins are called as the engine calls them, with
 * no physical id stored, against the real cloud.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { CloudPort } from "../engine/ports";
import type { Outcome, ResourceContext, ResourcePlugin } from "../engine/resources/plugin";
import { netPlugin, portPlugin, subnetPlugin } from "../engine/resources/openstack/neutronPlugins";
import { serverPlugin } from "../engine/resources/openstack/novaPlugins";
import { volumePlugin } from "../engine/resources/openstack/storagePlugins";
import { OpenStackCloud } from "./openstackCloud";
import { cloudSkipped, memberCredentials, testCloud } from "./testing/testCloud";

const cloud = cloudSkipped ? undefined : new OpenStackCloud(memberCredentials(), () => {});
afterAll(() => cloud?.close());

function context(resourceId: string, name: string, properties: Record<string, unknown>, physicalId: string | null = null): ResourceContext {
  return {
    action: "CREATE",
    stackId: "s",
    stackName: "again",
    projectId: "p",
    resourceId,
    resourceName: name,
    physicalId,
    properties,
    updatePolicy: {},
    timeoutMins: 60,
    previousProperties: {},
    metadata: undefined,
    files: {},
    data: {},
    now: Date.now(),
    nested: undefined as never,
    publicUrl: "http://kiln.test",
    cloud: async () => cloud as CloudPort,
    software: undefined as never,
    physicalName: () => `again-${name}-${resourceId.replace(/-/g, "").slice(0, 12)}`,
    peer: async () => undefined,
  };
}

const idOf = (o: Outcome) => String(o.physicalId);

/** Runs create twice with nothing stored in between; both answer the same object. */
async function twice(plugin: ResourcePlugin, ctx: ResourceContext) {
  const first = await plugin.create(ctx);
  const second = await plugin.create(ctx);
  expect(idOf(second)).toBe(idOf(first));
  return idOf(first);
}

describe.skipIf(cloudSkipped)("a create run again after a crash", () => {
  it("finds the network, port, volume and server the first run made", async () => {
    const fx = await testCloud();
    const net = await twice(netPlugin, context(randomUUID(), "net", { admin_state_up: true, shared: false, value_specs: {} }));
    const subnet = await twice(subnetPlugin, context(randomUUID(), "subnet", { network: net, cidr: "10.60.0.0/24", ip_version: 4, enable_dhcp: true, dns_nameservers: [], value_specs: {} }));
    expect(((await cloud!.call("network", "GET", `/v2.0/subnets?network_id=${net}`)).body as { subnets: { id: string }[] }).subnets.map((x) => x.id)).toEqual([subnet]);
    const port = await twice(portPlugin, context(randomUUID(), "port", { network: net, admin_state_up: true, value_specs: {}, device_id: "", device_owner: "", no_fixed_ips: false, "binding:vnic_type": "normal" }));
    const volumeCtx = context(randomUUID(), "volume", { size: 1, metadata: {} });
    const volume = await twice(volumePlugin, volumeCtx);
    const serverCtx = context(randomUUID(), "server", { image: fx.image, flavor: fx.flavor, networks: [{ port }], metadata: {}, security_groups: [], user_data: "", user_data_format: "RAW" });
    const server = await twice(serverPlugin, serverCtx);

    const ports = (await cloud!.call("network", "GET", `/v2.0/ports?network_id=${net}`)).body as { ports: { id: string; device_owner: string }[] };
    expect(ports.ports.filter((p) => p.device_owner === "" || p.device_owner.startsWith("compute")).map((p) => p.id)).toEqual([port]);
    const tagged = (await cloud!.call("compute", "GET", `/servers?tags=${encodeURIComponent(`kiln:${serverCtx.resourceId}`)}`)).body as { servers: { id: string }[] };
    expect(tagged.servers.map((s) => s.id)).toEqual([server]);
    const marked = (await cloud!.call("volumev3", "GET", `/volumes?metadata=${encodeURIComponent(JSON.stringify({ kiln_resource_id: volumeCtx.resourceId }))}`)).body as { volumes: { id: string }[] };
    expect(marked.volumes.map((v) => v.id)).toEqual([volume]);

    // Cleaned up through the plugins' own deletes (404 = deleted; the delete waits for the server).
    await serverPlugin.delete({ ...serverCtx, action: "DELETE", physicalId: server });
    await expect.poll(async () => (await cloud!.call("compute", "GET", `/servers/${server}`, { expect: [404] })).status, { timeout: 60_000, interval: 500 }).toBe(404);
    await volumePlugin.delete({ ...volumeCtx, action: "DELETE", physicalId: volume });
    await portPlugin.delete(context("x", "port", {}, port));
    await subnetPlugin.delete(context("x", "subnet", {}, subnet));
    await netPlugin.delete(context("x", "net", {}, net));
    expect((await cloud!.call("network", "GET", `/v2.0/networks/${net}`, { expect: [404] })).status).toBe(404);
  }, 180_000);
});
