/**
 * The behaviour of the OS::Nova types. A server boots, resizes, rebuilds and is deleted after
 * its call answers: the plugin waits, and the cloud's change watcher wakes it when Nova says
 * the server moved (no poll per server). A server carries the tag `kiln:<resource id>` and the
 * metadata `kiln_resource_id`, so a create run again after a crash finds the server it made.
 */
import type { CloudPort } from "../../ports";
import { changedProperties, done, ResourceFailure, sameValue, wait, type Drift, type Outcome, type ResourceContext, type ResourcePlugin } from "../plugin";
import { cloudHandler, deleteOrGone, fetchOrGone, MARK_KEY, markOf, neutronId, notFound, UUID, watchAndWait } from "./cloudResource";
import { checkBlockDevices, novaBlockDevices } from "./novaBlockDevices";
import { changeInterfaces, stillAttached } from "./novaInterfaces";
import { bootMetadata, refuseDeploymentsInMetadata, refuseUnservedTransport, softwareConfigServerData, softwareConfigUserData } from "./novaSoftwareConfig";
import * as types from "./novaTypes";
import { bootsSoftwareConfig } from "../software/softwareServers";

type Obj = Record<string, unknown>;

interface NovaServer {
  id: string;
  name: string;
  status: string;
  updated?: string;
  addresses?: Record<string, { addr: string; version: number; "OS-EXT-IPS:type"?: string; "OS-EXT-IPS-MAC:mac_addr"?: string }[]>;
  fault?: { message?: string; code?: number; details?: string };
  flavor?: { original_name?: string; id?: string };
  image?: { id?: string } | string;
  "OS-EXT-STS:task_state"?: string | null;
  "OS-EXT-SRV-ATTR:instance_name"?: string;
  accessIPv4?: string;
  accessIPv6?: string;
  tags?: string[];
  metadata?: Record<string, string>;
}

/** A flavor by id or name: one list answers both. */
export async function flavorId(cloud: CloudPort, value: string): Promise<{ id: string; name: string }> {
  const answer = await cloud.call("compute", "GET", "/flavors?is_public=None");
  const flavors = (answer.body as { flavors: { id: string; name: string }[] }).flavors;
  const found = flavors.find((f) => f.id === value) ?? flavors.find((f) => f.name === value);
  if (!found) throw notFound("Flavor", value);
  return found;
}

/** An image by name (Glance); an id is passed to Nova as it is, so Nova's own message tells when it is unknown. */
export async function imageId(cloud: CloudPort, value: string): Promise<string> {
  if (UUID.test(value)) return value;
  const answer = await cloud.call("image", "GET", `/v2/images?name=${encodeURIComponent(value)}`);
  const images = (answer.body as { images: { id: string }[] }).images;
  if (images.length === 0) throw notFound("Image", value);
  if (images.length > 1) throw new ResourceFailure(`Multiple Image matches found for name '${value}', use an ID to be more specific.`, "PhysicalResourceNameAmbiguity");
  return images[0]!.id;
}

/** Nova's `networks` from the template's list: "auto" when none is given, as the openstack CLI does. */
async function novaNetworks(cloud: CloudPort, networks: Obj[] | undefined): Promise<unknown> {
  if (!networks || networks.length === 0) return "auto";
  const special = networks.find((n) => n.allocate_network !== undefined);
  if (special) return String(special.allocate_network);
  return Promise.all(
    networks.map(async (n) => {
      if (n.port !== undefined) return { port: await neutronId(cloud, "ports", "Port", String(n.port)) };
      let network = n.network === undefined ? undefined : await neutronId(cloud, "networks", "Network", String(n.network));
      if (network === undefined && n.subnet !== undefined) {
        // Nova takes no subnet: the address comes from the subnet's network (and fixed_ip, when given).
        const subnet = await fetchOrGone<{ network_id: string }>(cloud, "network", `/v2.0/subnets/${await neutronId(cloud, "subnets", "Subnet", String(n.subnet))}`, "subnet");
        network = subnet?.network_id;
      }
      return { ...(network ? { uuid: network } : {}), ...(n.fixed_ip ? { fixed_ip: n.fixed_ip } : {}), ...(n.tag ? { tag: n.tag } : {}) };
    }),
  );
}

