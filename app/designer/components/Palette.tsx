"use client";
import { useMemo, useState } from "react";

export interface PaletteType {
  resource_type: string;
  description?: string;
}

export const DRAG_TYPE = "application/x-kiln-resource-type";

const namespaceOf = (t: string) => t.split("::").slice(0, -1).join("::") || "Other";

/** Resource types to drag or click onto the canvas, searchable, grouped by namespace. */
export function Palette({ types, loading, onAdd }: { types: PaletteType[]; loading: boolean; onAdd: (type: string) => void }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const out = new Map<string, PaletteType[]>();
    for (const t of types) {
      if (q && !t.resource_type.toLowerCase().includes(q) && !(t.description ?? "").toLowerCase().includes(q)) continue;
      const ns = namespaceOf(t.resource_type);
      const group = out.get(ns);
      if (group) group.push(t);
      else out.set(ns, [t]);
    }
    return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [types, query]);

  return (
    <aside className="palette" aria-label="Resource types" data-testid="palette">
      <input className="input input-small" type="search" placeholder="Search types…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search resource types" />
      <div className="palette-list">
        {loading && <p className="muted small">Loading types…</p>}
        {!loading && groups.length === 0 && <p className="muted small">No type matches “{query}”.</p>}
        {groups.map(([ns, list]) => (
          <section key={ns} className="palette-group">
            <h3>{ns}</h3>
            {list.map((t) => {
              const short = t.resource_type.slice(ns.length + 2) || t.resource_type;
              return (
                <button
                  key={t.resource_type}
                  type="button"
                  className="palette-item"
                  draggable
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_TYPE, t.resource_type);
                    e.dataTransfer.effectAllowed = "copy";
                  }}
                  onClick={() => onAdd(t.resource_type)}
                  title={`${t.resource_type}${t.description ? `\n${t.description}` : ""}\nClick or drag onto the canvas`}
                  data-type={t.resource_type}
                >
                  <span className="palette-name">{short}</span>
                  {t.description && <span className="palette-desc">{t.description}</span>}
                </button>
              );
            })}
          </section>
        ))}
      </div>
    </aside>
  );
}
