"use client";
import { useState } from "react";

interface Props {
  label: string;
  value: string;
  placeholder?: string;
  readOnly: boolean;
  /** Called on blur or Enter when the text changed; a returned message is shown under the field. */
  onCommit: (text: string) => string | undefined | void;
  code?: boolean;
  inputMode?: "decimal";
}

/** A labelled text input that writes to the template when the author leaves it, not on every key. */
export function TextField({ label, value, placeholder, readOnly, onCommit, code, inputMode }: Props) {
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string>();
  const commit = () => {
    if (draft !== value) setError(onCommit(draft) || undefined);
  };
  return (
    <label className="field section-field">
      <span className="field-label">{label}</span>
      <input
        className={`input input-small${code ? " code-input" : ""}`}
        value={draft}
        placeholder={placeholder}
        disabled={readOnly}
        spellCheck={false}
        inputMode={inputMode}
        aria-invalid={!!error}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(undefined);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setDraft(value);
        }}
      />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}