/**
 * The user_data Nova is given, base64-encoded. As in Heat, a RAW or SOFTWARE_CONFIG user_data
 * that is a software config's id stands for that config's content; a SOFTWARE_CONFIG server
 * gets it wrapped with what its agent needs (novaSoftwareConfig.ts).
 */
async function userDataOf(ctx: ResourceContext): Promise<string | undefined> {
  const p = ctx.properties;
  let content = String(p.user_data ?? "");
  if (UUID.test(content) && (p.user_data_format === "RAW" || bootsSoftwareConfig(p))) {
    const config = (await ctx.software.config(content))?.config.config;
    if (config !== undefined) content = typeof config === "string" ? config : JSON.stringify(config);
  }
  if (bootsSoftwareConfig(p)) content = softwareConfigUserData(content, bootMetadata(ctx.metadata, ctx.data.osCollectConfig));
  return content ? Buffer.from(content).toString("base64") : undefined;
}
const metadataOf = (ctx: ResourceContext, p: Obj) => ({ ...((p.metadata as Record<string, unknown> | undefined) ?? {}), [MARK_KEY]: ctx.resourceId });
const stringMap = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
const tagsOf = (ctx: ResourceContext, p: Obj) => [...((p.tags as string[] | undefined) ?? []), markOf(ctx)];

/** The server Kiln made for this resource: by its stored id, else by its tag (a create run again after a crash). */
async function ownServer(ctx: ResourceContext, cloud: CloudPort): Promise<NovaServer | undefined> {
  if (ctx.physicalId) {
    const server = await fetchOrGone<NovaServer>(cloud, "compute", `/servers/${ctx.physicalId}`, "server");
    if (server && server.status !== "DELETED") return server;
  }
  const answer = await cloud.call("compute", "GET", `/servers/detail?tags=${encodeURIComponent(markOf(ctx))}`);
  return (answer.body as { servers: NovaServer[] }).servers.find((s) => s.status !== "DELETED");
}

/** Heat's attributes of a server, from Nova's server and Neutron's ports on it. */
async function serverAttributes(cloud: CloudPort, server: NovaServer): Promise<Obj> {
  const answer = await cloud.call("network", "GET", `/v2.0/ports?device_id=${server.id}`);
  const ports = (answer.body as { ports: { id: string; network_id: string; fixed_ips: { ip_address: string; subnet_id: string }[] }[] }).ports;
  const addresses: Record<string, Obj[]> = {};
  const networks: Record<string, string[]> = {};
  for (const [net, list] of Object.entries(server.addresses ?? {})) {
    addresses[net] = list.map((a) => {
      const port = ports.find((p) => p.fixed_ips.some((f) => f.ip_address === a.addr));
      return { ...a, port: port?.id ?? null, network_id: port?.network_id ?? null, subnets: port ? port.fixed_ips.map((f) => ({ id: f.subnet_id })) : [] };
    });
    networks[net] = list.map((a) => a.addr);
    const id = ports.find((p) => p.fixed_ips.some((f) => list.some((a) => a.addr === f.ip_address)))?.network_id;
    if (id) networks[id] = list.map((a) => a.addr);
  }
  const first = Object.values(server.addresses ?? {})[0]?.[0]?.addr ?? "";
  return {
    name: server.name,
    addresses,
    networks,
    first_address: first,
    instance_name: server["OS-EXT-SRV-ATTR:instance_name"] ?? null,
    accessIPv4: server.accessIPv4 ?? "",
    accessIPv6: server.accessIPv6 ?? "",
    tags: (server.tags ?? []).filter((t) => !t.startsWith("kiln:")),
    show: withoutUserData(server),
  };
}

/**
 * Nova's server without its user_data, which Nova shows an admin: base64, it would carry a
 * hidden parameter's value or a SOFTWARE_CONFIG server's agent credential past every mask.
 */
