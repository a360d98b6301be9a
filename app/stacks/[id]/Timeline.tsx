"use client";
import { useMemo, useState } from "react";
import { formatDuration, toneOf } from "../../lib/status";
import { useNow } from "../../lib/useNow";
import { criticalPath } from "./criticalPath";
import type { LiveResource } from "./useLiveStack";

/** A Gantt chart of resource actions: one row per resource, one bar per action, on a shared clock. */
export function Timeline({ resources, rev, selected, onSelect }: { resources: Map<string, LiveResource>; rev: number; selected?: string; onSelect: (key: string | undefined) => void }) {
  const [open, setOpen] = useState(true);
  const rows = useMemo(
    () => [...resources.values()].filter((r) => r.spans.length).sort((a, b) => a.spans[0].start - b.spans[0].start || a.key.localeCompare(b.key)),
    [resources, rev], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const running = rows.some((r) => r.spans.some((s) => s.end === undefined));
  const now = useNow(running);
  const critical = useMemo(() => criticalPath(resources, now), [resources, rev, now]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!rows.length) return null;

  const begin = Math.min(...rows.map((r) => r.spans[0].start));
  const end = Math.max(begin + 1000, ...rows.flatMap((r) => r.spans.map((s) => s.end ?? now)));
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
        <div className="tl-rows">
          {rows.map((r) => (
            <div
              key={r.key}
              data-critical={critical.has(r.key) || undefined}
              className={`tl-row${r.key === selected ? " tl-selected" : ""}${critical.has(r.key) ? " tl-critical" : ""}`} onClick={() => onSelect(r.key === selected ? undefined : r.key)}>
              <span className="tl-name" title={r.key}>
                {r.key}
              </span>
              <span className="tl-track">
                {r.spans
                  .filter((s) => (s.end ?? now) >= begin)
                  .map((s, i) => (
                    <span
                      key={i}
                      className={`tl-bar tone-bg-${toneOf(s.status, s.action)}${s.end === undefined ? " tl-running" : ""}`}
                      style={{ left: pct(s.start), width: `max(3px, calc(${pct(s.end ?? now)} - ${pct(s.start)}))` }}
                      title={`${s.action}_${s.status} · ${formatDuration((s.end ?? now) - s.start)}`}
                    />
                  ))}
              </span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
