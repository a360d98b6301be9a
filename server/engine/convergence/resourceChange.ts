/**
 * What converging an existing resource to its new definition takes: nothing, an update in
 * place, or a replacement. One rule for the engine (checkNode.ts) and the preview of an update.
 */
import { createHash } from "node:crypto";
import type { ResourceRecord } from "../ports";
import { alwaysUpdatedInPlace, changedProperties, needsReplacement, type ResourcePlugin } from "../resources/plugin";
import type { ResourceDefinition } from "./definition";
import { canonicalJson, isMapping } from "../template/values";
import { DELETION_POLICY_KEY, METADATA_KEY, PROVIDER_KEY } from "./jobs";
import { cloudProperties, driftOf } from "./cloudObservation";

export type ResourceChange =
  | { kind: "none" }
  /**
   * What changed: property names, and `depends_on` or `deletion_policy`; `because` when the
   * resource is updated for another reason too (a nested stack, see alwaysUpdatedInPlace).
   */
  | { kind: "update"; changed: string[]; because?: string }
  /**
   * `refusedInPlace`: the type cannot make this change in place. Heat then shows the old copy
   * UPDATE_COMPLETE (it was asked, and answered that it needs replacing); a failed copy or a
   * change of type is replaced without being asked.
   */
  | { kind: "replace"; because: string; refusedInPlace: boolean };

/** Why an unchanged nested-stack resource is updated anyway. */
const NESTED_STACK_UPDATED = "its nested stack is updated with the stack";

/** Why a resource whose template did not change is updated. */
const DRIFTED = "it drifted in the cloud";

/** The reasons of a change, as the preview and the engine's messages show them. */
export function changeReasons(change: Exclude<ResourceChange, { kind: "none" }>): string {
  return change.kind === "replace" ? change.because : [change.because, ...change.changed].filter(Boolean).join(", ");
}

/**
 * What a row keeps of the metadata it was converged with: a digest (the template holds the
 * metadata itself), the same whatever the order of its keys; undefined for none, as Heat's
 * default is an empty map.
 */
export function metadataDigest(metadata: unknown): string | undefined {
  if (metadata === undefined || metadata === null || (isMapping(metadata) && Object.keys(metadata).length === 0)) return undefined;
  return createHash("sha256").update(canonicalJson(metadata)).digest("base64url").slice(0, 22);
}

/** `metadata`: the resource's metadata as resolved now. */
export function resourceChange(
  row: ResourceRecord,
  def: ResourceDefinition,
  plugin: ResourcePlugin,
  properties: Record<string, unknown>,
  metadata: unknown,
): ResourceChange {
  const inPlace = alwaysUpdatedInPlace(plugin, row);
  const failed = row.status === "FAILED";
  if (failed && !inPlace) return { kind: "replace", because: `${row.action}_FAILED`, refusedInPlace: false };
  // One provider template for another is no change of type (Heat's TemplateResource either
  // way): its nested stack is updated to the new template, in place.
  const templateForTemplate = row.data[PROVIDER_KEY] !== undefined && def.providerTemplate !== undefined;
  if (row.type !== def.type && !templateForTemplate) return { kind: "replace", because: `its type changed from ${row.type} to ${def.type}`, refusedInPlace: false };
  if (plugin.takesChangesSilently) return { kind: "none" };
  // Converged from what the cloud has: a property changed there out-of-band is applied again.
  const inCloud = cloudProperties(row);
  const changed = changedProperties(inCloud, properties);
  if (needsReplacement(plugin, inCloud, properties, row.data)) return { kind: "replace", because: `${changed.join(", ")} cannot be updated in place`, refusedInPlace: true };
  // Heat updates a resource whose definition changed beyond its properties too: its plugin
  // then sees no property change, but the resource goes through UPDATE.
  const before = new Set(row.requires);
  if (before.size !== new Set(def.requires).size || def.requires.some((d) => !before.has(d))) changed.push("depends_on");
  if ((row.data[DELETION_POLICY_KEY] ?? "Delete") !== def.deletionPolicy) changed.push("deletion_policy");
  if (row.data[METADATA_KEY] !== metadataDigest(metadata)) changed.push("metadata");
  if (row.type !== def.type) changed.push("template");
  if (inPlace) return { kind: "update", changed, because: failed ? `retried after ${row.action}_FAILED` : changed.length ? undefined : NESTED_STACK_UPDATED };
  const drifted = driftOf(row.data).length > 0;
  return changed.length ? { kind: "update", changed, ...(drifted ? { because: DRIFTED } : {}) } : { kind: "none" };
}
