/**
 * What Kiln last saw of a resource's cloud object, kept in the row's data: the state the cloud
 * gave it (BUILD, ACTIVE, in-use…), told as a "progress" notification each time it moves, and
 * its drift (found by a stack check), which the next update converges back.
 */
import type { NotificationInput, ResourceRecord } from "../ports";
import type { Drift } from "../resources/plugin";
import { shownType } from "./resourceRows";

const CLOUD_STATE_KEY = "__cloudState";
const DRIFT_KEY = "__drift";

export const cloudStateOf = (data: Record<string, unknown>): string | null => (typeof data[CLOUD_STATE_KEY] === "string" ? (data[CLOUD_STATE_KEY] as string) : null);

export const driftOf = (data: Record<string, unknown>): Drift[] => (Array.isArray(data[DRIFT_KEY]) ? (data[DRIFT_KEY] as Drift[]) : []);

/**
 * The data with the cloud state seen now, and the notification telling it when it moved
 * (a resource woken with its object still in the same state tells nothing).
 */
export function observeCloudState(
  row: Pick<ResourceRecord, "stackId" | "name" | "physicalId" | "type">,
  action: string,
  before: Record<string, unknown>,
  data: Record<string, unknown>,
  state: string | undefined,
  traversal: string,
): { data: Record<string, unknown>; notice?: NotificationInput } {
  if (state === undefined || cloudStateOf(before) === state) return { data };
  return {
    data: { ...data, [CLOUD_STATE_KEY]: state },
    notice: {
      stackId: row.stackId,
      kind: "progress",
      resourceName: row.name,
      physicalResourceId: row.physicalId,
      resourceType: shownType({ type: row.type, data: before }),
      action,
      status: state,
      reason: `the cloud says ${state}`,
      traversal,
    },
  };
}

/** The data with this drift recorded (none: the mark is taken off). */
export function withDrift(data: Record<string, unknown>, drift: Drift[]): Record<string, unknown> {
  const { [DRIFT_KEY]: _, ...rest } = data;
  return drift.length ? { ...rest, [DRIFT_KEY]: drift } : rest;
}

/** The drift of an object the cloud no longer has, and the state shown for it. */
export const GONE: Drift[] = [{ property: null }];
export const GONE_STATE = "gone";

/**
 * The properties as they are in the cloud: what was applied, with each drifted property at its
 * cloud value. Converging from these to the template's applies each drifted property again.
 */
export function cloudProperties(row: Pick<ResourceRecord, "properties" | "data">): Record<string, unknown> {
  const drifted = driftOf(row.data).filter((d) => d.property !== null);
  if (!drifted.length) return row.properties;
  return { ...row.properties, ...Object.fromEntries(drifted.map((d) => [d.property!, d.cloud])) };
}

const shown = (v: unknown) => (v === undefined || v === null ? "nothing" : typeof v === "string" ? `'${v}'` : JSON.stringify(v));

/** What differs, one line each, for the page and the CLI. A map (metadata) names its keys that differ, not their values. */
export function driftLines(drift: Drift[]): string[] {
  return drift.map((d) => {
    if (d.property === null) return "gone from the cloud";
    if (isMap(d.applied) || isMap(d.cloud)) {
      const a = (isMap(d.applied) ? d.applied : {}) as Record<string, unknown>;
      const c = (isMap(d.cloud) ? d.cloud : {}) as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(a), ...Object.keys(c)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(c[k])).sort();
      return `${d.property} differs in the cloud (${keys.join(", ")})`;
    }
    return `${d.property} is ${shown(d.cloud)} in the cloud, Kiln applied ${shown(d.applied)}`;
  });
}

const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
