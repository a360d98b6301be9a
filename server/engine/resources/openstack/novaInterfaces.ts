/**
 * A server's `networks` changed in place, as Heat changes them (server_network_mixin.py, read
 * for behaviour): each entry of the old list is matched to one of the server's interfaces, an
 * entry in both lists keeps its interface, an old entry no longer listed is detached (Nova
 * deletes a port it made itself; a port the template gave is kept), a new entry is attached.
 * `allocate_network` and an empty list stand for "whatever Nova chooses": going to one
 * detaches every interface (and with `auto` or an empty list attaches one Nova chooses).
 */
import type { CloudPort } from "../../ports";
import { fetchOrGone, neutronId } from "./cloudResource";

type Obj = Record<string, unknown>;

interface Interface {
  port_id: string;
  net_id: string;
  fixed_ips: { ip_address: string; subnet_id: string }[];
}

/** What makes an entry the same interface; a changed floating_ip alone keeps it (it is associated again). */
const IDENTITY = ["port", "network", "subnet", "fixed_ip", "tag"] as const;
const sameEntry = (a: Obj, b: Obj) => IDENTITY.every((k) => String(a[k] ?? "") === String(b[k] ?? ""));
const chosenByNova = (nets: Obj[]) => nets.length === 0 || nets.some((n) => n.allocate_network !== undefined);

export async function serverInterfaces(cloud: CloudPort, serverId: string): Promise<Interface[]> {
  const answer = await cloud.call("compute", "GET", `/servers/${serverId}/os-interface`);
  return (answer.body as { interfaceAttachments: Interface[] }).interfaceAttachments;
}

/** The network an entry puts the server on (a subnet's network when it names only a subnet). */
async function networkOf(cloud: CloudPort, entry: Obj): Promise<string | undefined> {
  if (entry.network !== undefined) return neutronId(cloud, "networks", "Network", String(entry.network));
  if (entry.subnet === undefined) return undefined;
  const subnet = await fetchOrGone<{ network_id: string }>(cloud, "network", `/v2.0/subnets/${await neutronId(cloud, "subnets", "Subnet", String(entry.subnet))}`, "subnet");
  return subnet?.network_id;
}

/** The interface an old entry made: by its port, else by its network (and fixed IP). */
async function interfaceOf(cloud: CloudPort, entry: Obj, free: Interface[]): Promise<Interface | undefined> {
  if (entry.port !== undefined) {
    const port = await neutronId(cloud, "ports", "Port", String(entry.port));
    return free.find((i) => i.port_id === port);
  }
  const network = await networkOf(cloud, entry);
  return free.find((i) => (network === undefined || i.net_id === network) && (entry.fixed_ip === undefined || i.fixed_ips.some((f) => f.ip_address === entry.fixed_ip)));
}

/** Nova's interfaceAttachment for a new entry. */
async function attachmentOf(cloud: CloudPort, entry: Obj): Promise<Obj> {
  if (entry.port !== undefined) return { port_id: await neutronId(cloud, "ports", "Port", String(entry.port)) };
  const network = await networkOf(cloud, entry);
  return { ...(network ? { net_id: network } : {}), ...(entry.fixed_ip !== undefined ? { fixed_ips: [{ ip_address: entry.fixed_ip }] } : {}), ...(entry.tag !== undefined ? { tag: entry.tag } : {}) };
}

/** The ports to detach and the interfaces to attach that take the server from `before` to `after`. */
export async function interfaceChanges(cloud: CloudPort, serverId: string, before: Obj[], after: Obj[]): Promise<{ detach: string[]; attach: Obj[] }> {
  if (before.length === 0 && after.length === 0) return { detach: [], attach: [] };
  const interfaces = await serverInterfaces(cloud, serverId);
  if (chosenByNova(after)) {
    // "none" leaves the server without networks; "auto" (or no list) lets Nova choose one.
    const none = after.some((n) => n.allocate_network === "none");
    return { detach: interfaces.map((i) => i.port_id), attach: none ? [] : [{}] };
  }
  if (chosenByNova(before)) return { detach: interfaces.map((i) => i.port_id), attach: await Promise.all(after.map((n) => attachmentOf(cloud, n))) };
  const added = [...after];
  const detach: string[] = [];
  const free = [...interfaces];
  // Entries naming a port first: a network-only entry must not take the interface of a port given on that network.
  const ordered = [...before.filter((n) => n.port !== undefined), ...before.filter((n) => n.port === undefined)];
  for (const entry of ordered) {
    const iface = await interfaceOf(cloud, entry, free);
    if (iface) free.splice(free.indexOf(iface), 1);
    const kept = added.findIndex((n) => sameEntry(n, entry));
    if (kept >= 0) added.splice(kept, 1);
    else if (iface) detach.push(iface.port_id);
  }
  return { detach, attach: await Promise.all(added.map((n) => attachmentOf(cloud, n))) };
}

/** Detaches and attaches; answers the ports whose detach Nova has yet to finish. */
export async function changeInterfaces(cloud: CloudPort, serverId: string, before: Obj[], after: Obj[]): Promise<string[]> {
  const { detach, attach } = await interfaceChanges(cloud, serverId, before, after);
  for (const port of detach) await cloud.call("compute", "DELETE", `/servers/${serverId}/os-interface/${port}`, { expect: [404] });
  for (const interfaceAttachment of attach) await cloud.call("compute", "POST", `/servers/${serverId}/os-interface`, { body: { interfaceAttachment } });
  return detach;
}

/** Whether any of these ports is still on the server (Nova detaches in the background). */
export async function stillAttached(cloud: CloudPort, serverId: string, ports: string[]): Promise<boolean> {
  const now = await serverInterfaces(cloud, serverId);
  return now.some((i) => ports.includes(i.port_id));
}
