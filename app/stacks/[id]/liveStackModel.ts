/**
 * The stack page's model and how what the page reads and hears moves it on: pure functions of
 * the model and their input, no React, no network. useLiveStack.ts does the reading, the
 * listening and the redrawing; what each needs done next it learns from their answers.
 */
import type { api } from "../../lib/trpc";
import type { Notification } from "../../lib/notifications";
import { isStackLevelEvent } from "../../../server/engine/convergence/events";
import { ResourceChanges } from "./resourceChanges";
import { SOFTWARE_SERVER_TYPES } from "../../../server/engine/resources/software/softwareServers";
import { foldCloudState, foldEvent, foldRow, forgetFailures, newResource, type AgentState, type LiveResource } from "./liveResources";
import { relativePath, resourceKey } from "./stackPaths";

export type StackView = Awaited<ReturnType<typeof api.stacks.show.query>>;
export type ResourceRow = Awaited<ReturnType<typeof api.resources.list.query>>[number];

export interface LiveStackModel {
  stack?: StackView;
  /** Set once the stack has been deleted (or never existed). */
  gone?: string;
  resources: Map<string, LiveResource>;
  /** Tells the views of single resources which ones changed. */
  changes: ResourceChanges;
  /** Dependency edges of the top-level stack (dependency → dependent), from rows and the template. */
  edges: Set<string>;
  notifications: Notification[];
  streamIds: number[];
  /** The last notification id received: a new subscription resumes after it. */
  lastId: number;
  /** When the stack's latest operation started (its IN_PROGRESS event), ms since the epoch. */
  operationStart?: number;
  /** Keys of the resources whose type may have an agent, kept as types are learnt: asked on every debug message of a burst. */
  softwareServers: Set<string>;
}

export function emptyModel(changesIntervalMs?: number): LiveStackModel {
  const resources = new Map<string, LiveResource>();
  return { resources, changes: new ResourceChanges(resources, changesIntervalMs), edges: new Set(), notifications: [], streamIds: [], lastId: 0, softwareServers: new Set() };
}

export const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

/** Of a type whose servers may have an agent: which of them do, the agents' answer says. */
const maySoftwareServe = (type: string | null | undefined) => !!type && SOFTWARE_SERVER_TYPES.includes(type);

/** Whether the tree has a server whose agent the page may have to show (the agents are read then). */
export const hasSoftwareServers = (m: LiveStackModel) => m.softwareServers.size > 0;

/** Notes the resource's type, as read or heard (a replacement may change it). */
function noteType(m: LiveStackModel, r: LiveResource) {
  if (maySoftwareServe(r.type)) m.softwareServers.add(r.key);
  else m.softwareServers.delete(r.key);
}

/** The stack and its resource rows as read after every notification up to `readAfter` was stored. */
export function applyRead(m: LiveStackModel, stack: StackView, rows: ResourceRow[], readAfter: number) {
  m.stack = stack;
  for (const row of rows) {
    const stackPath = relativePath(row.stackPath, stack.stackPath);
    if (stackPath === undefined) continue;
    const key = resourceKey(stackPath, row.name);
    m.changes.touch(key);
    let r = m.resources.get(key);
    if (!r) m.resources.set(key, (r = newResource(key, row.name, stackPath, row.type)));
    foldRow(r, row, readAfter);
    noteType(m, r);
    if (!stackPath) for (const dep of row.requires) m.edges.add(edgeKey(dep, row.name));
  }
}

/** The template's graph: it still knows resources that were deleted (by a rollback), and edges no row has yet. */
export function applyTemplateGraph(m: LiveStackModel, graph: { nodes: { id: string; type: string }[]; edges: { from: string; to: string }[] }) {
  for (const e of graph.edges) m.edges.add(edgeKey(e.from, e.to));
  for (const n of graph.nodes) {
    if (m.resources.has(n.id)) continue;
    const r = newResource(n.id, n.id, "", n.type);
    m.resources.set(n.id, r);
    noteType(m, r);
  }
}

/**
 * The agents of the tree's servers that Kiln's agent serves, by the resource they belong to: the
 * answer names every such server, so a resource it leaves out has no agent to show (any more).
 */
export function applyAgents(m: LiveStackModel, agents: { stackPath: string; resourceName: string; agent: AgentState | null }[]) {
  const served = new Map<string, AgentState | null>();
  for (const a of agents) {
    const stackPath = relativePath(a.stackPath, m.stack?.stackPath ?? "");
    if (stackPath !== undefined) served.set(resourceKey(stackPath, a.resourceName), a.agent);
  }
  for (const [key, r] of m.resources) {
    const agent = served.get(key);
    if (agent === r.agent) continue;
    r.agent = agent;
    m.changes.touch(key);
  }
}

/** What the page must do after notifications: read the stack again, read the agents again. */
export interface AfterNotifications {
  refresh: boolean;
  agents: boolean;
}

/**
 * Notifications of the root stack's tree, in order: those of this stack and its nested stacks
 * go into the stream, and events move the stack and its resources on. A stack-level event or a
 * resource the page has not read yet asks for a read of the stack.
 */
export function applyNotifications(m: LiveStackModel, items: Notification[]): AfterNotifications {
  const after = { refresh: false, agents: false };
  for (const item of items) {
    const stackPath = relativePath(item.stackPath, m.stack?.stackPath ?? "");
    if (stackPath === undefined) continue;
    const n = stackPath === item.stackPath ? item : { ...item, stackPath };
    m.notifications.push(n);
    m.streamIds.push(n.id);
    // A server's agent came or went (debug messages are the agent gateway's), or a server was made or replaced.
    // (A stack without such servers has no agents to reload, whatever else it reports.)
    if ((n.kind === "debug" && hasSoftwareServers(m)) || (n.status === "COMPLETE" && maySoftwareServe(n.resourceType))) after.agents = true;
    // What the cloud says of an object its resource waits on (a server's BUILD, ACTIVE…).
    if (n.kind === "progress" && n.resourceName) {
      const key = resourceKey(n.stackPath, n.resourceName);
      const r = m.resources.get(key);
      if (r) {
        foldCloudState(r, n);
        m.changes.touch(key);
      }
      continue;
    }
    if (n.kind !== "event" || !n.resourceName) continue;
    if (m.stack && isStackLevelEvent(n) && n.stackPath === "") {
      // A rollback belongs to the operation it undoes: the timeline and the failures stay.
      if (n.status === "IN_PROGRESS" && n.action !== "ROLLBACK") {
        m.operationStart = Date.parse(n.createdAt);
        forgetFailures(m.resources.values());
      }
      m.stack = {
        ...m.stack,
        action: (n.action ?? m.stack.action) as StackView["action"],
        status: (n.status ?? m.stack.status) as StackView["status"],
        statusReason: n.reason ?? "",
        stackStatus: `${n.action}_${n.status}`,
        updatedAt: n.createdAt,
      };
      after.refresh = true;
      continue;
    }
    // A nested stack's own event: its parent resource reports the same transition.
    if (isStackLevelEvent(n)) continue;
    const key = resourceKey(n.stackPath, n.resourceName);
    m.changes.touch(key);
    let r = m.resources.get(key);
    if (!r) {
      m.resources.set(key, (r = newResource(key, n.resourceName, n.stackPath, n.resourceType ?? "")));
      after.refresh = true;
    }
    foldEvent(r, n);
    noteType(m, r);
  }
  if (items.length) m.lastId = Math.max(m.lastId, items.at(-1)!.id);
  return after;
}
