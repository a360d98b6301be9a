/** Notifications in Heat's shape: resource and stack state changes, warnings, debug messages. */
import type { NotificationInput, ResourceRecord, StackRecord } from "../ports";
import { shownType } from "./resourceRows";

export const resourceEvent = (
  r: Pick<ResourceRecord, "stackId" | "name" | "physicalId" | "type"> & { data?: Record<string, unknown> },
  action: string,
  status: string,
  reason: string,
  traversal: string | null,
): NotificationInput => ({
  stackId: r.stackId,
  kind: "event",
  resourceName: r.name,
  physicalResourceId: r.physicalId,
  resourceType: shownType(r),
  action,
  status,
  reason,
  traversal,
});

const STACK_TYPE = "OS::Heat::Stack";

/**
 * Whether a notification is a stack's own event (what `stackEvent` makes) rather than one of
 * its resources': the one test every reader of the stream uses.
 */
export const isStackLevelEvent = (n: Pick<NotificationInput, "kind" | "resourceType" | "physicalResourceId" | "stackId">): boolean =>
  n.kind === "event" && n.resourceType === STACK_TYPE && n.physicalResourceId === n.stackId;

/** Stack events carry the stack's name as resource name and its id as physical id, as Heat's do. */
export const stackEvent = (
  s: Pick<StackRecord, "id" | "name">,
  action: string,
  status: string,
  reason: string,
  traversal: string | null,
): NotificationInput => ({
  stackId: s.id,
  kind: "event",
  resourceName: s.name,
  physicalResourceId: s.id,
  resourceType: STACK_TYPE,
  action,
  status,
  reason,
  traversal,
});

export const message = (
  stackId: string,
  kind: "warning" | "debug",
  reason: string,
  resourceName: string | null,
  traversal: string | null,
): NotificationInput => ({ stackId, kind, reason, resourceName, traversal });
