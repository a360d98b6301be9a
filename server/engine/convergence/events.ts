/** Notifications in Heat's shape: resource and stack state changes, warnings, debug messages. */
import type { NotificationInput, ResourceRecord, StackRecord } from "../ports";

export const resourceEvent = (
  r: Pick<ResourceRecord, "stackId" | "name" | "physicalId" | "type">,
  action: string,
  status: string,
  reason: string,
  traversal: string | null,
): NotificationInput => ({
  stackId: r.stackId,
  kind: "event",
  resourceName: r.name,
  physicalResourceId: r.physicalId,
  resourceType: r.type,
  action,
  status,
  reason,
  traversal,
});

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
  resourceType: "OS::Heat::Stack",
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
