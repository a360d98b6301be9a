"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { api, type ApiOutput } from "../../lib/trpc";
import { isStackLevelEvent } from "../../../server/engine/convergence/events";
import { followStack, type Notification } from "../../lib/notifications";
import { ResourceChanges } from "./resourceChanges";
import { DEPLOYED_SERVER, foldEvent, foldRow, forgetFailures, newResource, type LiveResource } from "./liveResources";
import { relativePath, resourceKey } from "./stackPaths";

export type StackView = ApiOutput["stacks"]["show"];
type ResourceRow = ApiOutput["resources"]["list"][number];

export type { AgentState, LiveResource, Span } from "./liveResources";

interface Model {
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
}

function emptyModel(): Model {
  const resources = new Map<string, LiveResource>();
  return { resources, changes: new ResourceChanges(resources), edges: new Set(), notifications: [], streamIds: [], lastId: 0 };
}

/**
 * The stack page's data: one load over tRPC, then socket.io only. Resource states come from
 * the notification stream (latest event per resource); a stack-level event or an unknown
 * resource triggers one re-read of the stack and its resources (never a timer).
 */
export function useLiveStack(idOrName: string) {
  // One mutable model for the page's life: notifications change it in place, `rev` says when.
  const [model] = useState(emptyModel);
  const [rev, setRev] = useState(0);
  const [error, setError] = useState<string>();
  // Notifications can arrive hundreds of times a second: the model takes each at once, but the
  // page re-renders at most once per animation frame.
  const frame = useRef<number | undefined>(undefined);
  const bump = useCallback(() => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      // Rendered within this frame, so what arrived is painted with it, not a frame later.
      flushSync(() => setRev((r) => r + 1));
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current ?? 0), []);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [rootId, setRootId] = useState<string>();

  const applyRows = useCallback((rows: ResourceRow[], base: string, readAfter: number) => {
    const m = model;
    for (const row of rows) {
      const stackPath = relativePath(row.stackPath, base)!;
      const key = resourceKey(stackPath, row.name);
      m.changes.touch(key);
      let r = m.resources.get(key);
      if (!r) m.resources.set(key, (r = newResource(key, row.name, stackPath, row.type)));
      foldRow(r, row, readAfter);
      if (!stackPath) for (const dep of row.requires) m.edges.add(`${dep}\u0000${row.name}`);
    }
  }, []);

  const load = useCallback(async () => {
    try {
      // Everything stored up to the newest event heard so far is in what this reads.
      const readAfter = model.lastId;
      const [stack, rows] = await Promise.all([api.stacks.show.query({ stack: idOrName }), api.resources.list.query({ stack: idOrName, nestedDepth: 5 })]);
      model.stack = stack;
      applyRows(rows, stack.stackPath, readAfter);
      // A nested stack's notifications travel with its root's: follow those, keep its own.
      setRootId(stack.rootStackId);
      bump();
      return stack;
    } catch (e) {
      const msg = (e as Error).message;
      if (/not found/i.test(msg)) model.gone = msg;
      else setError(msg);
      bump();
    }
  }, [idOrName, applyRows, bump]);

  // The agents of the tree's DeployedServers: read with the page, and again whenever a server
  // says something (the agent gateway tells of each connection and disconnection once stored).
  const agentsTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const loadAgents = useCallback(async () => {
    try {
      const agents = await api.software.agents.query({ stack: idOrName });
      const base = model.stack?.stackPath ?? "";
      for (const a of agents) {
        const stackPath = relativePath(a.stackPath, base);
        if (stackPath === undefined) continue;
        const key = resourceKey(stackPath, a.resourceName);
        const r = model.resources.get(key);
        if (!r) continue;
        r.agent = a.agent;
        model.changes.touch(key);
      }
      bump();
    } catch {
      /* the nodes show no agent state until the next read */
    }
  }, [idOrName, bump]);
  const scheduleAgents = useCallback(() => {
    clearTimeout(agentsTimer.current);
    agentsTimer.current = setTimeout(() => void loadAgents(), 100);
  }, [loadAgents]);
  useEffect(() => () => clearTimeout(agentsTimer.current), []);

  const scheduleRefresh = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void load().then(() => [...model.resources.values()].some((r) => r.type === DEPLOYED_SERVER) && scheduleAgents()), 250);
  }, [load, scheduleAgents]);

  // First load, then the template's graph: it still knows resources that were deleted (rollback).
  useEffect(() => {
    let cancelled = false;
    void load().then(async (stack) => {
      if ([...model.resources.values()].some((r) => r.type === DEPLOYED_SERVER)) void loadAgents();
      if (!stack?.template || cancelled) return;
      try {
        const v = await api.templates.validate.mutate({ template: stack.template });
        for (const e of v.graph.edges) model.edges.add(`${e.from}\u0000${e.to}`);
        for (const n of v.graph.nodes)
          if (!model.resources.has(n.id))
            model.resources.set(n.id, newResource(n.id, n.id, "", n.type));
        if (!cancelled) bump();
      } catch {
        /* the graph from the resource rows is enough */
      }
    });
    return () => {
      cancelled = true;
      clearTimeout(refreshTimer.current);
    };
  }, [load, loadAgents, bump]);

  useEffect(() => {
    if (!rootId) return;
    const streamIds = (window.__kilnStreamIds = model.streamIds);
    return followStack(rootId, (items) => {
      const m = model;
      let refresh = false;
      for (const item of items) {
        const stackPath = relativePath(item.stackPath, m.stack?.stackPath ?? "");
        if (stackPath === undefined) continue;
        const n = stackPath === item.stackPath ? item : { ...item, stackPath };
        m.notifications.push(n);
        streamIds.push(n.id);
        // A server's agent came or went (a debug message), or a server was made or replaced.
        if (n.resourceType === DEPLOYED_SERVER && (n.kind === "debug" || n.status === "COMPLETE")) scheduleAgents();
        if (n.kind !== "event" || !n.resourceName) continue;
        if (m.stack && isStackLevelEvent(n) && n.stackPath === "") {
          // A rollback belongs to the operation it undoes: the timeline and the failures stay.
          if (n.status === "IN_PROGRESS" && n.action !== "ROLLBACK") {
            m.operationStart = Date.parse(n.createdAt);
            forgetFailures(m.resources.values());
          }
          m.stack = { ...m.stack, action: (n.action ?? m.stack.action) as StackView["action"], status: (n.status ?? m.stack.status) as StackView["status"], statusReason: n.reason ?? "", stackStatus: `${n.action}_${n.status}`, updatedAt: n.createdAt };
          refresh = true;
          continue;
        }
        if (isStackLevelEvent(n)) {
          // A nested stack's own event: its parent resource reports the same transition.
          continue;
        }
        const key = resourceKey(n.stackPath, n.resourceName);
        m.changes.touch(key);
        let r = m.resources.get(key);
        if (!r) {
          m.resources.set(key, (r = newResource(key, n.resourceName, n.stackPath, n.resourceType ?? "")));
          refresh = true;
        }
        foldEvent(r, n);
      }
      if (refresh) scheduleRefresh();
      m.lastId = Math.max(m.lastId, items.at(-1)!.id);
      bump();
    }, model.lastId);
  }, [rootId, bump, scheduleRefresh, scheduleAgents]);

  const setStack = useCallback(
    (s: StackView) => {
      model.stack = s;
      bump();
    },
    [bump],
  );

  return { model, rev, error, setStack, reload: load };
}

declare global {
  interface Window {
    /** Ids of the notifications the stack page holds, in arrival order: end-to-end tests check there is no gap or duplicate. */
    __kilnStreamIds?: number[];
  }
}
