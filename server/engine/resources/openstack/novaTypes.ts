/** The schemas of Heat's OS::Nova types that Kiln supports, as Heat 19 declares them. */
import { allowedValues, attr, customConstraint, length, prop, range, supported, type ResourceTypeSchema } from "../schema";

export const novaServer: ResourceTypeSchema = {
  type: "OS::Nova::Server",
  description: "A Nova server (a virtual machine).",
  properties: {
    name: prop.string("Server name.", { updateAllowed: true }),
    image: prop.string("The ID or name of the image to boot with.", { updateAllowed: true, constraints: [customConstraint("glance.image")] }),
    flavor: prop.string("The ID or name of the flavor to boot onto.", { required: true, updateAllowed: true, constraints: [customConstraint("nova.flavor")] }),
    flavor_update_policy: prop.string("Policy on how to apply a flavor update; either by requesting a server resize or by replacing the entire server.", {
      default: "RESIZE",
      updateAllowed: true,
      constraints: [allowedValues(["RESIZE", "REPLACE"])],
    }),
    image_update_policy: prop.string("Policy on how to apply an image-id update; either by requesting a server rebuild or by replacing the entire server.", {
      default: "REBUILD",
      updateAllowed: true,
      constraints: [allowedValues(["REBUILD", "REPLACE", "REBUILD_PRESERVE_EPHEMERAL"])],
    }),
    block_device_mapping_v2: prop.list("Block device mappings v2 for this server.", {
      supportStatus: supported("2015.1"),
      item: prop.map(undefined, {
        schema: {
          device_name: prop.string("A device name where the volume will be attached in the system at /dev/device_name. This value is typically vda."),
          volume_id: prop.string("The volume_id can be boot or non-boot device to the server.", { constraints: [customConstraint("cinder.volume")] }),
          image: prop.string("The ID or name of the image to create a volume from.", { constraints: [customConstraint("glance.image")], supportStatus: supported("7.0.0") }),
          snapshot_id: prop.string("The ID of the snapshot to create a volume from.", { constraints: [customConstraint("cinder.snapshot")] }),
          swap_size: prop.integer("The size of the swap, in MB."),
          ephemeral_size: prop.integer("The size of the local ephemeral block device, in GB.", { constraints: [range(1)], supportStatus: supported("8.0.0") }),
          ephemeral_format: prop.string("The format of the local ephemeral block device. If no format is specified, uses default value, defined in nova configuration file.", {
            constraints: [allowedValues(["ext2", "ext3", "ext4", "xfs", "ntfs"])],
            supportStatus: supported("8.0.0"),
          }),
          device_type: prop.string("Device type: at the moment we can make distinction only between disk and cdrom.", { constraints: [allowedValues(["cdrom", "disk"])] }),
          disk_bus: prop.string("Bus of the device: hypervisor driver chooses a suitable default if omitted.", { constraints: [allowedValues(["ide", "lame_bus", "scsi", "usb", "virtio"])] }),
          boot_index: prop.integer('Integer used for ordering the boot disks. If it is not specified, value "0" will be set for bootable sources (volume, snapshot, image); value "-1" will be set for non-bootable sources.'),
          volume_size: prop.integer("Size of the block device in GB. If it is omitted, hypervisor driver calculates size."),
          delete_on_termination: prop.boolean('Indicate whether the volume should be deleted when the server is terminated. Defaults to "False" in case of a volume, snapshot or image and to "True" in case of swap or ephemeral.'),
        },
      }),
    }),
    key_name: prop.string("Name of keypair to inject into the server.", { constraints: [customConstraint("nova.keypair")] }),
    availability_zone: prop.string("Name of the availability zone for server placement."),
    security_groups: prop.list("List of security group names or IDs.", { default: [] }),
    networks: prop.list("An ordered list of nics to be added to this server, with information about connected networks, fixed ips, port etc.", {
      updateAllowed: true,
      item: prop.map(undefined, {
        schema: {
          network: prop.string("Name or ID of network to create a port on.", { constraints: [customConstraint("neutron.network")] }),
          allocate_network: prop.string("The special string values of network, auto: a network available to the project is used or created; none: no networking is allocated.", {
            constraints: [allowedValues(["none", "auto"])],
            supportStatus: supported("9.0.0"),
          }),
          fixed_ip: prop.string("Fixed IP address to specify for the port created on the requested network.", { constraints: [customConstraint("ip_addr")] }),
          port: prop.string("ID of an existing port to associate with this server.", { constraints: [customConstraint("neutron.port")] }),
          subnet: prop.string("Subnet in which to allocate the IP address for port.", { constraints: [customConstraint("neutron.subnet")] }),
          floating_ip: prop.string("ID of the floating IP to associate."),
          tag: prop.string("Port tag."),
        },
      }),
    }),
    scheduler_hints: prop.map("Arbitrary key-value pairs specified by the client to help boot a server."),
    metadata: prop.map("Arbitrary key/value metadata to store for this server.", { default: {}, updateAllowed: true }),
    user_data_format: prop.string("How the user_data should be formatted for the server (Kiln passes HEAT_CFNTOOLS as RAW).", {
      default: "HEAT_CFNTOOLS",
      constraints: [allowedValues(["HEAT_CFNTOOLS", "RAW", "SOFTWARE_CONFIG"])],
    }),
    software_config_transport: prop.string("How the server should receive the metadata required for software configuration.", {
      default: "POLL_SERVER_CFN",
      updateAllowed: true,
      constraints: [allowedValues(["POLL_SERVER_CFN", "POLL_SERVER_HEAT", "POLL_TEMP_URL", "ZAQAR_MESSAGE"])],
    }),
    user_data_update_policy: prop.string("Policy on how to apply a user_data update; either by ignoring it or by replacing the entire server, or rebuild the server.", {
      default: "REPLACE",
      updateAllowed: true,
      constraints: [allowedValues(["REPLACE", "IGNORE", "REBUILD"])],
    }),
    user_data: prop.string("User data script to be executed by cloud-init.", { default: "", updateAllowed: true }),
    config_drive: prop.boolean("If True, enable config drive on the server."),
    admin_pass: prop.string("The administrator password for the server.", { updateAllowed: true }),
    tags: prop.list("Server tags.", { updateAllowed: true, item: prop.string("A tag.") }),
  },
  attributes: {
    name: attr("Name of the server.", "String"),
    addresses: attr("A dict of all network addresses with corresponding port_id and subnets.", "Map"),
    networks: attr("A dict of assigned network addresses of the form {\"public\": [ip1, ip2...], \"private\": [ip3, ip4], \"public_uuid\": [ip1, ip2...], \"private_uuid\": [ip3, ip4]}.", "Map"),
    first_address: attr("Convenience attribute to fetch the first assigned network address, or an empty string if nothing has been assigned at this time.", "String", {
      status: "HIDDEN",
      version: "5.0.0",
      previous: { status: "DEPRECATED", version: "2014.2", message: "Use the networks attribute instead of first_address." },
    }),
    instance_name: attr("AWS compatible instance name.", "String"),
    accessIPv4: attr("The manually assigned alternative public IPv4 address of the server.", "String"),
    accessIPv6: attr("The manually assigned alternative public IPv6 address of the server.", "String"),
    tags: attr("Tags from the server.", "List"),
  },
  supportStatus: supported("2014.1"),
};

