/**
 * The dependencies Heat adds by itself between networking resources of one stack (each type's
 * add_dependencies in Heat): what is on a network waits for that network's subnets, and a
 * floating IP waits for what routes its address. Without them a port is made before the
 * subnet it should take an address from, and a floating IP outlives, at delete, the router
 * interface it needs.
 *
 * Two properties name the same object when both are `get_resource` of one resource, or the
 * same literal name or id; anything else (a get_attr, a parameter unknown yet) is unknown and
 * matches nothing, except where Heat plays safe (noted below).
 */
import type { ResourceReferences } from "./references";

export interface ImplicitInput {
  name: string;
  /** The resolved type name. */
  type: string;
  /** The properties as loaded: literals, and Unresolved where a function is known only at deploy time. */
  properties: Record<string, unknown>;
  references: ResourceReferences;
}

/** `to` waits for `from`; `path` is the property that made it. */
export interface ImplicitEdge {
  from: string;
  to: string;
  path: string;
}

const SUBNET = "OS::Neutron::Subnet";
const PORT = "OS::Neutron::Port";
const SERVER = "OS::Nova::Server";
const ROUTER = "OS::Neutron::Router";
const INTERFACE = "OS::Neutron::RouterInterface";
const FLOATING_IP = "OS::Neutron::FloatingIP";
const ASSOCIATION = "OS::Neutron::FloatingIPAssociation";

type Key = (string | number)[];

export function implicitDependencies(resources: readonly ImplicitInput[]): ImplicitEdge[] {
  const edges: ImplicitEdge[] = [];
  const of = (type: string) => resources.filter((r) => r.type === type);
  const subnets = of(SUBNET);
  const interfaces = of(INTERFACE);
  const byName = new Map(resources.map((r) => [r.name, r]));
  const add = (from: ImplicitInput, to: ImplicitInput, key: Key) => {
    if (from.name !== to.name) edges.push({ from: from.name, to: to.name, path: pathOf(to, key) });
  };

  for (const r of resources) {
    if (r.type === PORT) {
      const network = identity(r, ["network"]);
      for (const s of subnets) if (network && identity(s, ["network"]) === network) add(s, r, ["network"]);
    }
    if (r.type === SERVER) {
      const networks = listAt(r.properties, ["networks"]);
      for (const s of subnets) {
        const network = identity(s, ["network"]);
        // As Heat: a subnet of an unknown network, or a server nic whose network is unknown, may meet: wait.
        const meets = networks.some((_, i) => {
          const nic = identity(r, ["networks", i, "network"]);
          return !network || !nic || nic === network;
        });
        if (meets) add(s, r, ["networks"]);
      }
    }
    if (r.type === ROUTER) {
      const external = identity(r, ["external_gateway_info", "network"]);
      for (const s of subnets) if (external && identity(s, ["network"]) === external) add(s, r, ["external_gateway_info", "network"]);
    }
    if (r.type === FLOATING_IP) {
      const floating = identity(r, ["floating_network"]);
      for (const router of of(ROUTER)) {
        if (floating && identity(router, ["external_gateway_info", "network"]) === floating) add(router, r, ["floating_network"]);
      }
    }
    if (r.type === FLOATING_IP || r.type === ASSOCIATION) {
      // The interface that routes the subnet of a port this floating IP already depends on.
      const ports = dependedOn(r).map((n) => byName.get(n)).filter((d): d is ImplicitInput => d?.type === PORT);
      for (const i of interfaces) {
        if (ports.some((p) => portOnInterfaceSubnet(p, i, subnets))) add(i, r, ["port_id"]);
      }
    }
  }
  return edges;
}

/** Whether the port takes its address from the subnet the router interface is on. */
function portOnInterfaceSubnet(port: ImplicitInput, routerInterface: ImplicitInput, subnets: readonly ImplicitInput[]): boolean {
  const subnet = identity(routerInterface, ["subnet"]);
  const fixed = listAt(port.properties, ["fixed_ips"]);
  if (fixed.length) return fixed.some((_, i) => subnet !== undefined && identity(port, ["fixed_ips", i, "subnet"]) === subnet);
  // No fixed IPs: an interface given by port may be on any network (Heat waits); one on a
  // subnet of this stack is on the port's network when that subnet is.
  if (subnet === undefined) return routerInterface.properties.port !== undefined;
  const network = identity(port, ["network"]);
  const on = subnets.find((s) => `@${s.name}` === subnet);
  return network !== undefined && on !== undefined && identity(on, ["network"]) === network;
}

/** `@name` for a get_resource of a resource of the stack, `=value` for a literal, undefined when unknown now. */
function identity(r: ImplicitInput, key: Key): string | undefined {
  const at = pathOf(r, key);
  const ref = r.references.refs.find((x) => x.attribute === undefined && x.path === `${at}.get_resource`);
  if (ref) return `@${ref.target}`;
  const value = valueAt(r.properties, key);
  return typeof value === "string" && value !== "" ? `=${value}` : undefined;
}

/** The resources this one refers to or names in depends_on. */
function dependedOn(r: ImplicitInput): string[] {
  return [...r.references.refs.map((x) => x.target), ...r.references.dependsOn.map((x) => x.target)];
}

const pathOf = (r: ImplicitInput, key: Key) => `resources.${r.name}.properties.${key.join(".")}`;

function valueAt(value: unknown, key: Key): unknown {
  let at = value;
  for (const k of key) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string | number, unknown>)[k];
  }
  return at;
}

function listAt(value: unknown, key: Key): unknown[] {
  const list = valueAt(value, key);
  return Array.isArray(list) ? list : [];
}