function withoutUserData(server: NovaServer): NovaServer {
  const { ["OS-EXT-SRV-ATTR:user_data"]: _userData, ...rest } = server as NovaServer & { "OS-EXT-SRV-ATTR:user_data"?: unknown };
  return rest;
}

/** Floating IPs named in `networks` are associated with the server's port on that network once it is ACTIVE. */
async function associateFloatingIps(cloud: CloudPort, server: NovaServer, networks: Obj[] | undefined) {
  for (const n of networks ?? []) {
    if (!n.floating_ip) continue;
    let portId: string | undefined;
    if (n.port !== undefined) portId = await neutronId(cloud, "ports", "Port", String(n.port));
    else {
      const network = n.network === undefined ? undefined : await neutronId(cloud, "networks", "Network", String(n.network));
      const answer = await cloud.call("network", "GET", `/v2.0/ports?device_id=${server.id}${network ? `&network_id=${network}` : ""}&fields=id`);
      portId = (answer.body as { ports: { id: string }[] }).ports[0]?.id;
    }
    if (portId) await cloud.call("network", "PUT", `/v2.0/floatingips/${String(n.floating_ip)}`, { body: { floatingip: { port_id: portId } } });
  }
}

function inError(server: NovaServer): ResourceFailure {
  const fault = server.fault;
  const why = fault?.message ? `Message: ${fault.message}, Code: ${fault.code ?? 500}` : "Unknown";
  return new ResourceFailure(`Went to status ERROR due to "${why}"`, "ResourceInError");
}

/** How soon a server whose interface is being detached is looked at again. */
const DETACH_LOOK_MS = 1000;

/** Waits on the server, or finishes when it is ACTIVE with no task left and no interface still detaching. */
async function untilActive(ctx: ResourceContext, cloud: CloudPort, server: NovaServer): Promise<Outcome> {
  if (server.status === "ERROR") throw inError(server);
  if (server.status === "VERIFY_RESIZE") {
    await cloud.call("compute", "POST", `/servers/${server.id}/action`, { body: { confirmResize: null } });
    return watchAndWait(ctx, cloud, { service: "compute", collection: "servers", id: server.id, status: server.status }, {}, server.id);
  }
  if (server.status === "ACTIVE" && !server["OS-EXT-STS:task_state"]) {
    // A resize or rebuild Nova could not do leaves the server ACTIVE as it was.
    const resizingTo = ctx.data.resizingTo as { id: string; name: string } | null | undefined;
    if (resizingTo && server.flavor?.original_name !== resizingTo.name && server.flavor?.id !== resizingTo.id) {
      throw new ResourceFailure(`Resizing to '${resizingTo.name}' failed: Nova left the server ACTIVE at flavor '${server.flavor?.original_name ?? server.flavor?.id}'`, "Error");
    }
    const rebuildingTo = ctx.data.rebuildingTo as string | null | undefined;
    const image = typeof server.image === "object" ? server.image?.id : server.image;
    if (rebuildingTo && image !== rebuildingTo) throw new ResourceFailure(`Rebuilding server ${server.id} to image ${rebuildingTo} failed: it still runs image ${String(image)}`, "Error");
    // Nova detaches an interface in the background, and says nothing when it is done: looked at again shortly.
    const detaching = (ctx.data.detaching as string[] | null | undefined) ?? [];
    if (detaching.length > 0 && (await stillAttached(cloud, server.id, detaching))) return wait({ data: ctx.data, wakeAfterMs: DETACH_LOOK_MS, physicalId: server.id });
    await associateFloatingIps(cloud, server, ctx.properties.networks as Obj[] | undefined);
    return done({ physicalId: server.id, attributes: await serverAttributes(cloud, server), data: { resizingTo: null, rebuildingTo: null, detaching: null }, cloudState: server.status });
  }
  return watchAndWait(ctx, cloud, { service: "compute", collection: "servers", id: server.id, status: server.status }, {}, server.id);
}

