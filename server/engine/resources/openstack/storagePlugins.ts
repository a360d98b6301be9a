/**
 * The behaviour of OS::Cinder::Volume and VolumeAttachment (waiting on the change watcher until
 * Cinder says available / in-use / gone), OS::Swift::Container and OS::Zaqar::Queue (whose
 * calls are idempotent by name, so a create run again after a crash makes nothing twice).
 */
import { randomUUID } from "node:crypto";
import type { CloudPort } from "../../ports";
import { done, ResourceFailure, sameValue, type ResourceContext, type ResourcePlugin } from "../plugin";
import { cloudHandler, deleteOrGone, fetchOrGone, MARK_KEY, watchAndWait } from "./cloudResource";
import { imageId } from "./novaPlugins";
import * as types from "./storageTypes";

type Obj = Record<string, unknown>;

interface CinderVolume {
  id: string;
  status: string;
  name?: string;
  description?: string;
  size?: number;
  metadata?: Record<string, string>;
  attachments?: { server_id: string; attachment_id: string; device?: string }[];
  [k: string]: unknown;
}

const VOLUMES = "volumev3";
const showVolume = (cloud: CloudPort, id: string) => fetchOrGone<CinderVolume>(cloud, VOLUMES, `/volumes/${id}`, "volume");
const stringMap = (m: Obj) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));

function volumeAttributes(v: CinderVolume): Obj {
  const metadata = Object.fromEntries(Object.entries(v.metadata ?? {}).filter(([k]) => k !== MARK_KEY));
  return {
    availability_zone: v.availability_zone ?? null,
    size: v.size ?? null,
    snapshot_id: v.snapshot_id ?? null,
    display_name: v.name ?? null,
    display_description: v.description ?? null,
    volume_type: v.volume_type ?? null,
    metadata: JSON.stringify(metadata),
    metadata_values: metadata,
    source_volid: v.source_volid ?? null,
    status: v.status,
    created_at: v.created_at ?? null,
    bootable: v.bootable ?? null,
    encrypted: v.encrypted ?? null,
    attachments_list: v.attachments ?? [],
    multiattach: v.multiattach ?? false,
    show: v,
  };
}

const volumeFailed = (v: CinderVolume) => new ResourceFailure(`Went to status ${v.status} due to "Unknown"`, "ResourceInError");

/** Waits until the volume is `available` (created, extended, detached). */
function untilAvailable(ctx: ResourceContext, cloud: CloudPort, v: CinderVolume) {
  if (v.status === "available" || v.status === "in-use") return done({ physicalId: v.id, attributes: volumeAttributes(v), cloudState: v.status });
  if (v.status.startsWith("error")) throw volumeFailed(v);
  return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: v.id, status: v.status }, {}, v.id);
}

export const volumePlugin: ResourcePlugin = {
  ...types.cinderVolume,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const mark = { [MARK_KEY]: ctx.resourceId };
    // Made before a crash: Cinder filters by metadata, unless its resource_filters leave the filter out, so the mark is checked here too.
    const found = await cloud.call(VOLUMES, "GET", `/volumes/detail?metadata=${encodeURIComponent(JSON.stringify(mark))}`);
    const existing = (found.body as { volumes: CinderVolume[] }).volumes.find((v) => v.status !== "deleting" && v.metadata?.[MARK_KEY] === ctx.resourceId);
    if (existing) return untilAvailable(ctx, cloud, existing);
    const body: Obj = {
      name: (p.name as string | undefined) ?? ctx.physicalName(),
      metadata: stringMap({ ...((p.metadata as Obj | undefined) ?? {}), ...mark }),
    };
    for (const key of ["size", "description", "volume_type", "availability_zone", "snapshot_id", "source_volid"]) if (p[key] !== undefined) body[key] = p[key];
    if (p.image !== undefined) body.imageRef = await imageId(cloud, String(p.image));
    const answer = await cloud.call(VOLUMES, "POST", "/volumes", { body: { volume: body } });
    const v = (answer.body as { volume: CinderVolume }).volume;
    return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: v.id, status: v.status }, {}, v.id);
  }),
  update: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const old = ctx.previousProperties;
    const id = ctx.physicalId!;
    if (!sameValue(p.name, old.name) || !sameValue(p.description, old.description)) {
      await cloud.call(VOLUMES, "PUT", `/volumes/${id}`, { body: { volume: { name: (p.name as string | undefined) ?? ctx.physicalName(), description: p.description ?? null } } });
    }
    if (!sameValue(p.metadata, old.metadata)) {
      await cloud.call(VOLUMES, "PUT", `/volumes/${id}/metadata`, { body: { metadata: stringMap({ ...((p.metadata as Obj | undefined) ?? {}), [MARK_KEY]: ctx.resourceId }) } });
    }
    if (!sameValue(p.volume_type, old.volume_type) && p.volume_type !== undefined) {
      await cloud.call(VOLUMES, "POST", `/volumes/${id}/action`, { body: { "os-retype": { new_type: p.volume_type, migration_policy: "on-demand" } } });
    }
    if (p.size !== old.size && p.size !== undefined) {
      if (Number(p.size) < Number(old.size)) throw new ResourceFailure(`The volume can only be extended: new size ${String(p.size)} is smaller than ${String(old.size)}`, "NotSupported");
      await cloud.call(VOLUMES, "POST", `/volumes/${id}/action`, { body: { "os-extend": { new_size: p.size } } });
    }
    const v = await showVolume(cloud, id);
    if (!v) throw new ResourceFailure(`The Volume (${id}) could not be found.`, "NotFound");
    return untilAvailable(ctx, cloud, v);
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    if (!ctx.physicalId) return done();
    if (!(await deleteOrGone(cloud, VOLUMES, `/volumes/${ctx.physicalId}`))) return done();
    return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: ctx.physicalId, status: "deleting" }, {});
  }),
  resume: cloudHandler(async (ctx, cloud) => {
    const v = await showVolume(cloud, ctx.physicalId!);
    if (ctx.action === "DELETE") {
      if (!v) return done();
      if (v.status === "error_deleting") throw volumeFailed(v);
      return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: v.id, status: v.status }, {});
    }
    if (!v) throw new ResourceFailure(`The Volume (${ctx.physicalId}) could not be found.`, "NotFound");
    return untilAvailable(ctx, cloud, v);
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const v = ctx.physicalId ? await showVolume(cloud, ctx.physicalId) : undefined;
    if (!v) throw new ResourceFailure(`The Volume (${ctx.physicalId}) could not be found.`, "NotFound");
    if (v.status !== "available" && v.status !== "in-use") throw new ResourceFailure(`Volume ${v.id} is in status ${v.status}`, "Error");
    return done({ attributes: volumeAttributes(v), cloudState: v.status });
  }),
};

