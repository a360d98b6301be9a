"use client";
import { Fragment, memo, useCallback, useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from "react";
import { isStackLevelEvent } from "../../../server/engine/convergence/events";
import type { Notification } from "../../lib/notifications";
import { telling, toneOf } from "../../lib/status";
import { absoluteTime, clockTime } from "../../lib/time";
import { useHoverTitle } from "../../lib/useHoverTitle";
import { useUrlParams } from "../../lib/urlState";
import { useVirtualRows } from "../../lib/useVirtualRows";
import { resourceKey } from "./stackPaths";

const ROW_H = 30;
const OVERSCAN = 8;
/** A row in the list's flow (and the place an opened row leaves there). */
const IN_FLOW = { height: ROW_H };
type Kind = Notification["kind"];
/** The levels a reader can switch on and off ("progress", the cloud states of resources, shows on the nodes and in the resource panel instead). */
const KINDS: { kind: Kind; label: string }[] = [
  { kind: "event", label: "Events" },
  { kind: "warning", label: "Warnings" },
  { kind: "debug", label: "Debug" },
];
const DEFAULT_KINDS = "event,warning";

interface Props {
  notifications: Notification[];
  rev: number;
  /** Resource keys for the resource filter. */
  resourceKeys: string[];
  selected?: string;
  onSelect: (key: string | undefined) => void;
  stackName: string;
}

/** The text the free-text filter searches in a notification. */
const haystack = (n: Notification) =>
  [n.resourceName, n.resourceType, n.physicalResourceId, n.action, n.status, `${n.action}_${n.status}`, n.reason, n.stackPath, n.kind].join("\u0000").toLowerCase();

/**
 * The rows the filters let through, and the count of each kind. Notifications only ever
 * arrive at the end, so while the filters stay the same only the new ones are looked at: a
 * burst of hundreds a second costs each render a handful of checks, not the whole history.
 */
function useFilteredRows(notifications: Notification[], rev: number, kinds: Set<Kind>, selected: string | undefined, text: string) {
  const needle = text.trim().toLowerCase();
  const filterKey = `${[...kinds].join()}\u0000${selected ?? ""}\u0000${needle}`;
  const cache = useRef({ filterKey: "", seen: 0, rows: [] as Notification[], counted: 0, counts: { event: 0, warning: 0, debug: 0, progress: 0 } as Record<Kind, number> });
  return useMemo(() => {
    const c = cache.current;
    if (c.filterKey !== filterKey || notifications.length < c.seen) Object.assign(c, { filterKey, seen: 0, rows: [] });
    for (let i = c.counted; i < notifications.length; i++) c.counts[notifications[i].kind]++;
    c.counted = notifications.length;
    const rows = c.rows;
    for (let i = c.seen; i < notifications.length; i++) {
      const n = notifications[i];
      if (!kinds.has(n.kind)) continue;
      if (selected && resourceKey(n.stackPath, n.resourceName ?? "") !== selected) continue;
      if (needle && !haystack(n).includes(needle)) continue;
      rows.push(n);
    }
    c.seen = notifications.length;
    return { rows, count: rows.length, counts: { ...c.counts } };
    // `rev` stands for changes inside the mutable model, which React cannot see.
  }, [notifications, rev, filterKey]);
}

/**
 * The notification stream, oldest at the top, newest at the bottom. It follows new rows unless
 * the user has scrolled up; only the rows in view are in the DOM, so thousands stay smooth.
 */
export function EventStream({ notifications, rev, resourceKeys, selected, onSelect, stackName }: Props) {
  // The filters live in the URL (?levels=event,debug&text=…) with the selected resource, so a view can be linked.
  const [params, setParams] = useUrlParams(["levels", "text"] as const);
  const kindList = params.levels ?? DEFAULT_KINDS;
  const kinds = useMemo(() => new Set(kindList.split(",").filter((k) => KINDS.some((o) => o.kind === k)) as Kind[]), [kindList]);
  const text = params.text ?? "";
  const setText = (value: string) => setParams({ text: value });
  const [follow, setFollow] = useState(true);
  // The one row whose reason is opened in full over the rows below it (rows keep one height, for the windowing).
  const [opened, setOpened] = useState<number>();
  const toggleOpened = useCallback((id: number) => setOpened((o) => (o === id ? undefined : id)), []);
  const seenCount = useRef(0);
  const { rows, count, counts } = useFilteredRows(notifications, rev, kinds, selected, text);
  const list = useVirtualRows(count, ROW_H, OVERSCAN, follow);
  const viewport = list.element;

  // Follow mode: stick to the bottom as rows arrive; count what arrived while the user reads above.
  const unseen = follow ? 0 : Math.max(0, count - seenCount.current);
  // Set when follow mode scrolls the list itself: the scroll event that follows is ours, and
  // reading the list's geometry to interpret it would cost a layout each frame of a burst.
  const ownScroll = useRef(false);
  useLayoutEffect(() => {
    if (follow) seenCount.current = count;
  }, [count, follow]);
  // Follow mode scrolls to the bottom once the browser has laid the new rows out (a resize
  // observer runs after the frame's layout, before its paint): scrolling from the render itself
  // would force a layout of its own in the middle of every frame of a burst.
  const [content, setContent] = useState<HTMLDivElement | null>(null);
  useLayoutEffect(() => {
    if (!viewport || !follow) return;
    const stick = () => {
      const before = viewport.scrollTop;
      viewport.scrollTop = viewport.scrollHeight;
      if (viewport.scrollTop !== before) ownScroll.current = true;
    };
    const ro = new ResizeObserver(stick);
    ro.observe(viewport);
    // Its border box: the height the rows take, spacer included (its content box stays the same as the window slides).
    if (content) ro.observe(content, { box: "border-box" });
    return () => ro.disconnect();
  }, [viewport, content, follow]);

  // The reader's own hand on the list (wheel, scrollbar, keys): its next scroll is theirs.
  const onIntent = () => {
    ownScroll.current = false;
  };
  const onScroll = () => {
    if (ownScroll.current) {
      ownScroll.current = false;
      return;
    }
    const v = viewport!;
    const atBottom = v.scrollHeight - v.scrollTop - v.clientHeight < ROW_H / 2;
    if (follow && atBottom) return;
    list.onScroll();
    if (atBottom !== follow) {
      setFollow(atBottom);
      if (!atBottom) seenCount.current = count;
    }
  };

  const first = list.first;
  const visible = rows.slice(first, list.last);

  const toggleKind = (k: Kind) => {
    const next = KINDS.map((o) => o.kind).filter((o) => (o === k ? !kinds.has(o) : kinds.has(o)));
    // "none" keeps an empty choice in the URL, where no value means the default.
    const value = next.join() || "none";
    setParams({ levels: value === DEFAULT_KINDS ? undefined : value });
  };

  return (
    <section className="stream" data-testid="event-stream" aria-label="Event stream">
      <div className="stream-tools">
        <div className="chips" role="group" aria-label="Levels">
          {KINDS.map(({ kind, label }) => (
            <button
              key={kind}
              type="button"
              className={`chip chip-${kind}`}
              aria-pressed={kinds.has(kind)}
              onClick={() => toggleKind(kind)}
              data-testid={`level-${kind}`}
            >
              {label} <span className="chip-count">{counts[kind]}</span>
            </button>
          ))}
        </div>
        <div className="stream-filters">
          <input className="input input-small" type="search" placeholder="Filter text…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter by text" />
          <ResourceFilter resourceKeys={resourceKeys} selected={selected} onSelect={onSelect} />
        </div>
      </div>
      <div className="stream-viewport" ref={list.ref} onScroll={onScroll} onWheel={onIntent} onPointerDown={onIntent} onKeyDown={onIntent} onTouchStart={onIntent} data-testid="stream-rows" data-count={count}>
        {count === 0 ? (
          <p className="stream-empty muted small">{notifications.length ? "No notifications match the filters." : "Waiting for events…"}</p>
        ) : (
          // Rows in view are laid out in the normal flow after a spacer for those above: plain boxes
          // painted with the list, not a positioned layer each, which the browser would have to
          // composite again whenever a burst scrolls rows in and out.
          <div ref={setContent} style={{ height: list.totalHeight, paddingTop: first * ROW_H, position: "relative" }}>
            {visible.map((n, i) => {
              if (n.id !== opened) return <StreamRow key={n.id} n={n} selected={selected} onSelect={onSelect} stackName={stackName} opened={false} onOpen={toggleOpened} />;
              const top = (first + i) * ROW_H;
              // An opened row in the lower half of the view grows upwards, so the newest row's reason is not cut off at the bottom.
              const place = top - list.viewTop > list.viewHeight / 2 ? { bottom: list.totalHeight - top - ROW_H } : { top };
              return (
                <Fragment key={n.id}>
                  <div style={IN_FLOW} />
                  <StreamRow n={n} place={place} selected={selected} onSelect={onSelect} stackName={stackName} opened onOpen={toggleOpened} />
                </Fragment>
              );
            })}
          </div>
        )}
      </div>
      <div className="stream-foot">
        <span className="muted small" data-testid="stream-summary">
          {count} of {notifications.length} shown
        </span>
        {!kinds.has("debug") && counts.debug > 0 && (
          // Debug messages say why a resource is replaced and carry deployments' output: worth a pointer.
          <button type="button" className="link-button" onClick={() => toggleKind("debug")} data-testid="show-debug">
            {counts.debug} debug message{counts.debug === 1 ? "" : "s"} hidden: show
          </button>
        )}
        {!follow && (
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setFollow(true);
              if (viewport) viewport.scrollTop = viewport.scrollHeight;
            }}
          >
            ↓ Follow{unseen ? ` (${unseen} new)` : ""}
          </button>
        )}
        {follow && <span className="muted small">Following</span>}
      </div>
    </section>
  );
}