/** Where the server differs from what Kiln last applied: its name, metadata (Kiln's mark aside) and flavor. */
function serverDrift(ctx: ResourceContext, server: NovaServer): Drift[] {
  const p = ctx.properties;
  const drift: Drift[] = [];
  const name = (p.name as string | undefined) ?? ctx.physicalName();
  if (server.name !== name) drift.push({ property: "name", applied: name, cloud: server.name });
  const { [MARK_KEY]: _, ...metadata } = server.metadata ?? {};
  const applied = stringMap((p.metadata as Record<string, unknown> | undefined) ?? {});
  if (!sameValue(metadata, applied)) drift.push({ property: "metadata", applied: p.metadata, cloud: metadata });
  const flavor = String(p.flavor);
  const cloudFlavor = server.flavor?.original_name ?? server.flavor?.id;
  if (cloudFlavor !== undefined && flavor !== server.flavor?.original_name && flavor !== server.flavor?.id) drift.push({ property: "flavor", applied: p.flavor, cloud: cloudFlavor });
  return drift;
}

const show = (cloud: CloudPort, id: string) => fetchOrGone<NovaServer>(cloud, "compute", `/servers/${id}`, "server");

/** Changes Kiln applies in place (networks by attaching and detaching interfaces); any other change replaces the server. */
const IN_PLACE = new Set(["name", "metadata", "tags", "flavor", "image", "user_data", "admin_pass", "flavor_update_policy", "image_update_policy", "user_data_update_policy", "software_config_transport", "networks"]);

