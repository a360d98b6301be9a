"use client";
import type { Section } from "../model/sections";

export type SideTab = "resource" | Section;

const LABELS: Record<SideTab, string> = { resource: "Resource", parameters: "Parameters", outputs: "Outputs", conditions: "Conditions" };

/** What the panel above the YAML shows: the selected resource, or one of the template's sections. */
export function SideTabs({ tab, counts, onTab }: { tab: SideTab; counts: Record<Section, number>; onTab: (t: SideTab) => void }) {
  return (
    <div className="side-tabs" role="tablist" aria-label="Template parts">
      {(Object.keys(LABELS) as SideTab[]).map((t) => (
        <button key={t} type="button" role="tab" aria-selected={tab === t} className={`side-tab${tab === t ? " side-tab-active" : ""}`} onClick={() => onTab(t)}>
          {LABELS[t]}
          {t !== "resource" && counts[t] > 0 && <span className="side-tab-count">{counts[t]}</span>}
        </button>
      ))}
    </div>
  );
}
