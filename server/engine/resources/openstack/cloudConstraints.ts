/**
 * Heat's custom constraints that only the cloud can answer (`nova.flavor`, `neutron.network`,
 * …): each looks a name or id up the way Heat's client plugins do, an id first, then a name,
 * and a name that matches two objects is refused, saying so.
 */
import type { CloudPort } from "../../ports";
import { ResourceFailure } from "../plugin";
import { fetchOrGone, neutronId, notFound, UUID } from "./cloudResource";
import { flavorId, imageId } from "./novaPlugins";

/** Resolves when the cloud has the object; throws a ResourceFailure (or the cloud's CloudFailure) when not. */
export type CloudConstraintLookup = (cloud: CloudPort, value: string) => Promise<unknown>;

const neutron = (collection: string, entity: string): CloudConstraintLookup => (cloud, value) => neutronId(cloud, collection, entity, value);

/** Glance answers an image by id directly (an image's body is the image); a name through the shared lookup. */
async function image(cloud: CloudPort, value: string) {
  if (!UUID.test(value)) return imageId(cloud, value);
  if (!(await fetchOrGone(cloud, "image", `/v2/images/${value}`, "id"))) throw notFound("Image", value);
}

/** Cinder's volumes and snapshots: by id, else by name. */
const cinder = (collection: string, key: string, entity: string): CloudConstraintLookup => async (cloud, value) => {
  const byId = await cloud.call("volumev3", "GET", `/${collection}/${encodeURIComponent(value)}`, { expect: [404] });
  if (byId.status !== 404 && (byId.body as Record<string, unknown> | undefined)?.[key]) return;
  const answer = await cloud.call("volumev3", "GET", `/${collection}?name=${encodeURIComponent(value)}`);
  const list = (answer.body as Record<string, { id: string }[]>)[collection] ?? [];
  if (list.length === 0) throw notFound(entity, value);
  if (list.length > 1) throw new ResourceFailure(`Multiple ${entity} matches found for name '${value}', use an ID to be more specific.`, "PhysicalResourceNameAmbiguity");
};

async function volumeType(cloud: CloudPort, value: string) {
  const answer = await cloud.call("volumev3", "GET", "/types");
  const types = (answer.body as { volume_types: { id: string; name: string }[] }).volume_types;
  if (!types.some((t) => t.id === value || t.name === value)) throw notFound("VolumeType", value);
}

async function keypair(cloud: CloudPort, value: string) {
  if (!(await fetchOrGone(cloud, "compute", `/os-keypairs/${encodeURIComponent(value)}`, "keypair"))) throw notFound("Key", value);
}

export const cloudConstraints: Readonly<Record<string, CloudConstraintLookup>> = {
  "nova.flavor": flavorId,
  "nova.keypair": keypair,
  "glance.image": image,
  "neutron.network": neutron("networks", "Network"),
  "neutron.subnet": neutron("subnets", "Subnet"),
  "neutron.port": neutron("ports", "Port"),
  "neutron.router": neutron("routers", "Router"),
  "neutron.security_group": neutron("security-groups", "SecurityGroup"),
  "cinder.volume": cinder("volumes", "volume", "Volume"),
  "cinder.snapshot": cinder("snapshots", "snapshot", "VolumeSnapshot"),
  "cinder.vtype": volumeType,
};