/** Attached through Nova (which tells Cinder); its physical id is the volume's, as Nova names the attachment. */
export const volumeAttachmentPlugin: ResourcePlugin = {
  ...types.cinderVolumeAttachment,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const server = String(p.instance_uuid);
    const volume = String(p.volume_id);
    const listed = await cloud.call("compute", "GET", `/servers/${server}/os-volume_attachments`);
    const attached = (listed.body as { volumeAttachments: { volumeId: string }[] }).volumeAttachments.some((a) => a.volumeId === volume);
    if (!attached) {
      await cloud.call("compute", "POST", `/servers/${server}/os-volume_attachments`, {
        body: { volumeAttachment: { volumeId: volume, ...(p.mountpoint ? { device: p.mountpoint } : {}) } },
      });
    }
    return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: volume, status: "attaching" }, {}, volume);
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    const server = String(ctx.properties.instance_uuid);
    const volume = ctx.physicalId;
    if (!volume) return done();
    const answer = await cloud.call("compute", "DELETE", `/servers/${server}/os-volume_attachments/${volume}`, { expect: [404] });
    if (answer.status === 404) return done();
    return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: volume, status: "detaching" }, {});
  }),
  resume: cloudHandler(async (ctx, cloud) => {
    const v = await showVolume(cloud, ctx.physicalId!);
    const server = String(ctx.properties.instance_uuid);
    const onServer = v?.attachments?.some((a) => a.server_id === server) ?? false;
    if (ctx.action === "DELETE") {
      if (!v || !onServer) return done();
      return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: v.id, status: v.status }, {});
    }
    if (!v) throw new ResourceFailure(`The Volume (${ctx.physicalId}) could not be found.`, "NotFound");
    if (v.status === "in-use" && onServer) return done({ physicalId: v.id, cloudState: v.status });
    if (v.status.startsWith("error") || (v.status === "available" && ctx.data.sawAttaching)) throw new ResourceFailure(`Failed to attach volume ${v.id} to server ${server}: it is ${v.status}`, "ResourceInError");
    return watchAndWait(ctx, cloud, { service: VOLUMES, collection: "volumes", id: v.id, status: v.status }, { sawAttaching: v.status === "attaching" || ctx.data.sawAttaching === true }, v.id);
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const v = ctx.physicalId ? await showVolume(cloud, ctx.physicalId) : undefined;
    if (!v?.attachments?.some((a) => a.server_id === ctx.properties.instance_uuid)) {
      throw new ResourceFailure(`Volume ${ctx.physicalId} is not attached to server ${String(ctx.properties.instance_uuid)}`, "NotFound");
    }
    return done();
  }),
};

/** The container metadata naming the resource that made it. */
const CONTAINER_MARK = "x-container-meta-kiln-resource-id";

const swiftName = (ctx: ResourceContext) => (ctx.properties.name as string | undefined) ?? ctx.physicalName();

async function containerAttributes(cloud: CloudPort, name: string): Promise<Obj> {
  const base = await cloud.endpoint("object-store");
  const head = await cloud.call("object-store", "HEAD", `/${encodeURIComponent(name)}`);
  const url = new URL(base);
  return {
    DomainName: url.hostname,
    WebsiteURL: `${base}/${name}`,
    RootURL: `${base}/`,
    ObjectCount: Number(head.headers["x-container-object-count"] ?? 0),
    BytesUsed: Number(head.headers["x-container-bytes-used"] ?? 0),
    HeadContainer: head.headers,
  };
}

