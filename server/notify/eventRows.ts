/** Event rows as the engine's Notification. */
import type { Notification, NotificationKind } from "../engine/ports";
import { iso } from "../store/records";

export interface EventRow {
  id: number | bigint;
  projectId: string;
  stackId: string;
  rootStackId: string;
  stackPath: string;
  kind: string;
  resourceName: string | null;
  physicalResourceId: string | null;
  resourceType: string | null;
  action: string | null;
  status: string | null;
  reason: string;
  traversal: string | null;
  createdAt: Date | string | number;
}

export const notificationFromRow = (r: EventRow): Notification => ({
  id: Number(r.id),
  stackId: r.stackId,
  rootStackId: r.rootStackId,
  stackPath: r.stackPath,
  kind: r.kind as NotificationKind,
  resourceName: r.resourceName,
  physicalResourceId: r.physicalResourceId,
  resourceType: r.resourceType,
  action: r.action,
  status: r.status,
  reason: r.reason,
  traversal: r.traversal,
  createdAt: iso(r.createdAt),
});
