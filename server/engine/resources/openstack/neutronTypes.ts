/** The schemas of Heat's OS::Neutron types that Kiln supports, as Heat 19 declares them. */
import { allowedValues, attr, customConstraint, prop, range, supported, type ResourceTypeSchema } from "../schema";

const tags = prop.list("The tags to be added to the object.", { updateAllowed: true, item: prop.string("A tag.") });
const valueSpecs = (updateAllowed = true) =>
  prop.map("Extra parameters to include in the request, passed to Neutron as they are.", { default: {}, updateAllowed });
const tenantId = prop.string("The ID of the tenant which will own the object; only administrative users can set it.");

export const neutronNet: ResourceTypeSchema = {
  type: "OS::Neutron::Net",
  description: "A Neutron network.",
  properties: {
    name: prop.string("A string specifying a symbolic name for the network, which is not required to be unique.", { updateAllowed: true }),
    value_specs: valueSpecs(),
    admin_state_up: prop.boolean("A boolean value specifying the administrative status of the network.", { default: true, updateAllowed: true }),
    tenant_id: tenantId,
    shared: prop.boolean("Whether this network should be shared across all tenants.", { default: false, updateAllowed: true }),
    port_security_enabled: prop.boolean("Flag to enable/disable port security on the network.", { updateAllowed: true, supportStatus: supported("5.0.0") }),
    dns_domain: prop.string("DNS domain associated with this network.", { updateAllowed: true, constraints: [customConstraint("dns_domain")] }),
    tags,
  },
  attributes: {
    status: attr("The status of the network.", "String"),
    name: attr("The name of the network.", "String"),
    subnets: attr("Subnets of this network.", "List"),
    admin_state_up: attr("The administrative status of the network.", "String"),
    tenant_id: attr("The tenant owning this network.", "String"),
    port_security_enabled: attr("Port security enabled of the network.", "Boolean"),
    mtu: attr("The maximum transmission unit size(in bytes) for the network.", "Integer"),
  },
  supportStatus: supported("2014.1"),
};

export const neutronSubnet: ResourceTypeSchema = {
  type: "OS::Neutron::Subnet",
  description: "A subnet of a Neutron network.",
  properties: {
    network: prop.string("The ID or name of the attached network.", { required: true, constraints: [customConstraint("neutron.network")] }),
    subnetpool: prop.string("The name or ID of the subnet pool.", { constraints: [customConstraint("neutron.subnetpool")] }),
    prefixlen: prop.integer("Prefix length for subnet allocation from subnet pool.", { constraints: [range(0)] }),
    cidr: prop.string("The CIDR.", { constraints: [customConstraint("net_cidr")] }),
    value_specs: valueSpecs(),
    name: prop.string("The name of the subnet.", { updateAllowed: true }),
    ip_version: prop.integer("The IP version, which is 4 or 6.", { default: 4, constraints: [allowedValues([4, 6])] }),
    dns_nameservers: prop.list("A specified set of DNS name servers to be used.", { default: [], updateAllowed: true }),
    gateway_ip: prop.string("The gateway IP address; '' or ~ for no gateway, absent for the first address of the CIDR.", { updateAllowed: true }),
    enable_dhcp: prop.boolean("Set to true if DHCP is enabled and false if DHCP is disabled.", { default: true, updateAllowed: true }),
    allocation_pools: prop.list("The start and end addresses for the allocation pools.", {
      updateAllowed: true,
      item: prop.map(undefined, {
        schema: {
          start: prop.string("Start address for the allocation pool.", { required: true, constraints: [customConstraint("ip_addr")] }),
          end: prop.string("End address for the allocation pool.", { required: true, constraints: [customConstraint("ip_addr")] }),
        },
      }),
    }),
    tenant_id: tenantId,
    host_routes: prop.list("A list of host route dictionaries for the subnet.", {
      updateAllowed: true,
      item: prop.map(undefined, {
        schema: {
          destination: prop.string("The destination for static route.", { required: true, constraints: [customConstraint("net_cidr")] }),
          nexthop: prop.string("The next hop for the destination.", { required: true, constraints: [customConstraint("ip_addr")] }),
        },
      }),
    }),
    ipv6_ra_mode: prop.string("IPv6 RA (Router Advertisement) mode.", { constraints: [allowedValues(["dhcpv6-stateful", "dhcpv6-stateless", "slaac"])] }),
    ipv6_address_mode: prop.string("IPv6 address mode.", { constraints: [allowedValues(["dhcpv6-stateful", "dhcpv6-stateless", "slaac"])] }),
    tags,
  },
  attributes: {
    name: attr("Friendly name of the subnet.", "String"),
    network_id: attr("Parent network of the subnet.", "String"),
    tenant_id: attr("Tenant owning the subnet.", "String"),
    allocation_pools: attr("Ip allocation pools and their ranges.", "List"),
    gateway_ip: attr("Ip of the subnet's gateway.", "String"),
    host_routes: attr("Additional routes for this subnet.", "List"),
    ip_version: attr("Ip version for the subnet.", "String"),
    cidr: attr("CIDR block notation for this subnet.", "String"),
    dns_nameservers: attr("List of dns nameservers.", "List"),
    enable_dhcp: attr("'true' if DHCP is enabled for this subnet; 'false' otherwise.", "String"),
  },
  supportStatus: supported("2014.1"),
};

