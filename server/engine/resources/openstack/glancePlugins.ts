/**
 * The behaviour of OS::Glance::WebImage: Glance makes the image, then downloads its data from
 * the URL (the web-download import) while the resource waits. Glance has no changes feed the
 * watcher could list, so the wait wakes every few seconds to ask. The image carries the
 * property `kiln_resource_id`, so a create run again after a crash finds the image it made.
 */
import type { CloudPort } from "../../ports";
import { changedProperties, done, ResourceFailure, sameValue, wait, type ResourceContext, type ResourcePlugin } from "../plugin";
import { asFailure, cloudHandler, deleteOrGone, MARK_KEY, notFound } from "./cloudResource";
import * as types from "./glanceTypes";

type Obj = Record<string, unknown>;

/** How often a waiting import asks Glance how far it got. */
const IMPORT_POLL_MS = 2_000;
const PATCH = { "content-type": "application/openstack-images-v2.1-json-patch" };

/** Properties Glance keeps on the image as they are named here (the rest are Kiln's own handling). */
const IMAGE_FIELDS = ["name", "min_disk", "min_ram", "protected", "disk_format", "container_format", "tags", "architecture", "kernel_id", "os_distro", "os_version", "owner", "visibility", "ramdisk_id"];
/** Of those, the ones Glance changes by a patch. */
const PATCHED = ["protected", "architecture", "kernel_id", "os_distro", "os_version", "owner", "visibility", "ramdisk_id"];

async function image(cloud: CloudPort, id: string): Promise<Obj | undefined> {
  const answer = await cloud.call("image", "GET", `/v2/images/${id}`, { expect: [404] });
  return answer.status === 404 ? undefined : (answer.body as Obj);
}

async function setActive(cloud: CloudPort, id: string, active: boolean) {
  await cloud.call("image", "POST", `/v2/images/${id}/actions/${active ? "reactivate" : "deactivate"}`);
}

async function changeMembers(cloud: CloudPort, id: string, before: string[], after: string[]) {
  for (const m of after) if (!before.includes(m)) await cloud.call("image", "POST", `/v2/images/${id}/members`, { body: { member: m }, expect: [409] });
  for (const m of before) if (!after.includes(m)) await deleteOrGone(cloud, "image", `/v2/images/${id}/members/${encodeURIComponent(m)}`);
}

/** Waits until Glance has the data: active (deactivated when asked), or a failure in Glance's words. */
async function importProgress(ctx: ResourceContext, cloud: CloudPort) {
  const id = ctx.physicalId!;
  const found = await image(cloud, id);
  if (!found) throw notFound("Image", id);
  if (found.status === "killed") throw new ResourceFailure(`Went to status killed due to "Unknown"`, "ResourceInError");
  const failed = found.os_glance_failed_import;
  if (typeof failed === "string" && failed !== "" && found.status === "queued") {
    throw new ResourceFailure(`Glance could not import the image's data from ${String(ctx.properties.location)}`, "ResourceInError");
  }
  if (found.status !== "active" && found.status !== "deactivated") return wait({ wakeAfterMs: IMPORT_POLL_MS });
  if (ctx.properties.active === false && found.status === "active") await setActive(cloud, id, false);
  return done({ attributes: { show: (await image(cloud, id)) ?? found } });
}

export const webImagePlugin: ResourcePlugin = {
  ...types.glanceWebImage,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const mine = await cloud.call("image", "GET", `/v2/images?${MARK_KEY}=${encodeURIComponent(ctx.resourceId)}`);
    let made = (mine.body as { images: Obj[] }).images[0];
    if (!made) {
      const fields = Object.fromEntries(IMAGE_FIELDS.filter((k) => p[k] !== undefined && p[k] !== null).map((k) => [k, p[k]]));
      const answer = await cloud.call("image", "POST", "/v2/images", {
        body: { ...((p.extra_properties as Obj | undefined) ?? {}), ...fields, ...(p.id ? { id: p.id } : {}), [MARK_KEY]: ctx.resourceId },
      });
      made = answer.body as Obj;
    }
    const id = String(made.id);
    try {
      if (made.status === "queued" && !made.os_glance_failed_import) {
        await cloud.call("image", "POST", `/v2/images/${id}/import`, { body: { method: { name: "web-download", uri: p.location } } });
      }
      await changeMembers(cloud, id, [], (p.members as string[] | undefined) ?? []);
    } catch (e) {
      // The image exists: the failed resource keeps its id, so a delete removes it.
      const failure = asFailure(e);
      if (failure instanceof ResourceFailure) throw new ResourceFailure(failure.message, failure.kind, { physicalId: id, attributes: {} });
      throw e;
    }
    return wait({ physicalId: id, wakeAfterMs: IMPORT_POLL_MS });
  }),
  resume: cloudHandler((ctx, cloud) => importProgress(ctx, cloud)),
  update: cloudHandler(async (ctx, cloud) => {
    const id = ctx.physicalId!;
    const p = ctx.properties;
    const old = ctx.previousProperties;
    const changed = new Set(changedProperties(old, p));
    if (changed.has("active") && p.active === false) await setActive(cloud, id, false);
    const patch: Obj[] = [];
    for (const k of PATCHED) {
      if (!changed.has(k)) continue;
      if (p[k] === undefined || p[k] === null) patch.push({ op: "remove", path: `/${k}` });
      else patch.push({ op: old[k] === undefined || old[k] === null ? "add" : "replace", path: `/${k}`, value: p[k] });
    }
    const before = (old.extra_properties as Obj | undefined) ?? {};
    const after = (p.extra_properties as Obj | undefined) ?? {};
    for (const k of Object.keys(before)) if (!(k in after)) patch.push({ op: "remove", path: `/${k}` });
    for (const [k, v] of Object.entries(after)) if (!sameValue(before[k], v)) patch.push({ op: k in before ? "replace" : "add", path: `/${k}`, value: v });
    if (patch.length) await cloud.call("image", "PATCH", `/v2/images/${id}`, { body: JSON.stringify(patch), headers: PATCH });
    if (changed.has("tags")) {
      const was = (old.tags as string[] | undefined) ?? [];
      const now = (p.tags as string[] | undefined) ?? [];
      for (const t of now) if (!was.includes(t)) await cloud.call("image", "PUT", `/v2/images/${id}/tags/${encodeURIComponent(t)}`);
      for (const t of was) if (!now.includes(t)) await deleteOrGone(cloud, "image", `/v2/images/${id}/tags/${encodeURIComponent(t)}`);
    }
    if (changed.has("members")) await changeMembers(cloud, id, (old.members as string[] | undefined) ?? [], (p.members as string[] | undefined) ?? []);
    if (changed.has("active") && p.active === true) await setActive(cloud, id, true);
    return done({ attributes: { show: await image(cloud, id) } });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    if (ctx.physicalId) await deleteOrGone(cloud, "image", `/v2/images/${ctx.physicalId}`);
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const found = ctx.physicalId ? await image(cloud, ctx.physicalId) : undefined;
    if (!found || found.status === "deleted" || found.status === "killed") throw notFound("Image", String(ctx.physicalId));
    return done();
  }),
};

export const glancePlugins = [webImagePlugin];