export const containerPlugin: ResourcePlugin = {
  ...types.swiftContainer,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const name = swiftName(ctx);
    const headers: Record<string, string> = {};
    if (p["X-Container-Read"] !== undefined) headers["x-container-read"] = String(p["X-Container-Read"]);
    if (p["X-Container-Write"] !== undefined) headers["x-container-write"] = String(p["X-Container-Write"]);
    for (const [k, v] of Object.entries((p["X-Container-Meta"] as Obj | undefined) ?? {})) headers[`x-container-meta-${k}`] = String(v);
    // A PUT takes a container already there as its own (202): the one a crash left is this
    // resource's by its mark; any other is someone else's, which a delete (PurgeOnDelete) would empty.
    const there = await cloud.call("object-store", "HEAD", `/${encodeURIComponent(name)}`, { expect: [404] });
    if (there.status !== 404 && there.headers[CONTAINER_MARK] !== ctx.resourceId) {
      throw new ResourceFailure(`Container '${name}' already exists; Kiln makes a container of its own, it does not take one already there`, "Conflict");
    }
    headers[CONTAINER_MARK] = ctx.resourceId;
    await cloud.call("object-store", "PUT", `/${encodeURIComponent(name)}`, { headers });
    const account = Object.entries((p["X-Account-Meta"] as Obj | undefined) ?? {});
    if (account.length > 0) await cloud.call("object-store", "POST", "", { headers: Object.fromEntries(account.map(([k, v]) => [`x-account-meta-${k}`, String(v)])) });
    return done({ physicalId: name, attributes: await containerAttributes(cloud, name) });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    const name = ctx.physicalId;
    if (!name) return done();
    if (ctx.properties.PurgeOnDelete) {
      const listed = await cloud.call("object-store", "GET", `/${encodeURIComponent(name)}?format=json`, { expect: [404] });
      for (const o of listed.status === 404 ? [] : ((listed.body as { name: string }[] | undefined) ?? [])) {
        await deleteOrGone(cloud, "object-store", `/${encodeURIComponent(name)}/${o.name.split("/").map(encodeURIComponent).join("/")}`);
      }
    }
    await deleteOrGone(cloud, "object-store", `/${encodeURIComponent(name)}`);
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const head = await cloud.call("object-store", "HEAD", `/${encodeURIComponent(ctx.physicalId ?? "")}`, { expect: [404] });
    if (head.status === 404) throw new ResourceFailure(`The container (${ctx.physicalId}) could not be found.`, "NotFound");
    return done({ attributes: await containerAttributes(cloud, ctx.physicalId!) });
  }),
};

/** Zaqar's queue names: letters, digits, _ and -, at most 64. */
const queueName = (ctx: ResourceContext) =>
  (ctx.properties.name as string | undefined) ?? ctx.physicalName().replace(/[^a-zA-Z0-9_-]/g, "-").slice(-64);
const zaqarHeaders = () => ({ "client-id": randomUUID() });

export const queuePlugin: ResourcePlugin = {
  ...types.zaqarQueue,
  create: cloudHandler(async (ctx, cloud) => {
    const name = queueName(ctx);
    await cloud.call("messaging", "PUT", `/v2/queues/${encodeURIComponent(name)}`, { headers: zaqarHeaders(), body: (ctx.properties.metadata as Obj | undefined) ?? {} });
    const href = `${await cloud.endpoint("messaging")}/v2/queues/${name}`;
    return done({ physicalId: name, attributes: { queue_id: name, href } });
  }),
  update: cloudHandler(async (ctx, cloud) => {
    const name = ctx.physicalId!;
    const before = (ctx.previousProperties.metadata as Obj | undefined) ?? {};
    const after = (ctx.properties.metadata as Obj | undefined) ?? {};
    const ops = [
      ...Object.keys(before).filter((k) => !(k in after)).map((k) => ({ op: "remove", path: `/metadata/${k}` })),
      ...Object.entries(after).map(([k, value]) => ({ op: k in before ? "replace" : "add", path: `/metadata/${k}`, value })),
    ];
    if (ops.length > 0) {
      await cloud.call("messaging", "PATCH", `/v2/queues/${encodeURIComponent(name)}`, {
        headers: { ...zaqarHeaders(), "content-type": "application/openstack-messaging-v2.0-json-patch" },
        body: JSON.stringify(ops),
      });
    }
    return done();
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    if (ctx.physicalId) await cloud.call("messaging", "DELETE", `/v2/queues/${encodeURIComponent(ctx.physicalId)}`, { headers: zaqarHeaders(), expect: [404] });
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const answer = await cloud.call("messaging", "GET", `/v2/queues/${encodeURIComponent(ctx.physicalId ?? "")}/stats`, { headers: zaqarHeaders(), expect: [404] });
    if (answer.status === 404) throw new ResourceFailure(`The queue (${ctx.physicalId}) could not be found.`, "NotFound");
    return done();
  }),
};

export const storagePlugins = [volumePlugin, volumeAttachmentPlugin, containerPlugin, queuePlugin];
