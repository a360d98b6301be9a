"use client";
import { useState, type FormEvent } from "react";
import { ParameterField, initialValue, type ParameterSchema } from "../../stacks/new/ParameterField";
import type { ParameterValues } from "../../stacks/new/parametersToSend";
import { stackNameProblem } from "../../../server/engine/stackName";


interface Props {
  schema: ParameterSchema[];
  values: ParameterValues;
  onValues: (v: ParameterValues) => void;
  blocking: string[];
  onLaunch: (name: string, rollback: boolean) => Promise<string | undefined>;
  onCancel: () => void;
}


/** Launch the drawn template as a new stack: a name, and a form from the template's parameters. */
export function LaunchDialog({ schema, values, onValues, blocking, onLaunch, onCancel }: Props) {
  const [name, setName] = useState("");
  const [rollback, setRollback] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const nameProblem = name ? stackNameProblem(name) : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const err = await onLaunch(name.trim(), rollback);
    if (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && !busy && onCancel()}>
      <form className="dialog-box launch" role="dialog" aria-modal="true" aria-label="Launch stack" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()} data-testid="launch-dialog">
        <h2>Launch a stack</h2>
        <label className="field">
          <span className="field-label">Stack name</span>
          <input className="input" name="stack-name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus autoComplete="off" spellCheck={false} placeholder="my-stack" aria-invalid={!!nameProblem} />
          {nameProblem && <span className="field-error">{nameProblem}</span>}
        </label>
        {schema.length > 0 && (
          <div className="params-form launch-params">
            {schema.map((p) => (
              <ParameterField key={p.name} schema={p} value={values[p.name] ?? initialValue(p)} onChange={(v) => onValues({ ...values, [p.name]: v })} />
            ))}
          </div>
        )}
        <label className="check">
          <input type="checkbox" checked={rollback} onChange={(e) => setRollback(e.target.checked)} />
          <span>
            Roll back on failure
            <span className="field-hint">Delete what was created if any resource fails.</span>
          </span>
        </label>
        {blocking.length > 0 && (
          <div className="notice notice-error small">
            Fix the template first:
            <ul className="problems">
              {blocking.slice(0, 5).map((b, i) => (
                <li key={i}>{b}</li>
              ))}
            </ul>
          </div>
        )}
        {error && (
          <div className="notice notice-error small" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy || !name || !!nameProblem || blocking.length > 0}>
            {busy ? "Launching…" : "Launch"}
          </button>
        </div>
      </form>
    </div>
  );
}
