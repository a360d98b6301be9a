"use client";
import type { Section } from "../model/sections";

export type SideTab = "resource" | Section | "environment";

const LABELS: Record<SideTab, string> = { resource: "Resource", parameters: "Parameters", outputs: "Outputs", conditions: "Conditions", environment: "Environment" };

/** What the panel above the YAML shows: the selected resource, one of the template's sections, or the launch environment. */
export function SideTabs({ tab, counts, environment, onTab }: { tab: SideTab; counts: Record<Section, number>; environment: boolean; onTab: (t: SideTab) => void }) {
  const tabs = (Object.keys(LABELS) as SideTab[]).filter((t) => environment || t !== "environment");
  return (
    <div className="side-tabs" role="tablist" aria-label="Template parts">
      {tabs.map((t) => (
        <button key={t} type="button" role="tab" aria-selected={tab === t} className={`side-tab${tab === t ? " side-tab-active" : ""}`} onClick={() => onTab(t)}>
          {LABELS[t]}
          {t !== "resource" && t !== "environment" && counts[t] > 0 && <span className="side-tab-count">{counts[t]}</span>}
        </button>
      ))}
    </div>
  );
}