interface RowProps {
  n: Notification;
  /** Where an opened row lies over the others, by its top edge or (growing upwards) its bottom edge; the others are in the flow. */
  place?: { top: number } | { bottom: number };
  selected?: string;
  onSelect: (key: string) => void;
  stackName: string;
  /** Its reason shown in full (wrapped, over the rows below), not cut to the row's width. */
  opened: boolean;
  onOpen: (id: number) => void;
}

/** One notification; memoised, so following a burst only draws the rows that scrolled in. */
const StreamRow = memo(function StreamRow({ n, place, selected, onSelect, stackName, opened, onOpen }: RowProps) {
  const key = resourceKey(n.stackPath, n.resourceName ?? "");
  const isStack = isStackLevelEvent(n);
  const state = n.action && n.status ? `${n.action}_${n.status}` : "";
  const reason = telling(n.reason);
  const hover = useHoverTitle(
    () => `#${n.id} ${absoluteTime(n.createdAt)}\n${n.stackPath ? `${n.stackPath} / ` : ""}${n.resourceName ?? ""} ${n.physicalResourceId ?? ""} ${state}\n${n.reason ?? ""}`,
  );
  return (
    <div
      className={`srow srow-${n.kind} srow-${toneOf(n.status, n.action)}${key === selected ? " srow-selected" : ""}${opened ? " srow-opened" : ""}`}
      style={place ? { ...place, minHeight: ROW_H } : IN_FLOW}
      data-testid="stream-row"
      data-id={n.id}
      {...hover}
    >
      <time className="srow-time" dateTime={n.createdAt}>
        {clockTime(n.createdAt)}
      </time>
      {n.kind !== "event" && <span className={`srow-kind kind-${n.kind}`}>{n.kind}</span>}
      {isStack ? (
        <span className="srow-res srow-stack">{n.stackPath ? `${n.stackPath} (nested)` : stackName}</span>
      ) : (
        <button type="button" className="srow-res" onClick={() => onSelect(key)} title={`Show ${key} on the graph`}>
          {key}
        </button>
      )}
      {!isStack && n.physicalResourceId && (
        // Tells the copies of a replaced resource apart: the tail is what differs.
        <span className="srow-phys" title={n.physicalResourceId} data-testid="stream-physical-id">
          …{n.physicalResourceId.slice(-6)}
        </span>
      )}
      {state && <span className={`srow-state tone-${toneOf(n.status, n.action)}`}>{state}</span>}
      {reason && (
        <button type="button" className="srow-reason" onClick={() => onOpen(n.id)} aria-expanded={opened} data-testid="stream-reason">
          {reason}
        </button>
      )}
    </div>
  );
});

const NO_KEYS: string[] = [];

/** The resource filter; memoised, as a big stack's thousand options need not be redrawn per event. */
const ResourceFilter = memo(function ResourceFilter({ resourceKeys, selected, onSelect }: { resourceKeys: string[]; selected?: string; onSelect: (key: string | undefined) => void }) {
  // The options follow the page's first paint rather than hold it up (a thousand of them for a big stack).
  const options = useDeferredValue(resourceKeys, NO_KEYS);
  return (
    <select className="input input-small" value={selected ?? ""} onChange={(e) => onSelect(e.target.value || undefined)} aria-label="Filter by resource" data-testid="resource-filter">
      <option value="">All resources</option>
      {options.map((k) => (
        <option key={k} value={k}>
          {k}
        </option>
      ))}
    </select>
  );
});
