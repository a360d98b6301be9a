"use client";
import type { ReactNode } from "react";
import type { Section, SectionEntry } from "../model/sections";
import { ConditionsPanel } from "./ConditionsPanel";
import { EnvironmentPanel } from "./EnvironmentPanel";
import type { Choices } from "./IntrinsicPicker";
import { OutputsPanel } from "./OutputsPanel";
import { ParametersPanel } from "./ParametersPanel";
import type { EditFn } from "./SectionParts";
import { SideTabs, type SideTab } from "./SideTabs";

interface Props {
  tab: SideTab;
  onTab: (t: SideTab) => void;
  sections: Record<Section, SectionEntry[]>;
  /** The launch environment's YAML and its edits; no Environment tab without it (editing a running stack). */
  environment?: { text: string; onEdit: EditFn };
  choices: Choices;
  readOnly: boolean;
  onEdit: EditFn;
  /** The Inspector of the one selected resource, if one is. */
  inspector: ReactNode;
  selectionCount: number;
}

/** The tabs above the YAML: the selected resource, the template's sections, and the launch environment. */
export function TemplatePanels({ tab, onTab, sections, environment, choices, readOnly, onEdit, inspector, selectionCount }: Props) {
  const counts = { parameters: sections.parameters.length, outputs: sections.outputs.length, conditions: sections.conditions.length };
  return (
    <>
      <SideTabs tab={tab} environment={!!environment} counts={counts} onTab={onTab} />
      {tab === "parameters" && (
        <section className="side-panel" aria-label="Parameters">
          <ParametersPanel entries={sections.parameters} readOnly={readOnly} onEdit={onEdit} />
        </section>
      )}
      {tab === "outputs" && (
        <section className="side-panel" aria-label="Outputs">
          <OutputsPanel entries={sections.outputs} choices={choices} readOnly={readOnly} onEdit={onEdit} />
        </section>
      )}
      {tab === "conditions" && (
        <section className="side-panel" aria-label="Conditions">
          <ConditionsPanel entries={sections.conditions} readOnly={readOnly} onEdit={onEdit} />
        </section>
      )}
      {tab === "environment" && environment && (
        <section className="side-panel" aria-label="Environment">
          <EnvironmentPanel text={environment.text} parameters={sections.parameters} readOnly={false} onEdit={environment.onEdit} />
        </section>
      )}
      {tab === "resource" &&
        (inspector ?? (
          <p className="side-hint muted small" data-testid="selection-hint">
            {selectionCount > 1 ? `${selectionCount} resources selected: Delete removes them, Ctrl+C then Ctrl+V duplicates them.` : "Select a resource on the canvas to edit its name and properties. Shift-click or shift-drag selects several."}
          </p>
        ))}
    </>
  );
}
