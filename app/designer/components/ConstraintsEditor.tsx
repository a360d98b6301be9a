"use client";
import type { HeatConstraint } from "../model/constraints";
import { TextField } from "./TextField";

type Kind = "allowed_values" | "range" | "length" | "allowed_pattern";
const KINDS: readonly Kind[] = ["allowed_values", "range", "length", "allowed_pattern"];

interface Props {
  parameter: string;
  /** The parameter's type: allowed values of a number parameter are written as numbers. */
  type: string;
  constraints: readonly HeatConstraint[];
  defaultValue: unknown;
  readOnly: boolean;
  /** Writes constraint at index (index = count appends; undefined removes it); returns an error message. */
  onSet: (index: number, c: HeatConstraint | undefined) => string | undefined;
}

const kindOf = (c: HeatConstraint): Kind | undefined => KINDS.find((k) => c[k] !== undefined);

const toNumber = (text: string): number | undefined | Error => (text.trim() === "" ? undefined : Number.isFinite(Number(text)) ? Number(text) : new Error("a number expected"));

function starter(kind: Kind, type: string, defaultValue: unknown): HeatConstraint {
  if (kind === "range") return { range: { min: 0 } };
  if (kind === "length") return { length: { min: 1 } };
  if (kind === "allowed_pattern") return { allowed_pattern: "[a-z0-9-]+" };
  return { allowed_values: [defaultValue ?? (type === "number" ? 0 : "value")] };
}

/** A parameter's constraints: allowed values, range, length and pattern as fields; others shown as written. */
export function ConstraintsEditor({ parameter, type, constraints, defaultValue, readOnly, onSet }: Props) {
  const bound = (i: number, c: HeatConstraint, kind: "range" | "length", end: "min" | "max") => (text: string) => {
    const n = toNumber(text);
    if (n instanceof Error) return n.message;
    const next: { min?: number; max?: number } = { ...c[kind], [end]: n };
    if (next.min === undefined && next.max === undefined) return "give a minimum or a maximum";
    return onSet(i, { ...c, [kind]: next });
  };
  return (
    <div className="constraints" data-testid="constraints">
      <span className="field-label">constraints</span>
      {constraints.map((c, i) => {
        const kind = kindOf(c);
        return (
          <div key={`${i}\u0000${JSON.stringify(c)}`} className="constraint" data-kind={kind ?? "other"}>
            <div className="constraint-head">
              <code>{kind ?? Object.keys(c).filter((k) => k !== "description").join(", ")}</code>
              {!readOnly && (
                <button type="button" className="link-button" onClick={() => onSet(i, undefined)} aria-label={`Remove the ${kind ?? ""} constraint of ${parameter}`}>
                  remove
                </button>
              )}
            </div>
            <div className="constraint-fields">
              {(kind === "range" || kind === "length") && (
                <>
                  <TextField label="min" value={String(c[kind]?.min ?? "")} inputMode="decimal" readOnly={readOnly} onCommit={bound(i, c, kind, "min")} />
                  <TextField label="max" value={String(c[kind]?.max ?? "")} inputMode="decimal" readOnly={readOnly} onCommit={bound(i, c, kind, "max")} />
                </>
              )}
              {kind === "allowed_values" && (
                <TextField
                  label="values, comma-separated"
                  value={(c.allowed_values ?? []).map(String).join(", ")}
                  readOnly={readOnly}
                  onCommit={(text) => {
                    const items = text.split(",").map((v) => v.trim()).filter(Boolean);
                    if (!items.length) return "give at least one value";
                    const values = type === "number" ? items.map(Number) : items;
                    if (values.some((v) => typeof v === "number" && !Number.isFinite(v))) return "numbers expected";
                    return onSet(i, { ...c, allowed_values: values });
                  }}
                />
              )}
              {kind === "allowed_pattern" && <TextField label="pattern" code value={c.allowed_pattern ?? ""} readOnly={readOnly} onCommit={(text) => onSet(i, { ...c, allowed_pattern: text })} />}
              {kind && <TextField label="description" value={c.description ?? ""} placeholder="shown when the value breaks it" readOnly={readOnly} onCommit={(text) => onSet(i, { ...c, description: text || undefined })} />}
            </div>
          </div>
        );
      })}
      {!readOnly && (
        <select className="input input-small constraint-add" value="" aria-label={`Add a constraint to ${parameter}`} onChange={(e) => e.target.value && onSet(constraints.length, starter(e.target.value as Kind, type, defaultValue))}>
          <option value="">add a constraint…</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