export const neutronRouter: ResourceTypeSchema = {
  type: "OS::Neutron::Router",
  description: "A Neutron router.",
  properties: {
    name: prop.string("The name of the router.", { updateAllowed: true }),
    external_gateway_info: prop.map("External network gateway configuration for a router.", {
      updateAllowed: true,
      schema: {
        network: prop.string("ID or name of the external network for the gateway.", { required: true, updateAllowed: true, constraints: [customConstraint("neutron.network")] }),
        enable_snat: prop.boolean("Enables Source NAT on the router gateway.", { updateAllowed: true }),
        external_fixed_ips: prop.list("External fixed IP addresses for the gateway.", {
          updateAllowed: true,
          item: prop.map(undefined, {
            schema: {
              ip_address: prop.string("External fixed IP address.", { constraints: [customConstraint("ip_addr")] }),
              subnet: prop.string("Subnet of external fixed IP address.", { constraints: [customConstraint("neutron.subnet")] }),
            },
          }),
        }),
      },
    }),
    value_specs: valueSpecs(),
    admin_state_up: prop.boolean("The administrative state of the router.", { default: true, updateAllowed: true }),
    distributed: prop.boolean("Indicates whether or not to create a distributed router."),
    ha: prop.boolean("Indicates whether or not to create a highly available router."),
    tags,
  },
  attributes: {
    status: attr("The status of the router.", "String"),
    external_gateway_info: attr("Gateway network for the router.", "Map"),
    name: attr("Friendly name of the router.", "String"),
    admin_state_up: attr("Administrative state of the router.", "String"),
    tenant_id: attr("Tenant owning the router.", "String"),
  },
  supportStatus: supported("2014.1"),
};

export const neutronRouterInterface: ResourceTypeSchema = {
  type: "OS::Neutron::RouterInterface",
  description: "A router interface: a router's port on a subnet, or a given port.",
  properties: {
    router: prop.string("The router.", { required: true, constraints: [customConstraint("neutron.router")] }),
    subnet: prop.string("The subnet, either subnet or port should be specified.", { constraints: [customConstraint("neutron.subnet")] }),
    port: prop.string("The port, either subnet or port should be specified.", { constraints: [customConstraint("neutron.port")] }),
  },
  attributes: {},
  supportStatus: supported("2014.1"),
};

