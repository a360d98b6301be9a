"use client";
import { addEntry, removeEntry, renameOutput, setEntryField, setEntryFieldYaml } from "../model/sections";
import type { Choices } from "./IntrinsicPicker";
import { EntryHead, NameField, NewEntry, shortYaml, useOpenEntries, type SectionPanelProps } from "./SectionParts";
import { TextField } from "./TextField";
import { ValueField } from "./ValueField";

interface Props extends SectionPanelProps {
  choices: Choices;
}

/** The template's outputs: a description and a value, picked like a property's or written as YAML. */
export function OutputsPanel({ entries, choices, readOnly, onEdit }: Props) {
  const open = useOpenEntries();
  return (
    <div className="section-panel" data-testid="outputs-panel">
      {!readOnly && <NewEntry what="output" onAdd={(name) => onEdit((t) => addEntry(t, "outputs", name, { value: "" }))} onAdded={(name) => open.toggle(name, true)} />}
      {entries.length === 0 && <p className="muted small">No outputs. An output is a value the stack reports once it is created, often a resource’s attribute.</p>}
      {entries.map(({ name, values, yaml }) => {
        const set = (key: string, value: unknown) => onEdit((t) => setEntryField(t, "outputs", name, key, value));
        return (
          <details key={name} className="section-entry" data-testid="output" data-name={name} open={open.isOpen(name)} onToggle={(e) => open.toggle(name, e.currentTarget.open)}>
            <EntryHead name={name} summary={yaml.value ? shortYaml(yaml.value) : "no value"} readOnly={readOnly} onDelete={() => onEdit((t) => removeEntry(t, "outputs", name))} />
            <div className="section-entry-body">
              <NameField name={name} readOnly={readOnly} rename={(to) => onEdit((t) => renameOutput(t, name, to))} onRenamed={(to) => open.renamed(name, to)} />
              <TextField key={`desc\u0000${values.description ?? ""}`} label="description" value={String(values.description ?? "")} readOnly={readOnly} onCommit={(v) => set("description", v || undefined)} />
              <ValueField
                key={`value\u0000${yaml.value ?? ""}`}
                id={`output-value-${name}`}
                name="value"
                formType="string"
                present={"value" in values}
                value={values.value}
                yamlText={yaml.value ?? ""}
                serverProblems={[]}
                choices={choices}
                readOnly={readOnly}
                onSetValue={(v) => set("value", v ?? "")}
                onSetYaml={(y) => onEdit((t) => setEntryFieldYaml(t, "outputs", name, "value", y))}
              />
            </div>
          </details>
        );
      })}
    </div>
  );
}
