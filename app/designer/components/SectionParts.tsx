"use client";
import { useState, type FormEvent } from "react";
import { ENTRY_NAME, type SectionEntry } from "../model/sections";
import { TextField } from "./TextField";

/** One template edit from a panel: applied as one undo step; returns the error message when it was refused. */
export type EditFn = (edit: (text: string) => string) => string | undefined;

export interface SectionPanelProps {
  entries: readonly SectionEntry[];
  readOnly: boolean;
  onEdit: EditFn;
}

/** Which entries of a panel are open, by name, so that a renamed entry stays open. */
export function useOpenEntries() {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  return {
    isOpen: (name: string) => open.has(name),
    toggle: (name: string, isOpen: boolean) => setOpen((old) => (isOpen === old.has(name) ? old : new Set(isOpen ? [...old, name] : [...old].filter((n) => n !== name)))),
    renamed: (from: string, to: string) => setOpen((old) => new Set([...old].filter((n) => n !== from).concat(to))),
  };
}

/** A name field that renames the entry; the message of a refused rename shows under it. */
export function NameField({ name, readOnly, rename, onRenamed }: { name: string; readOnly: boolean; rename: (to: string) => string | undefined; onRenamed: (to: string) => void }) {
  return (
    <TextField
      label="name"
      value={name}
      code
      readOnly={readOnly}
      onCommit={(text) => {
        const to = text.trim();
        const error = rename(to);
        if (!error) onRenamed(to);
        return error;
      }}
    />
  );
}

/** The always-visible line of a section entry: its name, a tag, a summary, and Delete. */
export function EntryHead({ name, tag, summary, readOnly, onDelete }: { name: string; tag?: string; summary?: string; readOnly: boolean; onDelete: () => void }) {
  return (
    <summary className="section-entry-head">
      <span className="section-entry-name">{name}</span>
      {tag && <span className="param-type">{tag}</span>}
      {summary && <span className="section-entry-summary">{summary}</span>}
      {!readOnly && (
        <button
          type="button"
          className="link-button section-entry-delete"
          aria-label={`Delete ${name}`}
          title={`Delete ${name}`}
          onClick={(e) => {
            e.preventDefault();
            onDelete();
          }}
        >
          ✕
        </button>
      )}
    </summary>
  );
}

/** YAML shortened to fit an entry's head. */
export const shortYaml = (yaml: string) => (yaml.length > 48 ? `${yaml.slice(0, 47)}…` : yaml);

/** The "add" line of a section: a name (and a type for parameters); onAdded follows a successful add. */
export function NewEntry(props: { what: string; withType?: readonly string[]; onAdd: (name: string, type: string) => string | undefined; onAdded: (name: string) => void }) {
  const { what, withType, onAdd } = props;
  const [name, setName] = useState("");
  const [type, setType] = useState(withType?.[0] ?? "");
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!ENTRY_NAME.test(n)) return setError("Use letters, digits, _ . or -, starting with a letter or _");
    const err = onAdd(n, type);
    setError(err);
    if (err) return;
    setName("");
    props.onAdded(n);
  };
  return (
    <form className="section-new" onSubmit={submit}>
      <input className="input input-small" value={name} onChange={(e) => (setName(e.target.value), setError(undefined))} placeholder={`new ${what} name`} aria-label={`New ${what} name`} spellCheck={false} aria-invalid={!!error} />
      {withType && (
        <select className="input input-small section-new-type" value={type} onChange={(e) => setType(e.target.value)} aria-label={`New ${what} type`}>
          {withType.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      )}
      <button type="submit" className="button button-small" disabled={!name.trim()}>
        Add {what}
      </button>
      {error && <span className="field-error section-new-error">{error}</span>}
    </form>
  );
}

/** YAML typed as is, written when the author leaves the box; a refused edit's message shows under it. */
export function YamlArea({ label, value, placeholder, readOnly, onCommit }: { label: string; value: string; placeholder?: string; readOnly: boolean; onCommit: (yaml: string) => string | undefined }) {
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string>();
  return (
    <>
      <textarea
        className="input code-input input-small"
        aria-label={label}
        rows={Math.min(8, Math.max(2, draft.split("\n").length))}
        value={draft}
        placeholder={placeholder}
        disabled={readOnly}
        spellCheck={false}
        aria-invalid={!!error}
        onChange={(e) => (setDraft(e.target.value), setError(undefined))}
        onBlur={() => draft !== value && setError(onCommit(draft))}
      />
      {error && <span className="field-error">{error}</span>}
    </>
  );
}