export const serverPlugin: ResourcePlugin = {
  ...types.novaServer,
  // A SOFTWARE_CONFIG server's agent credential: members connect agents, readers only look.
  credentials: ["credential"],
  needsReplacement(oldProps, newProps) {
    const changed = changedProperties(oldProps, newProps);
    if (changed.some((p) => !IN_PLACE.has(p))) return true;
    if (changed.includes("flavor") && newProps.flavor_update_policy === "REPLACE") return true;
    if (changed.includes("image") && newProps.image_update_policy === "REPLACE") return true;
    return changed.includes("user_data") && (newProps.user_data_update_policy ?? "REPLACE") === "REPLACE";
  },
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    if (bootsSoftwareConfig(p)) {
      refuseUnservedTransport(String(p.software_config_transport));
      refuseDeploymentsInMetadata(ctx.metadata);
      // Stored before the boot, so that a create run again after a crash knows the credential
      // the server's user_data carries.
      if (!ctx.data.credential) return wait({ data: { ...ctx.data, ...softwareConfigServerData(ctx) }, wakeAfterMs: 0 });
    }
    const blockDevices = (p.block_device_mapping_v2 as Obj[] | undefined) ?? [];
    checkBlockDevices(ctx.resourceName, p.image, blockDevices);
    const existing = await ownServer(ctx, cloud);
    if (existing) return untilActive(ctx, cloud, existing);
    const flavor = await flavorId(cloud, String(p.flavor));
    const body: Obj = {
      name: (p.name as string | undefined) ?? ctx.physicalName(),
      flavorRef: flavor.id,
      networks: await novaNetworks(cloud, p.networks as Obj[] | undefined),
      metadata: stringMap(metadataOf(ctx, p)),
      tags: tagsOf(ctx, p),
    };
    if (p.image !== undefined) body.imageRef = await imageId(cloud, String(p.image));
    if (blockDevices.length > 0) body.block_device_mapping_v2 = await novaBlockDevices(cloud, blockDevices);
    if (p.key_name !== undefined) body.key_name = p.key_name;
    if (p.availability_zone !== undefined) body.availability_zone = p.availability_zone;
    if (p.config_drive !== undefined) body.config_drive = p.config_drive;
    if (p.admin_pass !== undefined) body.adminPass = p.admin_pass;
    const userData = await userDataOf(ctx);
    if (userData) body.user_data = userData;
    const groups = (p.security_groups as string[] | undefined) ?? [];
    if (groups.length > 0) body.security_groups = groups.map((name) => ({ name }));
    const answer = await cloud.call("compute", "POST", "/servers", {
      body: { server: body, ...(p.scheduler_hints ? { "os:scheduler_hints": p.scheduler_hints } : {}) },
    });
    const id = (answer.body as { server: { id: string } }).server.id;
    // Stamped from the start, as a DeployedServer is: a deployment added within the second its
    // agent first read the (empty) metadata still moves Last-Modified past what it saw.
    if (bootsSoftwareConfig(p)) await ctx.software.store.touchServer(id, ctx.projectId, ctx.now);
    return watchAndWait(ctx, cloud, { service: "compute", collection: "servers", id, status: "BUILD" }, {}, id);
  }),
  update: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const old = ctx.previousProperties;
    const id = ctx.physicalId!;
    const changed = new Set(changedProperties(old, p));
    if (bootsSoftwareConfig(p) && changed.has("software_config_transport")) refuseUnservedTransport(String(p.software_config_transport));
    if (changed.has("name")) await cloud.call("compute", "PUT", `/servers/${id}`, { body: { server: { name: (p.name as string | undefined) ?? ctx.physicalName() } } });
    if (changed.has("metadata")) await cloud.call("compute", "PUT", `/servers/${id}/metadata`, { body: { metadata: stringMap(metadataOf(ctx, p)) } });
    if (changed.has("tags")) await cloud.call("compute", "PUT", `/servers/${id}/tags`, { body: { tags: tagsOf(ctx, p) } });
    if (changed.has("admin_pass") && p.admin_pass) await cloud.call("compute", "POST", `/servers/${id}/action`, { body: { changePassword: { adminPass: p.admin_pass } } });
    const rebuildUserData = changed.has("user_data") && p.user_data_update_policy === "REBUILD";
    const pending: Obj = { resizingTo: null, rebuildingTo: null, detaching: null };
    // First, while the server has no task that would make Nova refuse an interface change.
    if (changed.has("networks")) pending.detaching = await changeInterfaces(cloud, id, (old.networks as Obj[] | undefined) ?? [], (p.networks as Obj[] | undefined) ?? []);
    if (changed.has("image") || rebuildUserData) {
      const rebuild: Obj = { imageRef: await imageId(cloud, String(p.image)) };
      pending.rebuildingTo = rebuild.imageRef;
      if (p.image_update_policy === "REBUILD_PRESERVE_EPHEMERAL") rebuild.preserve_ephemeral = true;
      if (rebuildUserData) rebuild.user_data = (await userDataOf(ctx)) ?? null;
      await cloud.call("compute", "POST", `/servers/${id}/action`, { body: { rebuild } });
    }
    if (changed.has("flavor")) {
      const flavor = await flavorId(cloud, String(p.flavor));
      await cloud.call("compute", "POST", `/servers/${id}/action`, { body: { resize: { flavorRef: flavor.id } } });
      pending.resizingTo = flavor;
    }
    const server = await show(cloud, id);
    if (!server) throw new ResourceFailure(`The server (${id}) could not be found.`, "NotFound");
    return untilActive({ ...ctx, data: { ...ctx.data, ...pending } }, cloud, server);
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    // The row is DELETE_IN_PROGRESS now, which revokes the credential: telling it drops the agent.
    if (bootsSoftwareConfig(ctx.properties) && ctx.physicalId) await ctx.software.changed(ctx.physicalId, ctx.projectId);
    const server = await ownServer(ctx, cloud);
    if (!server) return done();
    if (!(await deleteOrGone(cloud, "compute", `/servers/${server.id}`))) return done();
    return watchAndWait(ctx, cloud, { service: "compute", collection: "servers", id: server.id, status: server.status }, {}, server.id);
  }),
  resume: cloudHandler(async (ctx, cloud) => {
    // Woken after storing a SOFTWARE_CONFIG server's credential: the boot comes next.
    if (ctx.action === "CREATE" && !ctx.physicalId) return serverPlugin.create(ctx);
    const id = ctx.physicalId!;
    const server = await show(cloud, id);
    if (ctx.action === "DELETE") {
      // Deletion waits until Nova says the server is gone.
      if (!server || server.status === "DELETED") return done();
      if (server.status === "ERROR" && !server["OS-EXT-STS:task_state"]) throw inError(server);
      return watchAndWait(ctx, cloud, { service: "compute", collection: "servers", id, status: server.status }, {}, id);
    }
    if (!server || server.status === "DELETED") throw new ResourceFailure(`The server (${id}) could not be found.`, "NotFound");
    return untilActive(ctx, cloud, server);
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const server = ctx.physicalId ? await show(cloud, ctx.physicalId) : undefined;
    if (!server || server.status === "DELETED") throw new ResourceFailure(`The server (${ctx.physicalId}) could not be found.`, "NotFound");
    if (server.status !== "ACTIVE") throw new ResourceFailure(`Server ${server.id} is in status ${server.status}, not ACTIVE`, "Error");
    return done({ attributes: await serverAttributes(cloud, server), drift: serverDrift(ctx, server), cloudState: server.status });
  }),
};

