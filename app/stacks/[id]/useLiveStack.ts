"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { api } from "../../lib/trpc";
import { followStack, isStackEvent, type Notification } from "../../lib/notifications";
import { ResourceChanges } from "./resourceChanges";
import { relativePath, resourceKey } from "./stackPaths";

export type StackView = Awaited<ReturnType<typeof api.stacks.show.query>>;
type ResourceRow = Awaited<ReturnType<typeof api.resources.list.query>>[number];

/** A resource as the page shows it: the last known row, overridden by the latest event about it. */
export interface LiveResource {
  key: string;
  name: string;
  stackPath: string;
  type: string;
  action: string;
  status: string;
  reason: string;
  physicalId: string | null;
  requires: string[];
  nestedStackId: string | null;
  /** When its current (or last) action started and, once done, ended: ms since the epoch. */
  startedAt?: number;
  endedAt?: number;
  /** Every action it went through, for the timeline. */
  spans: Span[];
}

export interface Span {
  action: string;
  status: string;
  start: number;
  end?: number;
}


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

  const applyRows = useCallback((rows: ResourceRow[], base: string) => {
    const m = model;
    for (const row of rows) {
      const r = { ...row, stackPath: relativePath(row.stackPath, base)! };
      const key = resourceKey(r.stackPath, r.name);
      m.changes.touch(key);
      const known = m.resources.get(key);
      if (known) {
        known.type = r.type;
        known.requires = r.requires;
        known.nestedStackId = r.nestedStackId;
        known.physicalId = r.physicalId ?? known.physicalId;
        if (!known.spans.length) Object.assign(known, { action: r.action, status: r.status, reason: r.statusReason });
      } else {
        m.resources.set(key, {
          key,
          name: r.name,
          stackPath: r.stackPath,
          type: r.type,
          action: r.action,
          status: r.status,
          reason: r.statusReason,
          physicalId: r.physicalId,
          requires: r.requires,
          nestedStackId: r.nestedStackId,
          spans: [],
        });
      }
      if (!r.stackPath) for (const dep of r.requires) m.edges.add(`${dep}\u0000${r.name}`);
    }
  }, []);

  const load = useCallback(async () => {
    try {
      const [stack, rows] = await Promise.all([api.stacks.show.query({ stack: idOrName }), api.resources.list.query({ stack: idOrName, nestedDepth: 5 })]);
      model.stack = stack;
      applyRows(rows, stack.stackPath);
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

  const scheduleRefresh = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void load(), 250);
  }, [load]);

  // First load, then the template's graph: it still knows resources that were deleted (rollback).
  useEffect(() => {
    let cancelled = false;
    void load().then(async (stack) => {
      if (!stack?.template || cancelled) return;
      try {
        const v = await api.templates.validate.mutate({ template: stack.template });
        for (const e of v.graph.edges) model.edges.add(`${e.from}\u0000${e.to}`);
        for (const n of v.graph.nodes)
          if (!model.resources.has(n.id))
            model.resources.set(n.id, { key: n.id, name: n.id, stackPath: "", type: n.type, action: "INIT", status: "COMPLETE", reason: "", physicalId: null, requires: [], nestedStackId: null, spans: [] });
        if (!cancelled) bump();
      } catch {
        /* the graph from the resource rows is enough */
      }
    });
    return () => {
      cancelled = true;
      clearTimeout(refreshTimer.current);
    };
  }, [load, bump]);

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
        if (n.kind !== "event" || !n.resourceName) continue;
        if (m.stack && isStackEvent(n, m.stack.name)) {
          if (n.status === "IN_PROGRESS") m.operationStart = Date.parse(n.createdAt);
          m.stack = { ...m.stack, action: (n.action ?? m.stack.action) as StackView["action"], status: (n.status ?? m.stack.status) as StackView["status"], statusReason: n.reason ?? "", stackStatus: `${n.action}_${n.status}`, updatedAt: n.createdAt };
          refresh = true;
          continue;
        }
        if (n.resourceType === "OS::Heat::Stack" && n.physicalResourceId === n.stackId) {
          // A nested stack's own event: its parent resource reports the same transition.
          continue;
        }
        const key = resourceKey(n.stackPath, n.resourceName);
        m.changes.touch(key);
        let r = m.resources.get(key);
        if (!r) {
          r = { key, name: n.resourceName, stackPath: n.stackPath, type: n.resourceType ?? "", action: "INIT", status: "COMPLETE", reason: "", physicalId: null, requires: [], nestedStackId: null, spans: [] };
          m.resources.set(key, r);
          refresh = true;
        }
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
      if (refresh) scheduleRefresh();
      m.lastId = Math.max(m.lastId, items.at(-1)!.id);
      bump();
    }, model.lastId);
  }, [rootId, bump, scheduleRefresh]);

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
