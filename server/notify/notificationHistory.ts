/**
 * Reading notifications back: the events list API, and a client resuming its live stream
 * from the last id it saw (ids are global and monotonic, so "after id" misses nothing).
 */
import type { Notification, NotificationKind } from "../engine/ports";
import type { Database } from "../store/database";
import { notificationFromRow } from "./eventRows";

export interface NotificationQuery {
  projectId?: string;
  /** The whole nested tree under this root stack. */
  rootStackId?: string;
  /** One stack only. */
  stackId?: string;
  /** Only notifications with a greater id. */
  afterId?: number;
  kinds?: NotificationKind[];
  resourceName?: string;
  limit: number;
}

/** The oldest `limit` notifications matching the query, in id order. */
export async function listNotifications(db: Database, q: NotificationQuery): Promise<Notification[]> {
  const rows = await db.prisma.event.findMany({
    where: {
      projectId: q.projectId,
      rootStackId: q.rootStackId,
      stackId: q.stackId,
      id: q.afterId === undefined ? undefined : { gt: q.afterId },
      kind: q.kinds ? { in: q.kinds } : undefined,
      resourceName: q.resourceName,
    },
    orderBy: { id: "asc" },
    take: q.limit,
  });
  return rows.map(notificationFromRow);
}
