/**
 * What `openstack … -f json` prints for each command kiln shares with it: the Heat API's
 * views (api/heat/heatViews.ts, the one place Kiln names Heat's fields), cut to the columns
 * python-heatclient shows. A script written against Heat reads kiln's --json unchanged; the
 * tables print the same fields.
 */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../api/root";
import { eventView, heatTime, outputView, resourceDetailView, resourceView, stackView, type LinkBase } from "../api/heat/heatViews";

type Out = inferRouterOutputs<AppRouter>;
type ShownStack = Out["stacks"]["show"];
type Event = Out["events"]["list"][number];

/** Keeps `columns` of `record`, in that order (as heatclient picks an item's properties). */
function pick<K extends string>(record: Record<string, unknown>, columns: readonly K[]): Record<K, unknown> {
  return Object.fromEntries(columns.map((c) => [c, record[c] ?? null])) as Record<K, unknown>;
}

/** Links point where the Heat API would serve the same object. */
const linkBase = (url: string, projectId: string): LinkBase => ({ root: `${url}/v1/${encodeURIComponent(projectId)}` });
const projectOf = (st: { parameters: Record<string, unknown> }) => String(st.parameters["OS::project_id"] ?? "");

/** `stack show` */
const STACK_SHOW = [
  "id", "stack_name", "description", "creation_time", "updated_time", "stack_status", "stack_status_reason", "parameters", "outputs",
  "links", "parent", "disable_rollback", "deletion_time", "stack_user_project_id", "capabilities", "notification_topics", "stack_owner",
  "timeout_mins", "tags",
] as const;

export function stackShown(url: string, st: ShownStack, parentStackId: string | null = null) {
  return pick(stackView(linkBase(url, projectOf(st)), st, projectOf(st), parentStackId), STACK_SHOW);
}

/** `stack create` and `stack update`: the stack's short form. */
const STACK_SUMMARY = ["id", "stack_name", "description", "creation_time", "updated_time", "stack_status", "stack_status_reason"] as const;

/** The fields a stack summary needs; create, update and show answer them all. */
export interface StackLike {
  id: string;
  name: string;
  description?: string;
  action?: string;
  stackStatus: string;
  statusReason: string;
  createdAt: string;
  updatedAt: string;
}

/** Heat leaves a stack's updated time empty until its first change after the create. */
const updatedTime = (st: StackLike) => (st.action === "CREATE" ? null : heatTime(st.updatedAt));

export function stackSummary(st: StackLike): Record<(typeof STACK_SUMMARY)[number], unknown> {
  return {
    id: st.id,
    stack_name: st.name,
    description: st.description ?? "",
    creation_time: heatTime(st.createdAt),
    updated_time: updatedTime(st),
    stack_status: st.stackStatus,
    stack_status_reason: st.statusReason,
  };
}

/** A row of `stack list`, and what `stack check` and `stack cancel` print. openstack adds "Project" for a cloud admin only. */
export function stackRow(st: StackLike) {
  return { ID: st.id, "Stack Name": st.name, "Stack Status": st.stackStatus, "Creation Time": heatTime(st.createdAt), "Updated Time": updatedTime(st) };
}

/** `stack resource list`; with a nested depth, each row also names the stack holding it. */
export function resourceRow(r: Out["resources"]["list"][number], stackNames: ReadonlyMap<string, string> | undefined) {
  const row = pick(resourceView({ root: "" }, r, { name: "", id: r.stackId }), ["resource_name", "physical_resource_id", "resource_type", "resource_status", "updated_time"]);
  return stackNames ? { ...row, stack_name: stackNames.get(r.stackId) ?? r.stackId } : row;
}

/** `stack resource show` */
const RESOURCE_SHOW = [
  "attributes", "creation_time", "description", "links", "logical_resource_id", "metadata", "physical_resource_id", "properties",
  "required_by", "resource_name", "resource_status", "resource_status_reason", "resource_type", "updated_time",
] as const;

export function resourceShown(url: string, projectId: string, stack: { name: string; id: string }, r: Out["resources"]["show"]) {
  return pick(resourceDetailView(linkBase(url, projectId), r, stack), RESOURCE_SHOW);
}

/** `stack output list` */
export const outputRow = (o: Out["outputs"]["list"][number]) => ({ output_key: o.outputKey, description: o.description });

/** `stack output show` (with `output_error` when the value could not be resolved, as Heat adds it). */
export const outputShown = (o: Out["outputs"]["show"]) => outputView(o);

/** `stack event list`; warnings and debug messages, which Heat has not, say their kind. */
const EVENT = ["id", "resource_name", "logical_resource_id", "physical_resource_id", "resource_status", "resource_status_reason", "event_time"] as const;

export function eventRow(e: Event, stack: { name: string; id: string }) {
  const row = pick(eventView({ root: "" }, e, stack, stack), EVENT);
  return e.kind === "event" ? row : { ...row, kind: e.kind };
}
