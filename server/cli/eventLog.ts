import { isDeploymentLogLine } from "../agents/deploymentLogLine";
import type { Notification } from "../engine/ports";

/** Notifications as python-heatclient prints events: `2026-11-25 15:30:01Z [web.server]: CREATE_IN_PROGRESS  state changed`. */

/** The fields of a server Notification the CLI reads. */
export type NotificationLike = Pick<
  Notification,
  "id" | "stackId" | "stackPath" | "kind" | "resourceName" | "physicalResourceId" | "resourceType" | "action" | "status" | "reason" | "createdAt"
>;

/** `2026-11-25T15:30:01.123Z` → `2026-11-25 15:30:01Z`. */
export function eventTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
}

/** The resource's name, prefixed with its nested-stack path in Heat's dotted form (`web_group.0.server`). */
export function qualifiedName(n: Pick<NotificationLike, "stackPath" | "resourceName">): string {
  const name = n.resourceName ?? "";
  if (!n.stackPath) return name;
  const prefix = n.stackPath.split("/").join(".");
  return name ? `${prefix}.${name}` : prefix;
}

/**
 * One line for an event, a warning, or a line a deployment's script printed (live, from Kiln's
 * agent), and any other debug message and the cloud states of resources when asked; undefined for what the log does not show.
 */
export function formatNotification(n: NotificationLike, opts: { debug?: boolean } = {}): string | undefined {
  const reason = n.reason ?? "";
  if (n.kind === "event") return `${eventTime(n.createdAt)} [${qualifiedName(n)}]: ${n.action}_${n.status}  ${reason}`.trimEnd();
  if (n.kind === "warning" || (n.kind === "debug" && opts.debug)) {
    const name = qualifiedName(n);
    return `${n.kind.toUpperCase()} ${eventTime(n.createdAt)}${name ? ` [${name}]` : ""}: ${reason}`;
  }
  // What the cloud said of a resource's object while Kiln waited on it.
  if (n.kind === "progress" && opts.debug) return `CLOUD ${eventTime(n.createdAt)} [${qualifiedName(n)}]: ${n.action} ${n.status}`;
  if (isDeploymentLogLine(n)) return `${eventTime(n.createdAt)} [${qualifiedName(n)}] ${reason}`;
  return undefined;
}
