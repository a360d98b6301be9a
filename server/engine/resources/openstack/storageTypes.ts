/** The schemas of Heat's OS::Cinder, OS::Swift and OS::Zaqar types that Kiln supports, as Heat 19 declares them. */
import { attr, customConstraint, length, prop, range, supported, type ResourceTypeSchema } from "../schema";

export const cinderVolume: ResourceTypeSchema = {
  type: "OS::Cinder::Volume",
  description: "A Cinder block storage volume.",
  properties: {
    availability_zone: prop.string("The availability zone in which the volume will be created."),
    size: prop.integer("The size of the volume in GB (needed unless made from a snapshot, volume or image).", { updateAllowed: true, constraints: [range(1)] }),
    snapshot_id: prop.string("If specified, the snapshot to create the volume from.", { constraints: [customConstraint("cinder.snapshot")] }),
    name: prop.string("A name used to distinguish the volume.", { updateAllowed: true }),
    description: prop.string("A description of the volume.", { updateAllowed: true }),
    volume_type: prop.string("If specified, the type of volume to use, mapping to a specific backend (changed by a retype).", { updateAllowed: true, constraints: [customConstraint("cinder.vtype")] }),
    metadata: prop.map("Key/value pairs to associate with the volume.", { default: {}, updateAllowed: true }),
    image: prop.string("If specified, the name or ID of the image to create the volume from.", { constraints: [customConstraint("glance.image")] }),
    source_volid: prop.string("If specified, the volume to use as source.", { constraints: [customConstraint("cinder.volume")] }),
  },
  attributes: {
    availability_zone: attr("The availability zone in which the volume is located.", "String"),
    size: attr("The size of the volume in GB.", "String"),
    snapshot_id: attr("The snapshot the volume was created from, if any.", "String"),
    display_name: attr("Name of the volume.", "String"),
    display_description: attr("Description of the volume.", "String"),
    volume_type: attr("The type of the volume mapping to a backend, if any.", "String"),
    metadata: attr("Key/value pairs associated with the volume.", "String"),
    source_volid: attr("The volume used as source, if any.", "String"),
    status: attr("The current status of the volume.", "String"),
    created_at: attr("The timestamp indicating volume creation.", "String"),
    bootable: attr("Boolean indicating if the volume can be booted or not.", "String"),
    metadata_values: attr("Key/value pairs associated with the volume in raw dict form.", "Map"),
    encrypted: attr("Boolean indicating if the volume is encrypted or not.", "String"),
    attachments_list: attr("The list of attachments of the volume.", "List"),
    multiattach: attr("Boolean indicating whether allow the volume to be attached more than once.", "Boolean"),
  },
  supportStatus: supported("2014.1"),
};

export const cinderVolumeAttachment: ResourceTypeSchema = {
  type: "OS::Cinder::VolumeAttachment",
  description: "Attaches a volume to a server.",
  properties: {
    instance_uuid: prop.string("The ID of the server to which the volume attaches.", { required: true, updateAllowed: true }),
    volume_id: prop.string("The ID of the volume to be attached.", { required: true, updateAllowed: true, constraints: [customConstraint("cinder.volume")] }),
    mountpoint: prop.string("The location where the volume is exposed on the instance (a hint to Nova).", { updateAllowed: true }),
  },
  attributes: {},
  supportStatus: supported("2014.1"),
};

export const swiftContainer: ResourceTypeSchema = {
  type: "OS::Swift::Container",
  description: "A Swift container.",
  properties: {
    name: prop.string("Name for the container. If not specified, a unique name will be generated."),
    "X-Container-Read": prop.string("Specify the ACL permissions on who can read objects in the container."),
    "X-Container-Write": prop.string("Specify the ACL permissions on who can write objects to the container."),
    "X-Container-Meta": prop.map("A map of user-defined meta data to associate with the container.", { default: {} }),
    "X-Account-Meta": prop.map("A map of user-defined meta data to associate with the account.", { default: {} }),
    PurgeOnDelete: prop.boolean("If True, delete any objects in the container when the container is deleted.", { default: false, supportStatus: supported("2015.1") }),
  },
  attributes: {
    DomainName: attr("The host from the container URL.", "String"),
    WebsiteURL: attr("The URL of the container.", "String"),
    RootURL: attr("The parent URL of the container.", "String"),
    ObjectCount: attr("The number of objects stored in the container.", "Integer"),
    BytesUsed: attr("The number of bytes stored in the container.", "Integer"),
    HeadContainer: attr("A map containing all headers for the container.", "Map"),
  },
  supportStatus: supported("2014.1"),
};

export const zaqarQueue: ResourceTypeSchema = {
  type: "OS::Zaqar::Queue",
  description: "A Zaqar message queue.",
  properties: {
    name: prop.string("Name of the queue instance to create.", { constraints: [length(undefined, 64)] }),
    metadata: prop.map("Arbitrary key/value metadata to store contextual information about this queue.", { updateAllowed: true }),
  },
  attributes: {
    queue_id: attr("ID of the queue.", "String", { status: "HIDDEN", version: "6.0.0", previous: { status: "DEPRECATED", version: "2015.1", message: "Use get_resource|Ref command instead." } }),
    href: attr("The resource href of the queue.", "String"),
  },
  supportStatus: supported("2014.2"),
};

export const storageTypes = [cinderVolume, cinderVolumeAttachment, swiftContainer, zaqarQueue];
