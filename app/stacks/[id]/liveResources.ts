/**
 * How the live view folds what it hears into one state per resource: events as they come, and
 * the resource rows read over tRPC, which are the truth whenever no newer event has arrived.
 */
import type { Notification } from "../../lib/notifications";
import { toneOf } from "../../lib/status";

/** A resource as the page shows it: its current row, moved on by the events of its current copy. */
export interface LiveResource {
  key: string;
  name: string;
  stackPath: string;
  type: string;
  action: string;
  status: string;
  reason: string;
  /** The current copy's physical id: after a replacement, the new copy's. */
  physicalId: string | null;
  requires: string[];
  nestedStackId: string | null;
  /** When its current (or last) action started and, once done, ended: ms since the epoch. */
  startedAt?: number;
  endedAt?: number;
  /** Every action it went through, for the timeline. */
  spans: Span[];
  /**
   * Its latest failure in the stack's latest operation, kept when a rollback or a retry moves
   * its state on, so the page can still say what went wrong.
   */
  failure?: { action: string; reason: string };
  /** Id of the last event folded in (0: none). */
  lastEventId: number;
  /**
   * Set only for a server Kiln's agent serves (a DeployedServer, a SOFTWARE_CONFIG Nova server:
   * the server says which, in its answer of the agents), once read: null when none ever connected.
   */
  agent?: AgentState | null;
  /** What the cloud last said of its object (BUILD, ACTIVE, in-use…), pushed as it moves. */
  cloudState?: string;
  /** Where its cloud object differs from what Kiln applied (a stack check found it): one line each. */
  drift?: string[];
}

/** Whether a server's agent is connected, over which transport, and when it was last heard from. */
export interface AgentState {
  connected: boolean;
  transport: string;
  address: string;
  connectedAt: string | null;
  lastSeenAt: string | null;
  disconnectedAt: string | null;
}

export interface Span {
  action: string;
  status: string;
  start: number;
  end?: number;
}

/** A resource row as the API returns it (the fields the page uses). */
export interface ResourceRowState {
  type: string;
  action: string;
  status: string;
  statusReason: string;
  physicalId: string | null;
  requires: string[];
  nestedStackId: string | null;
  cloudState: string | null;
  drift: string[];
}

export function newResource(key: string, name: string, stackPath: string, type: string): LiveResource {
  return { key, name, stackPath, type, action: "INIT", status: "COMPLETE", reason: "", physicalId: null, requires: [], nestedStackId: null, spans: [], lastEventId: 0 };
}

/**
 * The deletion of a copy that was replaced: a replacement creates the new copy first, so by the
 * time the old one (another physical id) is deleted, the resource is the new copy. A copy with
 * no physical id deleted beside one that has it is a replacement that failed, given up for the
 * copy it was to replace.
 */
const isReplacedCopy = (r: LiveResource, n: Notification) =>
  n.action === "DELETE" && !!r.physicalId && n.physicalResourceId !== r.physicalId;

/** Folds one event of the resource into its state and its timeline. */
export function foldEvent(r: LiveResource, n: Notification) {
  r.lastEventId = n.id;
  if (n.status === "FAILED") r.failure = { action: n.action ?? "", reason: n.reason ?? "" };
  if (isReplacedCopy(r, n)) return;
  const t = Date.parse(n.createdAt);
  r.action = n.action ?? r.action;
  r.status = n.status ?? r.status;
  r.reason = n.reason ?? "";
  if (n.physicalResourceId) r.physicalId = n.physicalResourceId;
  if (n.resourceType) r.type = n.resourceType;
  const open = r.spans.at(-1);
  if (n.status === "IN_PROGRESS") {
    if (open && open.end === undefined) open.end = t;
    r.spans.push({ action: n.action ?? "", status: "IN_PROGRESS", start: t });
    r.startedAt = t;
    r.endedAt = undefined;
  } else {
    if (open && open.end === undefined && open.action === n.action) {
      open.end = t;
      open.status = n.status ?? open.status;
    } else r.spans.push({ action: n.action ?? "", status: n.status ?? "", start: t, end: t });
    r.endedAt = t;
    if (r.startedAt === undefined) r.startedAt = t;
  }
}

/**
 * Folds the resource's current row, read after every event up to `readAfter` was stored: its
 * state wins unless an event newer than that has already moved the resource on.
 */
export function foldRow(r: LiveResource, row: ResourceRowState, readAfter: number) {
  r.type = row.type;
  r.requires = row.requires;
  r.nestedStackId = row.nestedStackId;
  // Drift changes only with a check or an update, whose end makes the page read the rows again.
  r.drift = row.drift;
  if (r.lastEventId > readAfter) return;
  r.cloudState = row.cloudState ?? undefined;
  r.physicalId = row.physicalId ?? r.physicalId;
  r.action = row.action;
  r.status = row.status;
  r.reason = row.statusReason;
}

/** Folds what the cloud said of the resource's object (a "progress" notification). */
export function foldCloudState(r: LiveResource, n: Notification) {
  r.lastEventId = n.id;
  if (n.status) r.cloudState = n.status;
}

/** A new operation of the stack (not its rollback) starts: earlier failures are history. */
export function forgetFailures(resources: Iterable<LiveResource>) {
  for (const r of resources) r.failure = undefined;
}

/** The stack's own resources (not its nested stacks') by where they stand, for the page's summary line. */
export interface ResourceCounts {
  total: number;
  complete: number;
  progress: number;
  failed: number;
  /** Not started in any operation yet (INIT): still to come while the stack is in progress. */
  notStarted: number;
  /** Failed in this operation, then rolled back or retried: also counted where they stand now. */
  undone: number;
}

export function countResources(resources: Iterable<LiveResource>): ResourceCounts {
  const c = { total: 0, complete: 0, progress: 0, failed: 0, notStarted: 0, undone: 0 };
  for (const r of resources) {
    if (r.stackPath) continue;
    c.total++;
    if (r.failure && r.status !== "FAILED") c.undone++;
    if (r.status === "IN_PROGRESS") c.progress++;
    else if (r.status === "FAILED") c.failed++;
    else if (r.action === "INIT") c.notStarted++;
    else if (toneOf(r.status, r.action) === "complete") c.complete++;
  }
  return c;
}