export const neutronPort: ResourceTypeSchema = {
  type: "OS::Neutron::Port",
  description: "A port on a Neutron network.",
  properties: {
    name: prop.string("A symbolic name for this port.", { updateAllowed: true }),
    network: prop.string("Network this port belongs to.", { required: true, constraints: [customConstraint("neutron.network")] }),
    device_id: prop.string("Device ID of this port.", { default: "", updateAllowed: true }),
    device_owner: prop.string("Name of the network owning the port.", { default: "", updateAllowed: true }),
    fixed_ips: prop.list("Desired IPs for this port.", {
      updateAllowed: true,
      item: prop.map(undefined, {
        schema: {
          subnet: prop.string("Subnet in which to allocate the IP address for this port.", { constraints: [customConstraint("neutron.subnet")] }),
          ip_address: prop.string("IP address desired in the subnet for this port.", { constraints: [customConstraint("ip_addr")] }),
        },
      }),
    }),
    security_groups: prop.list("Security group IDs or names to associate with this port.", { updateAllowed: true }),
    tags,
    value_specs: valueSpecs(),
    admin_state_up: prop.boolean("The administrative state of this port.", { default: true, updateAllowed: true }),
    mac_address: prop.string("MAC address to give to this port.", { constraints: [customConstraint("mac_addr")] }),
    allowed_address_pairs: prop.list("Additional MAC/IP address pairs allowed to pass through the port.", {
      updateAllowed: true,
      item: prop.map(undefined, {
        schema: {
          mac_address: prop.string("MAC address to allow through this port.", { constraints: [customConstraint("mac_addr")] }),
          ip_address: prop.string("IP address to allow through this port.", { required: true, constraints: [customConstraint("net_cidr")] }),
        },
      }),
    }),
    "binding:vnic_type": prop.string("The vnic type to be bound on the neutron port.", {
      default: "normal",
      updateAllowed: true,
      constraints: [allowedValues(["normal", "direct", "macvtap", "direct-physical", "baremetal", "virtio-forwarder", "smart-nic"])],
    }),
    port_security_enabled: prop.boolean("Flag to enable/disable port security on the port.", { updateAllowed: true }),
    no_fixed_ips: prop.boolean("Flag to disable all fixed ips on the port.", { default: false, updateAllowed: true }),
  },
  attributes: {
    admin_state_up: attr("The administrative state of this port.", "String"),
    device_id: attr("Unique identifier for the device.", "String"),
    device_owner: attr("Name of the network owning the port.", "String"),
    fixed_ips: attr("Fixed IP addresses.", "List"),
    mac_address: attr("MAC address of the port.", "String"),
    name: attr("Friendly name of the port.", "String"),
    network_id: attr("Unique identifier for the network owning the port.", "String"),
    security_groups: attr("A list of security groups for the port.", "List"),
    status: attr("The status of the port.", "String"),
    tenant_id: attr("Tenant owning the port.", "String"),
    allowed_address_pairs: attr("Additional MAC/IP address pairs allowed to pass through a port.", "List"),
    subnets: attr("A list of all subnet attributes for the port.", "List"),
    port_security_enabled: attr("Port security enabled of the port.", "Boolean"),
    network: attr("The attributes of the network owning the port.", "Map"),
  },
  supportStatus: supported("2014.1"),
};

const ruleSchema = {
  direction: prop.string("The direction in which the security group rule is applied.", { default: "ingress", constraints: [allowedValues(["ingress", "egress"])] }),
  ethertype: prop.string("Ethertype of the traffic.", { default: "IPv4", constraints: [allowedValues(["IPv4", "IPv6"])] }),
  port_range_min: prop.integer("The minimum port number in the range.", { constraints: [range(0, 65535)] }),
  port_range_max: prop.integer("The maximum port number in the range.", { constraints: [range(0, 65535)] }),
  protocol: prop.string("The protocol that is matched by the security group rule (a name or a number)."),
  remote_ip_prefix: prop.string("The remote IP prefix (CIDR) to be associated with this security group rule.", { constraints: [customConstraint("net_cidr")] }),
};

