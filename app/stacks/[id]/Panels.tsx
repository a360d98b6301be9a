"use client";
import { memo, useState } from "react";
import type { StackView } from "./useLiveStack";

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button-small"
      aria-label={`Copy ${label}`}
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

/** One labelled row of a key/value list (`<dl className="kv">`). */
export function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="kv-row">
      <dt>
        <span className="kv-key" title={label}>
          {label}
        </span>
      </dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The stack's outputs: value (copyable), description, or the error that kept it from resolving. */
export const OutputsPanel = memo(function OutputsPanel({ outputs }: { outputs: StackView["outputs"] }) {
  return (
    <section className="card panel" data-testid="outputs">
      <h2>Outputs</h2>
      {outputs.length === 0 ? (
        <p className="muted small">This template declares no outputs.</p>
      ) : (
        <dl className="kv">
          {outputs.map((o) => (
            <div key={o.outputKey} className="kv-row" data-testid="output">
              <dt>
                <span className="kv-key">{o.outputKey}</span>
                {o.description && <span className="kv-desc">{o.description}</span>}
              </dt>
              <dd>
                {o.outputError ? (
                  <span className="kv-error">{o.outputError}</span>
                ) : o.outputValue === null || o.outputValue === undefined ? (
                  <span className="muted">not available yet</span>
                ) : (
                  <>
                    <code className="kv-value">{show(o.outputValue)}</code>
                    <CopyButton text={show(o.outputValue)} label={o.outputKey} />
                  </>
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
});

/** The parameters the stack was given (hidden ones come back masked). */
export const ParametersPanel = memo(function ParametersPanel({ parameters }: { parameters: Record<string, unknown> }) {
  const entries = Object.entries(parameters).sort(([a], [b]) => Number(a.startsWith("OS::")) - Number(b.startsWith("OS::")) || a.localeCompare(b));
  return (
    <section className="card panel" data-testid="parameters">
      <h2>Parameters</h2>
      <dl className="kv">
        {entries.map(([k, v]) => (
          <div key={k} className="kv-row">
            <dt>
              <span className={`kv-key${k.startsWith("OS::") ? " muted" : ""}`}>{k}</span>
            </dt>
            <dd>
              <code className="kv-value">{show(v)}</code>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
});
