"use client";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Notification } from "../../lib/notifications";
import { toneOf } from "../../lib/status";
import { resourceKey } from "./useLiveStack";

const ROW_H = 30;
const OVERSCAN = 8;
type Kind = Notification["kind"];
const KINDS: { kind: Kind; label: string }[] = [
  { kind: "event", label: "Events" },
  { kind: "warning", label: "Warnings" },
  { kind: "debug", label: "Debug" },
  { kind: "progress", label: "Progress" },
];

interface Props {
  notifications: Notification[];
  rev: number;
  /** Resource keys for the resource filter. */
  resourceKeys: string[];
  selected?: string;
  onSelect: (key: string | undefined) => void;
  stackName: string;
}

const time = (iso: string) => {
  const d = new Date(iso);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
};

/**
 * The notification stream, oldest at the top, newest at the bottom. It follows new rows unless
 * the user has scrolled up; only the rows in view are in the DOM, so thousands stay smooth.
 */
export function EventStream({ notifications, rev, resourceKeys, selected, onSelect, stackName }: Props) {
  const [kinds, setKinds] = useState<Set<Kind>>(() => new Set<Kind>(["event", "warning"]));
  const [text, setText] = useState("");
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const viewport = useRef<HTMLDivElement>(null);
  const seenCount = useRef(0);

  const counts = useMemo(() => {
    const c: Record<Kind, number> = { event: 0, warning: 0, debug: 0, progress: 0 };
    for (const n of notifications) c[n.kind]++;
    return c;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [notifications, rev]);

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return notifications.filter((n) => {
      if (!kinds.has(n.kind)) return false;
      if (selected && resourceKey(n.stackPath, n.resourceName ?? "") !== selected) return false;
      if (!needle) return true;
      return [n.resourceName, n.resourceType, n.action, n.status, `${n.action}_${n.status}`, n.reason, n.stackPath, n.kind]
        .some((f) => f?.toLowerCase().includes(needle));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [notifications, rev, kinds, text, selected]);

  // Follow mode: stick to the bottom as rows arrive; count what arrived while the user reads above.
  const unseen = follow ? 0 : Math.max(0, rows.length - seenCount.current);
  useLayoutEffect(() => {
    const v = viewport.current;
    if (!v) return;
    if (follow) {
      v.scrollTop = v.scrollHeight;
      seenCount.current = rows.length;
    }
  }, [rows.length, follow]);

  useEffect(() => {
    const v = viewport.current;
    if (!v) return;
    const ro = new ResizeObserver(() => setHeight(v.clientHeight));
    ro.observe(v);
    setHeight(v.clientHeight);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const v = viewport.current!;
    setScrollTop(v.scrollTop);
    const atBottom = v.scrollHeight - v.scrollTop - v.clientHeight < ROW_H / 2;
    if (atBottom !== follow) {
      setFollow(atBottom);
      if (!atBottom) seenCount.current = rows.length;
    }
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_H) + OVERSCAN);
  const visible = rows.slice(first, last);

  const toggleKind = (k: Kind) =>
    setKinds((old) => {
      const next = new Set(old);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });

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
          <select className="input input-small" value={selected ?? ""} onChange={(e) => onSelect(e.target.value || undefined)} aria-label="Filter by resource" data-testid="resource-filter">
            <option value="">All resources</option>
            {resourceKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="stream-viewport" ref={viewport} onScroll={onScroll} data-testid="stream-rows" data-count={rows.length}>
        {rows.length === 0 ? (
          <p className="stream-empty muted small">{notifications.length ? "No notifications match the filters." : "Waiting for events…"}</p>
        ) : (
          <div style={{ height: rows.length * ROW_H, position: "relative" }}>
            {visible.map((n, i) => {
              const key = resourceKey(n.stackPath, n.resourceName ?? "");
              const isStack = n.resourceType === "OS::Heat::Stack" && n.physicalResourceId === n.stackId;
              const state = n.action && n.status ? `${n.action}_${n.status}` : "";
              return (
                <div
                  key={n.id}
                  className={`srow srow-${n.kind} srow-${toneOf(n.status, n.action)}${key === selected ? " srow-selected" : ""}`}
                  style={{ top: (first + i) * ROW_H, height: ROW_H }}
                  data-testid="stream-row"
                  data-id={n.id}
                  title={`#${n.id} ${n.createdAt}\n${n.stackPath ? `${n.stackPath} / ` : ""}${n.resourceName ?? ""} ${state}\n${n.reason ?? ""}`}
                >
                  <span className="srow-time">{time(n.createdAt)}</span>
                  {n.kind !== "event" && <span className={`srow-kind kind-${n.kind}`}>{n.kind}</span>}
                  {isStack ? (
                    <span className="srow-res srow-stack">{n.stackPath ? `${n.stackPath} (nested)` : stackName}</span>
                  ) : (
                    <button type="button" className="srow-res" onClick={() => onSelect(key)} title={`Show ${key} on the graph`}>
                      {key}
                    </button>
                  )}
                  {state && <span className={`srow-state tone-${toneOf(n.status, n.action)}`}>{state}</span>}
                  <span className="srow-reason">{n.reason && n.reason !== "state changed" ? n.reason : ""}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
      <div className="stream-foot">
        <span className="muted small" data-testid="stream-summary">
          {rows.length} of {notifications.length} shown
        </span>
        {!follow && (
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setFollow(true);
              const v = viewport.current;
              if (v) v.scrollTop = v.scrollHeight;
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