/** Nova's key pair of that name, with its id (unique in the cloud, unlike the name, which is per user). */
const storedKeyPair = (cloud: CloudPort, name: string) => fetchOrGone<{ id: number; public_key: string }>(cloud, "compute", `/os-keypairs/${encodeURIComponent(name)}`, "keypair");

export const keyPairPlugin: ResourcePlugin = {
  ...types.novaKeyPair,
  credentials: ["private_key"],
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const name = String(p.name);
    const answer = await cloud.call("compute", "POST", "/os-keypairs", {
      body: { keypair: { name, ...(p.public_key ? { public_key: p.public_key } : {}), ...(p.type ? { type: p.type } : {}) } },
      expect: [409],
    });
    if (answer.status === 409) {
      // The same key made by this resource before a crash is adopted; another one by that name is not.
      const existing = await storedKeyPair(cloud, name);
      if (!p.public_key || existing?.public_key.trim() !== String(p.public_key).trim()) {
        throw new ResourceFailure(`Key pair '${name}' already exists. (HTTP 409)`, "Conflict");
      }
      return done({ physicalId: name, attributes: { public_key: existing.public_key, private_key: "", show: existing }, data: { keypairId: existing.id } });
    }
    const keypair = (answer.body as { keypair: { public_key: string; private_key?: string } }).keypair;
    const saved = p.save_private_key ? keypair.private_key ?? "" : "";
    const { private_key: _, ...shown } = keypair;
    const made = await storedKeyPair(cloud, name);
    return done({ physicalId: name, attributes: { public_key: keypair.public_key, private_key: saved, show: shown }, data: { ...(saved ? { private_key: saved } : {}), keypairId: made?.id } });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    const name = ctx.physicalId ?? String(ctx.properties.name);
    // A key pair is known by its name alone: once the project acts in another cloud (or as
    // another user), the key of that name there is someone else's, and is left alone.
    const made = ctx.data.keypairId as number | undefined;
    if (made !== undefined && (await storedKeyPair(cloud, name))?.id !== made) return done();
    await deleteOrGone(cloud, "compute", `/os-keypairs/${encodeURIComponent(name)}`);
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const kp = ctx.physicalId && (await fetchOrGone(cloud, "compute", `/os-keypairs/${encodeURIComponent(ctx.physicalId)}`, "keypair"));
    if (!kp) throw new ResourceFailure(`The Key (${ctx.physicalId}) could not be found.`, "NotFound");
    return done();
  }),
};

async function findFlavorNamed(cloud: CloudPort, name: string) {
  const answer = await cloud.call("compute", "GET", "/flavors/detail?is_public=None");
  return (answer.body as { flavors: Obj[] }).flavors.find((f) => f.name === name);
}

