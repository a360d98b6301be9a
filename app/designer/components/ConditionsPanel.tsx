"use client";
import { addEntry, removeEntry, renameCondition, setEntryYaml } from "../model/sections";
import { EntryHead, NameField, NewEntry, YamlArea, shortYaml, useOpenEntries, type SectionPanelProps } from "./SectionParts";

/** The template's conditions, each as the YAML of its definition. */
export function ConditionsPanel({ entries, readOnly, onEdit }: SectionPanelProps) {
  const open = useOpenEntries();
  return (
    <div className="section-panel" data-testid="conditions-panel">
      {!readOnly && <NewEntry what="condition" onAdd={(name) => onEdit((t) => addEntry(t, "conditions", name, true))} onAdded={(name) => open.toggle(name, true)} />}
      {entries.length === 0 && (
        <p className="muted small">
          No conditions. A condition such as <code>{"{equals: [{get_param: env}, prod]}"}</code> lets a resource or output exist only when it holds.
        </p>
      )}
      {entries.map((c) => (
        <details key={c.name} className="section-entry" data-testid="condition" data-name={c.name} open={open.isOpen(c.name)} onToggle={(e) => open.toggle(c.name, e.currentTarget.open)}>
          <EntryHead name={c.name} summary={shortYaml(c.entryYaml)} readOnly={readOnly} onDelete={() => onEdit((t) => removeEntry(t, "conditions", c.name))} />
          <div className="section-entry-body">
            <NameField name={c.name} readOnly={readOnly} rename={(to) => onEdit((t) => renameCondition(t, c.name, to))} onRenamed={(to) => open.renamed(c.name, to)} />
            <YamlArea key={c.entryYaml} label={`Condition ${c.name}`} value={c.entryYaml} readOnly={readOnly} onCommit={(y) => onEdit((t) => setEntryYaml(t, "conditions", c.name, y))} />
          </div>
        </details>
      ))}
    </div>
  );
}
