"use client";
import { useState } from "react";
import { addEntry, removeEntry, setEntryYaml, type SectionEntry } from "../model/sections";
import { EntryHead, NewEntry, type EditFn, type SectionPanelProps } from "./SectionParts";

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
          <ConditionYaml key={c.entryYaml} entry={c} readOnly={readOnly} onEdit={onEdit} />
        </details>
      ))}
    </div>
  );
}

function ConditionYaml({ entry, readOnly, onEdit }: { entry: SectionEntry; readOnly: boolean; onEdit: EditFn }) {
  const [draft, setDraft] = useState(entry.entryYaml);
  const [error, setError] = useState<string>();
  return (
    <div className="section-entry-body">
      <textarea
        className="input code-input input-small"
        aria-label={`Condition ${entry.name}`}
        rows={Math.min(8, Math.max(1, draft.split("\n").length))}
        value={draft}
        disabled={readOnly}
        spellCheck={false}
        aria-invalid={!!error}
        onChange={(e) => (setDraft(e.target.value), setError(undefined))}
        onBlur={() => draft !== entry.entryYaml && setError(onEdit((t) => setEntryYaml(t, "conditions", entry.name, draft)))}
      />
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