export const flavorPlugin: ResourcePlugin = {
  ...types.novaFlavor,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const name = (p.name as string | undefined) ?? ctx.physicalName();
    let flavor = p.name === undefined ? await findFlavorNamed(cloud, name) : undefined;
    if (!flavor) {
      const answer = await cloud.call("compute", "POST", "/flavors", {
        body: {
          flavor: {
            name,
            ram: p.ram,
            vcpus: p.vcpus,
            disk: p.disk,
            swap: p.swap,
            "OS-FLV-EXT-DATA:ephemeral": p.ephemeral,
            rxtx_factor: p.rxtx_factor,
            "os-flavor-access:is_public": p.is_public,
            ...(p.flavorid ? { id: p.flavorid } : {}),
          },
        },
      });
      flavor = (answer.body as { flavor: Obj }).flavor;
    }
    const id = String(flavor.id);
    if (p.extra_specs) await cloud.call("compute", "POST", `/flavors/${id}/os-extra_specs`, { body: { extra_specs: stringMap(p.extra_specs as Obj) } });
    if (!p.is_public) for (const tenant of (p.tenants as string[]) ?? []) await cloud.call("compute", "POST", `/flavors/${id}/action`, { body: { addTenantAccess: { tenant } }, expect: [409] });
    return done({ physicalId: id, attributes: { is_public: flavor["os-flavor-access:is_public"] ?? p.is_public, extra_specs: p.extra_specs ?? {}, show: flavor } });
  }),
  update: cloudHandler(async (ctx, cloud) => {
    const id = ctx.physicalId!;
    const p = ctx.properties;
    if (!sameValue(p.extra_specs, ctx.previousProperties.extra_specs)) {
      for (const key of Object.keys((ctx.previousProperties.extra_specs as Obj | undefined) ?? {})) {
        if (!(key in ((p.extra_specs as Obj | undefined) ?? {}))) await deleteOrGone(cloud, "compute", `/flavors/${id}/os-extra_specs/${encodeURIComponent(key)}`);
      }
      if (p.extra_specs) await cloud.call("compute", "POST", `/flavors/${id}/os-extra_specs`, { body: { extra_specs: stringMap(p.extra_specs as Obj) } });
    }
    if (!sameValue(p.tenants, ctx.previousProperties.tenants) && !p.is_public) {
      const before = new Set((ctx.previousProperties.tenants as string[]) ?? []);
      const after = new Set((p.tenants as string[]) ?? []);
      for (const t of before) if (!after.has(t)) await cloud.call("compute", "POST", `/flavors/${id}/action`, { body: { removeTenantAccess: { tenant: t } }, expect: [404] });
      for (const t of after) if (!before.has(t)) await cloud.call("compute", "POST", `/flavors/${id}/action`, { body: { addTenantAccess: { tenant: t } }, expect: [409] });
    }
    return done({ attributes: { is_public: p.is_public, extra_specs: p.extra_specs ?? {} } });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    if (ctx.physicalId) await deleteOrGone(cloud, "compute", `/flavors/${ctx.physicalId}`);
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    if (!ctx.physicalId || !(await fetchOrGone(cloud, "compute", `/flavors/${ctx.physicalId}`, "flavor"))) throw notFound("Flavor", String(ctx.physicalId));
    return done();
  }),
};

export const serverGroupPlugin: ResourcePlugin = {
  ...types.novaServerGroup,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const name = (p.name as string | undefined) ?? ctx.physicalName();
    if (p.name === undefined) {
      const answer = await cloud.call("compute", "GET", "/os-server-groups");
      const mine = (answer.body as { server_groups: Obj[] }).server_groups.find((g) => g.name === name);
      if (mine) return done({ physicalId: String(mine.id), attributes: { show: mine } });
    }
    const policies = (p.policies as string[] | undefined) ?? ["anti-affinity"];
    const answer = await cloud.call("compute", "POST", "/os-server-groups", {
      body: { server_group: { name, policy: policies[0], ...(p.rules ? { rules: p.rules } : {}) } },
    });
    const group = (answer.body as { server_group: Obj }).server_group;
    return done({ physicalId: String(group.id), attributes: { show: group } });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    if (ctx.physicalId) await deleteOrGone(cloud, "compute", `/os-server-groups/${ctx.physicalId}`);
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    if (!ctx.physicalId || !(await fetchOrGone(cloud, "compute", `/os-server-groups/${ctx.physicalId}`, "server_group"))) {
      throw new ResourceFailure(`The server group (${ctx.physicalId}) could not be found.`, "NotFound");
    }
    return done();
  }),
};

export const novaPlugins = [serverPlugin, keyPairPlugin, flavorPlugin, serverGroupPlugin];
