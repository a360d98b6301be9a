/** The dependencies Heat adds by itself, as validation draws them from whole templates. */
import { describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "../resources/registry";
import { validateStack } from "../validation/validateStack";

const types = createBuiltinRegistry();
const implicit = (resources: string) => {
  const v = validateStack({ template: `heat_template_version: 2018-08-31\nresources:\n${resources}`, files: {}, environments: [], stack: { name: "s" } }, types);
  expect(v.errors).toEqual([]);
  return { edges: v.graph.edges.filter((e) => e.kind === "implicit").map((e) => `${e.from} → ${e.to} (${e.path})`), order: v.order };
};

/** The README's example, without `depends_on: router_interface` on the floating IP. */
const README = `
  net: { type: OS::Neutron::Net }
  subnet: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.20.30.0/24 } }
  router: { type: OS::Neutron::Router, properties: { external_gateway_info: { network: public } } }
  router_interface: { type: OS::Neutron::RouterInterface, properties: { router: { get_resource: router }, subnet: { get_resource: subnet } } }
  port: { type: OS::Neutron::Port, properties: { network: { get_resource: net }, fixed_ips: [{ subnet: { get_resource: subnet } }] } }
  server: { type: OS::Nova::Server, properties: { image: cirros, flavor: m1.tiny, networks: [{ port: { get_resource: port } }] } }
  fip: { type: OS::Neutron::FloatingIP, properties: { floating_network: public, port_id: { get_resource: port } } }
`;

describe("implicit dependencies (Heat's add_dependencies)", () => {
  it("the README's example: the port and server wait for the subnet, the floating IP for the router and the interface that routes its port", () => {
    const { edges, order } = implicit(README);
    expect(edges).toEqual([
      "subnet → port (resources.port.properties.network)",
      "subnet → server (resources.server.properties.networks)",
      "router → fip (resources.fip.properties.floating_network)",
      "router_interface → fip (resources.fip.properties.port_id)",
    ]);
    expect(order!.indexOf("fip")).toBeGreaterThan(order!.indexOf("router_interface"));
  });

  it("a port with no fixed IPs waits for every subnet of its network, and its floating IP for the interface on one of them", () => {
    const { edges } = implicit(`
  net: { type: OS::Neutron::Net }
  other: { type: OS::Neutron::Net }
  a: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.0.1.0/24 } }
  b: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.0.2.0/24 } }
  elsewhere: { type: OS::Neutron::Subnet, properties: { network: { get_resource: other }, cidr: 10.0.3.0/24 } }
  router: { type: OS::Neutron::Router }
  ri: { type: OS::Neutron::RouterInterface, properties: { router: { get_resource: router }, subnet: { get_resource: b } } }
  ri_elsewhere: { type: OS::Neutron::RouterInterface, properties: { router: { get_resource: router }, subnet: { get_resource: elsewhere } } }
  port: { type: OS::Neutron::Port, properties: { network: { get_resource: net } } }
  fip: { type: OS::Neutron::FloatingIP, properties: { floating_network: ext, port_id: { get_resource: port } } }
`);
    expect(edges).toEqual([
      "a → port (resources.port.properties.network)",
      "b → port (resources.port.properties.network)",
      "ri → fip (resources.fip.properties.port_id)",
    ]);
  });

  it("networks named by the same literal match; different or unknown ones do not, except a server's (Heat plays safe there)", () => {
    const { edges } = implicit(`
  ext_subnet: { type: OS::Neutron::Subnet, properties: { network: public, cidr: 198.51.100.0/24 } }
  router: { type: OS::Neutron::Router, properties: { external_gateway_info: { network: public } } }
  other_router: { type: OS::Neutron::Router, properties: { external_gateway_info: { network: elsewhere } } }
  port: { type: OS::Neutron::Port, properties: { network: private } }
  by_port: { type: OS::Nova::Server, properties: { flavor: m1.tiny, networks: [{ port: { get_resource: port } }] } }
  no_nics: { type: OS::Nova::Server, properties: { flavor: m1.tiny } }
  on_private: { type: OS::Nova::Server, properties: { flavor: m1.tiny, networks: [{ network: private }] } }
`);
    expect(edges).toEqual([
      "ext_subnet → router (resources.router.properties.external_gateway_info.network)",
      "ext_subnet → by_port (resources.by_port.properties.networks)",
    ]);
  });

  it("a floating IP association waits for the interface on its port's subnet", () => {
    const { edges } = implicit(`
  net: { type: OS::Neutron::Net }
  subnet: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.0.0.0/24 } }
  router: { type: OS::Neutron::Router }
  ri: { type: OS::Neutron::RouterInterface, properties: { router: { get_resource: router }, subnet: { get_resource: subnet } } }
  port: { type: OS::Neutron::Port, properties: { network: { get_resource: net }, fixed_ips: [{ subnet: { get_resource: subnet } }] } }
  fip: { type: OS::Neutron::FloatingIP, properties: { floating_network: ext } }
  assoc: { type: OS::Neutron::FloatingIPAssociation, properties: { floatingip_id: { get_resource: fip }, port_id: { get_resource: port } } }
`);
    expect(edges).toEqual(["subnet → port (resources.port.properties.network)", "ri → assoc (resources.assoc.properties.port_id)"]);
  });
});