export const novaKeyPair: ResourceTypeSchema = {
  type: "OS::Nova::KeyPair",
  description: "A Nova key pair: a public key given, or one Nova generates.",
  properties: {
    name: prop.string("The name of the key pair.", { required: true, constraints: [length(1, 255)] }),
    save_private_key: prop.boolean("True if the system should remember a generated private key; False otherwise.", { default: false }),
    public_key: prop.string("The optional public key. This allows users to supply the public key from a pre-existing key pair. If not supplied, a new key pair will be generated."),
    type: prop.string("Keypair type.", { constraints: [allowedValues(["ssh", "x509"])], supportStatus: supported("8.0.0") }),
  },
  attributes: {
    public_key: attr("The public key.", "String"),
    private_key: attr("The private key if it has been saved.", "String"),
  },
  supportStatus: supported("2014.1"),
};

export const novaFlavor: ResourceTypeSchema = {
  type: "OS::Nova::Flavor",
  description: "A Nova flavor (needs the admin role by Nova's default policy).",
  properties: {
    tenants: prop.list("List of tenants.", { default: [], updateAllowed: true }),
    flavorid: prop.string("Unique ID of the flavor. If not specified, an UUID will be auto generated and used."),
    name: prop.string("Name of the flavor."),
    ram: prop.integer("Memory in MB for the flavor.", { required: true }),
    vcpus: prop.integer("Number of VCPUs for the flavor.", { required: true }),
    disk: prop.integer("Size of local disk in GB.", { default: 0 }),
    swap: prop.integer("Swap space in MB.", { default: 0 }),
    ephemeral: prop.integer("Size of a secondary ephemeral data disk in GB.", { default: 0 }),
    rxtx_factor: prop.number("RX/TX factor.", { default: 1.0 }),
    extra_specs: prop.map("Key/Value pairs to extend the capabilities of the flavor.", { updateAllowed: true }),
    is_public: prop.boolean("Scope of flavor accessibility. Public or private.", { default: true }),
  },
  attributes: {
    is_public: attr("Whether the flavor is shared across all projects.", "Boolean"),
    extra_specs: attr("Extra specs of the flavor in key-value pairs.", "Map"),
  },
  supportStatus: supported("2014.2"),
};

export const novaServerGroup: ResourceTypeSchema = {
  type: "OS::Nova::ServerGroup",
  description: "A server group: a placement policy for servers.",
  properties: {
    name: prop.string("Server Group name."),
    policies: prop.list("A list of string policies to apply. Defaults to anti-affinity.", {
      default: ["anti-affinity"],
      constraints: [allowedValues(["anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity"])],
      item: prop.string("A policy."),
    }),
    rules: prop.map("A dict of rules to apply (max_server_per_host, with anti-affinity).", {
      schema: { max_server_per_host: prop.integer("Maximum number of servers in the group on a host.", { constraints: [range(1)] }) },
    }),
  },
  attributes: {},
  supportStatus: supported("2014.2"),
};

export const novaTypes = [novaServer, novaKeyPair, novaFlavor, novaServerGroup];
