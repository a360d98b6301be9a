"use client";
import { addEntry, removeEntry, setEntryYaml } from "../model/sections";
import { EntryHead, NewEntry, YamlArea, type SectionPanelProps } from "./SectionParts";

/** The template's conditions, each as the YAML of its definition. */
export function ConditionsPanel({ entries, readOnly, onEdit }: SectionPanelProps) {
  return (
    <div className="section-panel" data-testid="conditions-panel">
      {!readOnly && <NewEntry what="condition" onAdd={(name) => onEdit((t) => addEntry(t, "conditions", name, true))} />}
      {entries.length === 0 && (
        <p className="muted small">
          No conditions. A condition such as <code>{"{equals: [{get_param: env}, prod]}"}</code> lets a resource or output exist only when it holds.
        </p>
      )}
      {entries.map((c) => (
        <details key={c.name} className="section-entry" data-testid="condition" data-name={c.name} open>
          <EntryHead name={c.name} readOnly={readOnly} onDelete={() => onEdit((t) => removeEntry(t, "conditions", c.name))} />
          <div className="section-entry-body">
            <YamlArea key={c.entryYaml} label={`Condition ${c.name}`} value={c.entryYaml} readOnly={readOnly} onCommit={(y) => onEdit((t) => setEntryYaml(t, "conditions", c.name, y))} />
          </div>
        </details>
      ))}
    </div>
  );
}
