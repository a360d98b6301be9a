/**
 * A server's `block_device_mapping_v2` as Nova's block_device_mapping_v2, mapped as Heat maps
 * it (server.py's _build_block_device_mapping_v2 and _validate_block_device_mapping, read for
 * behaviour): a volume, snapshot or image becomes a volume (boot index 0, kept when the server
 * goes, unless told otherwise); a swap or ephemeral size a blank local disk (boot index -1,
 * deleted with the server). Heat checks the mappings at validate; Kiln at create, before
 * asking Nova for anything.
 */
import type { CloudPort } from "../../ports";
import { ResourceFailure } from "../plugin";
import { imageId } from "./novaPlugins";

type Obj = Record<string, unknown>;

const SOURCES = ["volume_id", "snapshot_id", "image", "swap_size", "ephemeral_size or ephemeral_format"] as const;
/** What the template may set on any mapping, passed to Nova as it is. */
const PASSED_ON = ["device_name", "device_type", "disk_bus", "boot_index", "volume_size", "delete_on_termination"] as const;

const given = (v: unknown) => v !== undefined && v !== null;

function sourceOf(m: Obj): (typeof SOURCES)[number] | undefined {
  const present = SOURCES.filter((s) => (s === "ephemeral_size or ephemeral_format" ? given(m.ephemeral_size) || given(m.ephemeral_format) : given(m[s])));
  if (present.length > 1) {
    throw new ResourceFailure(`Cannot define the following properties at the same time: ${present.join(", ")} (in one block_device_mapping_v2 entry)`, "ResourcePropertyConflict");
  }
  return present[0];
}

/** Refuses what Heat refuses: no source, two sources in one entry, nothing to boot from, two things to boot from. */
export function checkBlockDevices(resourceName: string, image: unknown, mappings: Obj[]) {
  let bootable = given(image) ? 1 : 0;
  mappings.forEach((m) => {
    const source = sourceOf(m);
    if (!source) throw new ResourceFailure("Either volume_id, snapshot_id, image_id, swap_size, ephemeral_size or ephemeral_format must be specified.", "StackValidationFailed");
    const bootsFrom = source === "volume_id" || source === "snapshot_id" || source === "image";
    if (bootsFrom && (!given(m.boot_index) || m.boot_index === 0)) bootable++;
  });
  if (bootable === 0) throw new ResourceFailure(`Neither image nor bootable volume is specified for instance ${resourceName}`, "StackValidationFailed");
  if (mappings.length > 0 && bootable > 1) throw new ResourceFailure(`Multiple bootable sources for instance ${resourceName}.`, "StackValidationFailed");
}

/** Nova's entries for the template's mappings (image names looked up in Glance). */
export async function novaBlockDevices(cloud: CloudPort, mappings: Obj[]): Promise<Obj[]> {
  return Promise.all(
    mappings.map(async (m) => {
      const source = sourceOf(m);
      let entry: Obj;
      if (source === "volume_id" || source === "snapshot_id" || source === "image") {
        const uuid = source === "image" ? await imageId(cloud, String(m.image)) : m[source];
        entry = { uuid, source_type: source === "volume_id" ? "volume" : source === "snapshot_id" ? "snapshot" : "image", destination_type: "volume", boot_index: 0, delete_on_termination: false };
      } else if (source === "swap_size") {
        entry = { source_type: "blank", destination_type: "local", boot_index: -1, delete_on_termination: true, guest_format: "swap", volume_size: m.swap_size };
      } else {
        entry = { source_type: "blank", destination_type: "local", boot_index: -1, delete_on_termination: true };
        if (m.ephemeral_size) entry.volume_size = m.ephemeral_size;
        if (m.ephemeral_format) entry.guest_format = m.ephemeral_format;
      }
      for (const key of PASSED_ON) if (given(m[key]) && !(key === "device_name" && m[key] === "")) entry[key] = m[key];
      return entry;
    }),
  );
}
