/**
 * Kiln's views of stacks, resources, outputs and events (services/stacks.ts), in the field
 * names, formats and links of Heat's API v1, so heatclient and openstacksdk read them unchanged.
 */
import type { Notification } from "../../engine/ports";
import { parameterText } from "../../engine/template/parameters";
import type { listOutputs, listResources, showResource, showStack, StackSummary } from "../../services/stacks";

/** Heat writes times to the second, in UTC, with a Z. */
export const heatTime = (iso: string | null | undefined) => (iso ? iso.replace(/\.\d+Z$/, "Z") : null);

/** Heat sets a stack's updated time when it is first changed after its create (an update, a check, a delete). */
const updatedTime = (s: { action: string; updatedAt: string }) => (s.action === "CREATE" ? null : heatTime(s.updatedAt));

/** Where links point: this API's root for the project, e.g. http://host:8004/v1/PROJECT. */
export interface LinkBase {
  root: string;
}

export const stackHref = (base: LinkBase, s: { name: string; id: string }) => `${base.root}/stacks/${encodeURIComponent(s.name)}/${s.id}`;
const link = (href: string, rel: string) => ({ href, rel });

/** A stack in a list: no parameters, outputs or template. */
export function stackListEntry(base: LinkBase, s: StackSummary & { parentId?: string | null }, projectId: string) {
  return {
    id: s.id,
    stack_name: s.name,
    description: "",
    creation_time: heatTime(s.createdAt),
    updated_time: updatedTime(s),
    deletion_time: null,
    stack_status: s.stackStatus,
    stack_status_reason: s.statusReason,
    stack_owner: null,
    parent: s.parentId ?? null,
    stack_user_project_id: projectId,
    tags: null,
    project: projectId,
    links: [link(stackHref(base, s), "self")],
  };
}

type Shown = Awaited<ReturnType<typeof showStack>>;
type Output = Awaited<ReturnType<typeof listOutputs>>[number];

export function outputView(o: Output) {
  return { output_key: o.outputKey, output_value: o.outputValue, description: outputDescription(o), ...(o.outputError ? { output_error: o.outputError } : {}) };
}

/** Stack show; `parentId`: the stack owning a nested stack's parent resource. */
export function stackView(base: LinkBase, s: Shown, projectId: string, parentId: string | null) {
  return {
    id: s.id,
    stack_name: s.name,
    description: s.description,
    template_description: s.description,
    creation_time: heatTime(s.createdAt),
    updated_time: updatedTime(s),
    deletion_time: null,
    stack_status: s.stackStatus,
    stack_status_reason: s.statusReason,
    // Heat lists every parameter, given or not, each as text.
    parameters: Object.fromEntries(Object.entries({ ...s.parameters, ...s.defaultedParameters }).map(([k, v]) => [k, parameterText(s.parameterTypes[k] ?? "string", v)])),
    outputs: s.outputs.map(outputView),
    disable_rollback: s.disableRollback,
    timeout_mins: s.timeoutMins,
    capabilities: [],
    notification_topics: [],
    stack_owner: null,
    parent: parentId,
    stack_user_project_id: projectId,
    tags: null,
    links: [link(stackHref(base, s), "self")],
  };
}

/** The stack holding a resource: its links, and (nested) the name of its parent resource. */
export interface StackPlace {
  name: string;
  id: string;
  parentResourceName?: string;
}

type ResourceRow = Awaited<ReturnType<typeof listResources>>[number];
type ResourceDetail = Awaited<ReturnType<typeof showResource>>;

/** A resource as Heat lists it; `stack`: the stack holding it (its name and id make the links). */
export function resourceView(base: LinkBase, r: ResourceRow & { requiredBy?: string[] }, stack: StackPlace, nested?: { name: string; id: string }) {
  const links = [link(`${stackHref(base, stack)}/resources/${encodeURIComponent(r.name)}`, "self"), link(stackHref(base, stack), "stack")];
  if (nested) links.push(link(stackHref(base, nested), "nested"));
  return {
    resource_name: r.name,
    logical_resource_id: r.name,
    physical_resource_id: r.physicalId ?? "",
    resource_type: r.type,
    resource_status: r.resourceStatus,
    resource_status_reason: r.statusReason,
    creation_time: heatTime(r.createdAt),
    updated_time: heatTime(r.updatedAt),
    required_by: r.requiredBy ?? [],
    links,
    ...(stack.parentResourceName ? { parent_resource: stack.parentResourceName } : {}),
  };
}

export function resourceDetailView(base: LinkBase, r: ResourceDetail, stack: StackPlace, nested?: { name: string; id: string }) {
  return { ...resourceView(base, r, stack, nested), attributes: r.attributes, properties: r.properties, description: "", metadata: {} };
}


/** An event; a stack's own events name the stack as their resource (as Heat's do). */
export function eventView(base: LinkBase, e: Notification, stack: { name: string; id: string }, root: { name: string; id: string }) {
  const resourceName = e.resourceName ?? stack.name;
  const stackLink = stackHref(base, stack);
  return {
    id: String(e.id),
    event_time: heatTime(e.createdAt),
    resource_name: resourceName,
    logical_resource_id: resourceName,
    physical_resource_id: e.resourceName ? (e.physicalResourceId ?? "") : stack.id,
    resource_type: e.resourceType ?? (e.resourceName ? "" : "OS::Heat::Stack"),
    resource_status: `${e.action ?? ""}_${e.status ?? ""}`,
    resource_status_reason: e.reason ?? "",
    links: [
      link(`${stackLink}/resources/${encodeURIComponent(resourceName)}/events/${e.id}`, "self"),
      link(`${stackLink}/resources/${encodeURIComponent(resourceName)}`, "resource"),
      link(stackLink, "stack"),
      link(stackHref(base, root), "root_stack"),
    ],
  };
}

/** An output's description as Heat gives it: its own words, or Heat's placeholder when the template has none. */
export const outputDescription = (o: { description: string }) => o.description || "No description given";
