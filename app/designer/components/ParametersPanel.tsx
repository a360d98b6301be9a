"use client";
import type { HeatConstraint } from "../model/constraints";
import { addEntry, removeEntry, renameParameter, setConstraint, setEntryField, setEntryFieldYaml, type SectionEntry } from "../model/sections";
import { ConstraintsEditor } from "./ConstraintsEditor";
import { NO_CHOICES } from "./IntrinsicPicker";
import { EntryHead, NameField, NewEntry, useOpenEntries, type EditFn, type SectionPanelProps } from "./SectionParts";
import { TextField } from "./TextField";
import { ValueField } from "./ValueField";

export const PARAMETER_TYPES = ["string", "number", "boolean", "json", "comma_delimited_list"] as const;
/** The form control a default of each type gets; json defaults are edited as YAML. */
export const DEFAULT_FORM: Record<string, string | undefined> = { string: "string", number: "number", boolean: "boolean", comma_delimited_list: "string" };

/** The template's parameters: each one's type, default, label, description, hidden flag and constraints. */
export function ParametersPanel({ entries, readOnly, onEdit }: SectionPanelProps) {
  const open = useOpenEntries();
  return (
    <div className="section-panel" data-testid="parameters-panel">
      {!readOnly && <NewEntry what="parameter" withType={PARAMETER_TYPES} onAdd={(name, type) => onEdit((t) => addEntry(t, "parameters", name, { type }))} onAdded={(name) => open.toggle(name, true)} />}
      {entries.length === 0 && <p className="muted small">No parameters. A parameter is a value the stack is given at launch; resources read it with get_param.</p>}
      {entries.map((p) => (
        <Parameter key={p.name} entry={p} open={open.isOpen(p.name)} onToggle={(o) => open.toggle(p.name, o)} onRenamed={(to) => open.renamed(p.name, to)} readOnly={readOnly} onEdit={onEdit} />
      ))}
    </div>
  );
}

interface ParameterProps {
  entry: SectionEntry;
  open: boolean;
  onToggle: (open: boolean) => void;
  onRenamed: (to: string) => void;
  readOnly: boolean;
  onEdit: EditFn;
}

function Parameter({ entry, open, onToggle, onRenamed, readOnly, onEdit }: ParameterProps) {
  const { name, values, yaml } = entry;
  const type = typeof values.type === "string" ? values.type : "string";
  const set = (key: string, value: unknown) => onEdit((t) => setEntryField(t, "parameters", name, key, value));
  const constraints = Array.isArray(values.constraints) ? (values.constraints as HeatConstraint[]) : [];
  const summary = values.default !== undefined ? `default ${JSON.stringify(values.default)}` : "required at launch";
  return (
    <details className="section-entry" data-testid="parameter" data-name={name} open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <EntryHead name={name} tag={type} summary={summary} readOnly={readOnly} onDelete={() => onEdit((t) => removeEntry(t, "parameters", name))} />
      <div className="section-entry-body">
        <NameField name={name} readOnly={readOnly} rename={(to) => onEdit((t) => renameParameter(t, name, to))} onRenamed={onRenamed} />
        <label className="field section-field">
          <span className="field-label">type</span>
          <select className="input input-small" value={type} disabled={readOnly} onChange={(e) => set("type", e.target.value)}>
            {[...new Set([...PARAMETER_TYPES, type])].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <ValueField
          key={`default\u0000${type}\u0000${yaml.default ?? ""}`}
          id={`param-default-${name}`}
          name="default"
          functions={false}
          formType={DEFAULT_FORM[type]}
          constraints={constraints}
          present={"default" in values}
          value={values.default}
          yamlText={yaml.default ?? ""}
          serverProblems={[]}
          choices={NO_CHOICES}
          readOnly={readOnly}
          onSetValue={(v) => set("default", v)}
          onSetYaml={(y) => onEdit((t) => setEntryFieldYaml(t, "parameters", name, "default", y))}
        />
        <TextField key={`label\u0000${values.label ?? ""}`} label="label" value={String(values.label ?? "")} readOnly={readOnly} onCommit={(v) => set("label", v || undefined)} />
        <TextField key={`desc\u0000${values.description ?? ""}`} label="description" value={String(values.description ?? "")} readOnly={readOnly} onCommit={(v) => set("description", v || undefined)} />
        <label className="check small">
          <input type="checkbox" checked={values.hidden === true} disabled={readOnly} onChange={(e) => set("hidden", e.target.checked || undefined)} />
          <span>
            hidden
            <span className="field-hint">Its value is masked in the stack’s details and events.</span>
          </span>
        </label>
        <ConstraintsEditor parameter={name} type={type} constraints={constraints} defaultValue={values.default} readOnly={readOnly} onSet={(i, c) => onEdit((t) => setConstraint(t, name, i, c))} />
      </div>
    </details>
  );
}