export const neutronSecurityGroup: ResourceTypeSchema = {
  type: "OS::Neutron::SecurityGroup",
  description: "A security group: rules for the traffic its ports take.",
  properties: {
    name: prop.string("A string specifying a symbolic name for the security group, which is not required to be unique.", { updateAllowed: true }),
    description: prop.string("Description of the security group.", { updateAllowed: true }),
    rules: prop.list("List of security group rules.", {
      default: [],
      updateAllowed: true,
      item: prop.map(undefined, {
        schema: {
          ...ruleSchema,
          remote_mode: prop.string("Whether to specify a remote group or a remote IP prefix.", { default: "remote_ip_prefix", constraints: [allowedValues(["remote_ip_prefix", "remote_group_id"])] }),
          remote_group_id: prop.string("The remote group ID to be associated with this security group rule; if none is given, this group's own ID is used."),
        },
      }),
    }),
  },
  attributes: {},
  supportStatus: supported("2014.1"),
};

export const neutronSecurityGroupRule: ResourceTypeSchema = {
  type: "OS::Neutron::SecurityGroupRule",
  description: "One rule of a security group.",
  properties: {
    security_group: prop.string("Security group name or ID to add rule.", { required: true, constraints: [customConstraint("neutron.security_group")] }),
    description: prop.string("Description of the security group rule."),
    ...ruleSchema,
    protocol: prop.string("The protocol that is matched by the security group rule (a name or a number).", { default: "tcp" }),
    remote_group: prop.string("The remote group name or ID to be associated with this security group rule.", { constraints: [customConstraint("neutron.security_group")] }),
  },
  attributes: {},
  supportStatus: supported("7.0.0"),
};

export const neutronFloatingIP: ResourceTypeSchema = {
  type: "OS::Neutron::FloatingIP",
  description: "A floating IP address, optionally associated with a port.",
  properties: {
    floating_network: prop.string("Network to allocate floating IP from.", { required: true, constraints: [customConstraint("neutron.network")] }),
    floating_subnet: prop.string("Subnet to allocate floating IP from.", { constraints: [customConstraint("neutron.subnet")] }),
    value_specs: valueSpecs(false),
    port_id: prop.string("ID of an existing port with at least one IP address to associate with this floating IP.", { updateAllowed: true, constraints: [customConstraint("neutron.port")] }),
    fixed_ip_address: prop.string("IP address to use if the port has multiple addresses.", { updateAllowed: true, constraints: [customConstraint("ip_addr")] }),
    floating_ip_address: prop.string("IP address of the floating IP.", { constraints: [customConstraint("ip_addr")] }),
  },
  attributes: {
    router_id: attr("ID of the router used as gateway, set when associated with a port.", "String"),
    tenant_id: attr("The tenant owning this floating IP.", "String"),
    floating_network_id: attr("ID of the network in which this IP is allocated.", "String"),
    fixed_ip_address: attr("IP address of the associated port, if specified.", "String"),
    floating_ip_address: attr("The allocated address of this IP.", "String"),
    port_id: attr("ID of the port associated with this IP.", "String"),
  },
  supportStatus: supported("2014.1"),
};

export const neutronFloatingIPAssociation: ResourceTypeSchema = {
  type: "OS::Neutron::FloatingIPAssociation",
  description: "Associates a floating IP with a port.",
  properties: {
    floatingip_id: prop.string("ID of the floating IP to associate.", { required: true, updateAllowed: true }),
    port_id: prop.string("ID of an existing port with at least one IP address to associate with this floating IP.", { required: true, updateAllowed: true, constraints: [customConstraint("neutron.port")] }),
    fixed_ip_address: prop.string("IP address to use if the port has multiple addresses.", { updateAllowed: true, constraints: [customConstraint("ip_addr")] }),
  },
  attributes: {},
  supportStatus: supported("2014.1"),
};

export const neutronTypes = [
  neutronNet,
  neutronSubnet,
  neutronRouter,
  neutronRouterInterface,
  neutronPort,
  neutronSecurityGroup,
  neutronSecurityGroupRule,
  neutronFloatingIP,
  neutronFloatingIPAssociation,
];
