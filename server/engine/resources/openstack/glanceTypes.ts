/** The schema of Heat's OS::Glance::WebImage, as Heat 19 declares it. */
import { allowedPattern, allowedValues, prop, range, supported, type ResourceTypeSchema } from "../schema";

const GLANCE_ID = "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";

export const glanceWebImage: ResourceTypeSchema = {
  type: "OS::Glance::WebImage",
  description: "A Glance image whose data Glance downloads from a URL (the web-download import).",
  properties: {
    name: prop.string("Name for the image (not unique in Glance)."),
    id: prop.string("The image's ID; Glance generates a UUID when none is given."),
    min_disk: prop.integer("Disk space (in GB) the image needs to boot; 0 for no limit.", { default: 0, constraints: [range(0)] }),
    min_ram: prop.integer("Memory (in MB) the image needs to boot; 0 for no limit.", { default: 0, constraints: [range(0)] }),
    protected: prop.boolean("Whether the image may not be deleted.", { default: false, updateAllowed: true }),
    disk_format: prop.string("Disk format of the image.", {
      required: true,
      constraints: [allowedValues(["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"])],
    }),
    container_format: prop.string("Container format of the image.", { required: true, constraints: [allowedValues(["ami", "ari", "aki", "bare", "ovf", "ova", "docker"])] }),
    location: prop.string("The URL Glance downloads the image's data from.", { required: true }),
    tags: prop.list("Tags of the image.", { updateAllowed: true }),
    architecture: prop.string("Operating system architecture.", { updateAllowed: true }),
    kernel_id: prop.string("ID of the image booted as the kernel of an AMI-style image.", { updateAllowed: true, constraints: [allowedPattern(GLANCE_ID)] }),
    os_distro: prop.string("Common name of the operating system distribution, in lowercase.", { updateAllowed: true }),
    os_version: prop.string("Operating system version as the distributor gives it.", { updateAllowed: true }),
    owner: prop.string("Owner of the image.", { updateAllowed: true }),
    extra_properties: prop.map("Arbitrary properties of the image.", { default: {}, updateAllowed: true, supportStatus: supported("17.0.0") }),
    visibility: prop.string("Who may see the image.", { default: "private", updateAllowed: true, constraints: [allowedValues(["public", "private", "community", "shared"])] }),
    ramdisk_id: prop.string("ID of the image booted as the ramdisk of an AMI-style image.", { updateAllowed: true, constraints: [allowedPattern(GLANCE_ID)] }),
    active: prop.boolean("Whether the image is active (deactivating needs the admin role).", { default: true, updateAllowed: true, supportStatus: supported("16.0.0") }),
    members: prop.list("Projects (or users) besides the owner that may read the image; needs visibility shared.", {
      updateAllowed: true,
      item: prop.string("A member ID."),
      supportStatus: supported("16.0.0"),
    }),
  },
  attributes: {},
  supportStatus: supported("12.0.0"),
};

export const glanceTypes = [glanceWebImage];
