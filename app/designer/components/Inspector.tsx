"use client";
import { useEffect, useState } from "react";
import { constraintProblems, parseFieldValue, type HeatConstraint } from "../model/constraints";
import { RESOURCE_NAME } from "../model/hotDocument";
import type { Problem } from "../model/problems";

export interface PropertySchemaJson {
  type: string;
  description?: string;
  required: boolean;
  update_allowed: boolean;
  immutable: boolean;
  default?: unknown;
  constraints?: HeatConstraint[];
}

export interface TypeSchema {
  resource_type: string;
  description?: string;
  properties: Record<string, PropertySchemaJson>;
  attributes: Record<string, { description: string; type?: string }>;
}

interface Props {
  name: string;
  type: string;
  schema: TypeSchema | null | undefined;
  values: Record<string, unknown>;
  yaml: Record<string, string>;
  problems: Problem[];
  readOnly: boolean;
  onRename: (to: string) => string | undefined;
  onSetValue: (property: string, value: unknown) => void;
  onSetYaml: (property: string, yaml: string) => string | undefined;
  onDelete: () => void;
  onClose: () => void;
}

const isScalarValue = (v: unknown) => v === undefined || v === null || ["string", "number", "boolean"].includes(typeof v);
const FORM_TYPES = new Set(["string", "integer", "number", "boolean"]);

