"use client";
import { memo, useDeferredValue, useMemo, useState } from "react";
import { formatDuration, toneOf } from "../../lib/status";
import { useNow } from "../../lib/useNow";
import { useVirtualRows } from "../../lib/useVirtualRows";
import { absoluteTime, HOURS } from "../../lib/time";
import { criticalPath } from "./criticalPath";
import { naturalOrder } from "./stackPaths";
import { axisTicks } from "./timeAxis";
import type { LiveResource } from "./useLiveStack";

const ROW_H = 24;
// When the operation started, beside the axis; the date and timezone are on hover. Made when
// first drawn, as every date formatter of the page (see lib/time.ts).
let clock: Intl.DateTimeFormat | undefined;
const startClock = (at: number) => {
  clock ??= new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: HOURS, timeZoneName: "short" });
  return clock.format(at);
};

interface Props {
  resources: Map<string, LiveResource>;
  rev: number;
  /** Only actions from this time on: the stack's latest operation. */
  since?: number;
  selected?: string;
  onSelect: (key: string | undefined) => void;
}

/**
 * A Gantt chart of resource actions: one row per resource, one bar per action, on a shared
 * clock. Rows scroll inside the card and only those in view are drawn, so a thousand
 * resources cost what twenty do. Memoised: it redraws when `rev` moves, not with its parent.
 */
export const Timeline = memo(function Timeline(props: Props) {
  // Drawn just after the page's first paint, not with it: the graph is what a reader looks at first.
  const afterFirstPaint = useDeferredValue(true, false);
  return afterFirstPaint ? <Chart {...props} /> : null;
});

function Chart({ resources, rev, since = 0, selected, onSelect }: Props) {
  const [open, setOpen] = useState(true);
  const rows = useMemo(
    () =>
      [...resources.values()]
        .map((r) => ({ r, spans: r.spans.filter((s) => s.start >= since) }))
        .filter((row) => row.spans.length)
        .sort((a, b) => a.spans[0].start - b.spans[0].start || naturalOrder(a.r.key, b.r.key)),
    [resources, rev, since], // `rev` stands for changes inside the mutable model, which React cannot see.
  );
  const running = rows.some(({ r }) => r.status === "IN_PROGRESS");
  const now = useNow(running);
  const critical = useMemo(() => criticalPath(resources, now), [resources, rev, now]); // `rev` stands for changes inside the mutable model, which React cannot see.
  const list = useVirtualRows(open ? rows.length : 0, ROW_H);
  if (!rows.length) {
    // An operation that touched no resource (an update that changed nothing): say so, rather than lose the card.
    const earlier = [...resources.values()].some((r) => r.spans.length);
    return earlier ? (
      <section className="card timeline" data-testid="timeline">
        <h2 className="timeline-empty-title">Timeline</h2>
        <p className="muted small">The latest operation changed no resource.</p>
      </section>
    ) : null;
  }

  let begin = Infinity;
  let end = -Infinity;
  for (const { spans } of rows) {
    begin = Math.min(begin, spans[0].start);
    for (const s of spans) end = Math.max(end, s.end ?? now);
  }
  end = Math.max(end, begin + 1000);
  const total = end - begin;
  const pct = (t: number) => `${(Math.max(0, t - begin) / total) * 100}%`;

  return (
    <section className="card timeline" data-testid="timeline">
      <button type="button" className="timeline-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
        <h2>
          {open ? "▾" : "▸"} Timeline <span className="muted small">{formatDuration(total)}</span>
        </h2>
        {critical.size > 1 && <span className="tl-legend small">critical path: {[...critical].reverse().join(" → ")}</span>}
      </button>
      {open && (
        <div className="tl-axis" data-testid="timeline-axis">
          <time className="tl-axis-start small" dateTime={new Date(begin).toISOString()} title={absoluteTime(begin)}>
            {startClock(begin)}
          </time>
          <span className="tl-axis-track">
            {axisTicks(total).map((t) => (
              // A label near the right end is drawn leftwards of its mark, inside the card.
              <span key={t} className={`tl-tick small${t > total * 0.9 ? " tl-tick-end" : ""}`} style={{ left: pct(begin + t) }}>
                {t === 0 ? "0" : `+${formatDuration(t)}`}
              </span>
            ))}
          </span>
        </div>
      )}
      {open && (
        <div className="tl-rows" ref={list.ref} onScroll={list.onScroll}>
          <div style={{ height: list.totalHeight, position: "relative" }}>
            {rows.slice(list.first, list.last).map(({ r, spans }, i) => (
              <div
                key={r.key}
                data-critical={critical.has(r.key) || undefined}
                data-failed={r.failure ? `${r.failure.action}_FAILED` : undefined}
                title={r.failure ? `${r.failure.action}_FAILED: ${r.failure.reason}` : undefined}
                className={`tl-row${r.key === selected ? " tl-selected" : ""}${critical.has(r.key) ? " tl-critical" : ""}${r.failure ? " tl-failed" : ""}`}
                style={{ top: (list.first + i) * ROW_H }}
                onClick={() => onSelect(r.key === selected ? undefined : r.key)}
              >
                <span className="tl-name" title={r.key}>
                  {r.key}
                </span>
                <span className="tl-track">
                  {spans.map((s, j) => (
                    <span
                      key={j}
                      className={`tl-bar tone-bg-${toneOf(s.status, s.action)}${s.end === undefined ? " tl-running" : ""}`}
                      style={{ left: pct(s.start), width: `max(3px, calc(${pct(s.end ?? now)} - ${pct(s.start)}))` }}
                      title={`${s.action}_${s.status} · ${formatDuration((s.end ?? now) - s.start)}`}
                    />
                  ))}
                </span>
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
