"use client";
import type { ParameterSchema } from "../../../server/engine/template/parameters";

export type { ParameterSchema };

/** The form value a parameter starts with: its default, as the user would type it. */
export function initialValue(p: ParameterSchema): string | boolean {
  if (p.type === "boolean") return p.default === true;
  if (p.default === undefined || p.default === null) return "";
  if (p.type === "json") return JSON.stringify(p.default, null, 2);
  if (p.type === "comma_delimited_list" && Array.isArray(p.default)) return p.default.join(",");
  return String(p.default);
}

/** What to send for a field; undefined leaves the parameter to its default (or to the server's error). */
export function toParameterValue(p: ParameterSchema, v: string | boolean | undefined): unknown {
  if (v === undefined) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "") return undefined;
  return v;
}

function hint(p: ParameterSchema): string | undefined {
  const parts: string[] = [];
  for (const c of p.constraints) {
    if (c.description) parts.push(c.description);
    else if (c.kind === "range") parts.push(c.min !== undefined && c.max !== undefined ? `${c.min} to ${c.max}` : c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`);
    else if (c.kind === "length") parts.push(c.min !== undefined && c.max !== undefined ? `${c.min}–${c.max} characters` : c.min !== undefined ? `at least ${c.min} characters` : `at most ${c.max} characters`);
    else if (c.kind === "allowed_pattern") parts.push(`matches ${c.pattern}`);
    else if (c.kind === "modulo") parts.push(`a multiple of ${c.step}${c.offset ? ` plus ${c.offset}` : ""}`);
  }
  return parts.length ? parts.join("; ") : undefined;
}

/** True for a parameter the stack cannot be created without: no default, and the field empty. */
export function missingValue(p: ParameterSchema, value: string | boolean | undefined): boolean {
  return p.default === undefined && p.type !== "boolean" && (value === undefined || value === "");
}

/** One template parameter as a form field: its type picks the control; hidden ones are password fields. `error` marks it invalid. */
export function ParameterField({ schema: p, value, onChange, error }: { schema: ParameterSchema; value: string | boolean; onChange: (v: string | boolean) => void; error?: string }) {
  const id = `param-${p.name}`;
  const allowed = p.constraints.find((c) => c.kind === "allowed_values");
  const label = (
    <span className="field-label">
      {p.label || p.name}
      <span className="param-type">{p.type}</span>
      {p.default === undefined && p.type !== "boolean" && <span className="param-required">required</span>}
    </span>
  );
  const help = [p.description, hint(p)].filter(Boolean).join(" · ");

  if (p.type === "boolean") {
    return (
      <label className="check" htmlFor={id}>
        <input id={id} type="checkbox" name={p.name} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <span>
          {label}
          {help && <span className="field-hint">{help}</span>}
        </span>
      </label>
    );
  }
  let control;
  if (allowed && allowed.kind === "allowed_values") {
    control = (
      <select id={id} name={p.name} className="input" aria-invalid={!!error} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {p.default === undefined && <option value="">Choose…</option>}
        {allowed.values.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  } else if (p.type === "json") {
    control = <textarea id={id} name={p.name} className="input code-input" aria-invalid={!!error} rows={3} value={String(value)} onChange={(e) => onChange(e.target.value)} spellCheck={false} />;
  } else {
    control = (
      <input
        id={id}
        name={p.name}
        className="input"
        aria-invalid={!!error}
        type={p.hidden ? "password" : p.type === "number" ? "number" : "text"}
        autoComplete={p.hidden ? "new-password" : "off"}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
        placeholder={p.type === "comma_delimited_list" ? "a,b,c" : undefined}
        spellCheck={false}
      />
    );
  }
  return (
    <label className="field" htmlFor={id}>
      {label}
      {control}
      {error && <span className="field-error">{error}</span>}
      {help && <span className="field-hint">{help}</span>}
    </label>
  );
}