/** The selected resource: its name, and a form generated from its type's property schema. */
export function Inspector(props: Props) {
  const { name, type, schema, values, yaml, problems, readOnly } = props;
  const [draftName, setDraftName] = useState(name);
  const [nameError, setNameError] = useState<string>();
  useEffect(() => {
    setDraftName(name);
    setNameError(undefined);
  }, [name]);

  const commitName = () => {
    const to = draftName.trim();
    if (to === name) return;
    if (!RESOURCE_NAME.test(to)) return setNameError("Use letters, digits, _ . or -");
    const err = props.onRename(to);
    setNameError(err);
    if (err) return;
  };

  const schemaProps = schema ? Object.entries(schema.properties).sort(([a, pa], [b, pb]) => Number(pb.required) - Number(pa.required) || Number(b in values) - Number(a in values) || a.localeCompare(b)) : [];
  const extra = Object.keys(values).filter((k) => !schema?.properties[k]);
  const general = problems.filter((p) => !/\.properties\.[^.]+/.test(p.path));
  const problemFor = (prop: string) => problems.filter((p) => p.path.includes(`.properties.${prop}`)).map((p) => p.message);

  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      <div className="inspector-head">
        <label className="field inspector-name">
          <span className="field-label">Resource name</span>
          <input
            className="input input-small"
            value={draftName}
            disabled={readOnly}
            aria-label="Resource name"
            aria-invalid={!!nameError}
            spellCheck={false}
            onChange={(e) => {
              setDraftName(e.target.value);
              setNameError(e.target.value && !RESOURCE_NAME.test(e.target.value.trim()) ? "Use letters, digits, _ . or -" : undefined);
            }}
            onBlur={commitName}
            onKeyDown={(e) => {
              if (e.key === "Enter") commitName();
              if (e.key === "Escape") setDraftName(name);
            }}
          />
          {nameError && <span className="field-error">{nameError}</span>}
        </label>
        <button type="button" className="link-button inspector-close" onClick={props.onClose} aria-label="Close the inspector">
          ✕
        </button>
      </div>
      <p className="inspector-type">
        <code>{type || "no type"}</code>
        {schema === null && <span className="muted small"> — not a registered type; properties are kept as written.</span>}
      </p>
      {schema?.description && <p className="field-hint inspector-desc">{schema.description}</p>}
      {general.length > 0 && (
        <ul className="problems inspector-problems">
          {general.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      <div className="inspector-props">
        {schema === undefined && <p className="muted small">Loading the type’s properties…</p>}
        {schemaProps.map(([prop, s]) => (
          <PropertyField
            key={`${prop}\u0000${yaml[prop] ?? ""}`}
            name={prop}
            schema={s}
            present={prop in values}
            value={values[prop]}
            yamlText={yaml[prop] ?? ""}
            serverProblems={problemFor(prop)}
            readOnly={readOnly}
            onSetValue={(v) => props.onSetValue(prop, v)}
            onSetYaml={(t) => props.onSetYaml(prop, t)}
          />
        ))}
        {extra.map((prop) => (
          <PropertyField
            key={`${prop}\u0000${yaml[prop] ?? ""}`}
            name={prop}
            present
            value={values[prop]}
            yamlText={yaml[prop] ?? ""}
            serverProblems={problemFor(prop)}
            readOnly={readOnly}
            onSetValue={(v) => props.onSetValue(prop, v)}
            onSetYaml={(t) => props.onSetYaml(prop, t)}
          />
        ))}
      </div>
      {!readOnly && (
        <div className="inspector-foot">
          <button type="button" className="button button-small button-danger-quiet" onClick={props.onDelete}>
            Delete resource
          </button>
        </div>
      )}
    </section>
  );
}

interface FieldProps {
  name: string;
  schema?: PropertySchemaJson;
  present: boolean;
  value: unknown;
  yamlText: string;
  serverProblems: string[];
  readOnly: boolean;
  onSetValue: (v: unknown) => void;
  onSetYaml: (yaml: string) => string | undefined;
}

/** One property: a typed control checked against its constraints as you type, or raw YAML for anything else. */
function PropertyField({ name, schema, present, value, yamlText, serverProblems, readOnly, onSetValue, onSetYaml }: FieldProps) {
  const type = schema?.type ?? "any";
  const formable = !!schema && FORM_TYPES.has(type) && isScalarValue(value);
  const [raw, setRaw] = useState(!formable);
  const [draft, setDraft] = useState(raw ? yamlText : value === undefined || value === null ? "" : String(value));
  const [yamlError, setYamlError] = useState<string>();
  const id = `prop-${name}`;

  const parsed = raw ? undefined : parseFieldValue(type, draft);
  const typed = parsed instanceof Error ? [parsed.message] : constraintProblems(parsed, schema?.constraints);
  const allowed = schema?.constraints?.find((c) => c.allowed_values)?.allowed_values;
  const defaultText = schema?.default !== undefined ? `default: ${typeof schema.default === "string" ? schema.default || '""' : JSON.stringify(schema.default)}` : undefined;

  const commitForm = (text: string) => {
    const v = parseFieldValue(type, text);
    if (v instanceof Error) return;
    if (v === undefined && !present) return;
    if (v !== undefined && String(v) === String(value) && typeof v === typeof value) return;
    onSetValue(v);
  };
  const commitYaml = () => {
    if (draft === yamlText) return;
    if (draft.trim() === "") return onSetValue(undefined);
    setYamlError(onSetYaml(draft));
  };

  let control;
  if (raw) {
    control = (
      <textarea
        id={id}
        className="input code-input input-small"
        rows={Math.min(8, Math.max(1, draft.split("\n").length))}
        value={draft}
        disabled={readOnly}
        spellCheck={false}
        placeholder={defaultText ?? "YAML, e.g. { get_param: name }"}
        onChange={(e) => {
          setDraft(e.target.value);
          setYamlError(undefined);
        }}
        onBlur={commitYaml}
        aria-invalid={!!yamlError}
      />
    );
  } else if (type === "boolean" || allowed) {
    const options = type === "boolean" ? ["true", "false"] : allowed!.map(String);
    control = (
      <select
        id={id}
        className="input input-small"
        value={draft}
        disabled={readOnly}
        onChange={(e) => {
          setDraft(e.target.value);
          commitForm(e.target.value);
        }}
      >
        <option value="">{defaultText ? `(${defaultText})` : "(not set)"}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        id={id}
        className="input input-small"
        value={draft}
        disabled={readOnly}
        inputMode={type === "integer" || type === "number" ? "decimal" : undefined}
        placeholder={defaultText}
        spellCheck={false}
        aria-invalid={typed.length > 0}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => commitForm(draft)}
        onKeyDown={(e) => {
          if (e.key === "Enter") commitForm(draft);
        }}
      />
    );
  }

  const problems = [...(yamlError ? [yamlError] : []), ...(serverProblems.length ? serverProblems : typed)];
  return (
    <div className="field prop-field" data-testid="property-field" data-property={name}>
      <div className="field-row">
        <label className="field-label" htmlFor={id}>
          {name}
          <span className="param-type">{type}</span>
          {schema?.required && <span className="param-required">required</span>}
        </label>
        {!readOnly && (!raw || formable) && (
          <button
            type="button"
            className="link-button prop-mode"
            onClick={() => {
              setRaw(!raw);
              setDraft(!raw ? (present ? yamlText : "") : value === undefined || value === null ? "" : String(value));
            }}
            title={raw ? "Edit with a form control" : "Edit as YAML: intrinsic functions such as get_param or get_attr"}
          >
            {raw ? "form" : "YAML"}
          </button>
        )}
      </div>
      {control}
      {problems.map((p, i) => (
        <span key={i} className="field-error">
          {p}
        </span>
      ))}
      {schema?.description && <span className="field-hint">{schema.description}</span>}
    </div>
  );
}
