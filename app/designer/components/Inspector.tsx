"use client";
import { useEffect, useState } from "react";
import type { HeatConstraint } from "../model/constraints";
import { RESOURCE_NAME } from "../model/hotDocument";
import type { Problem } from "../model/problems";
import type { Choices } from "./IntrinsicPicker";
import { MapField, isKeyedMap } from "./MapField";
import { ValueField, type ValueFieldProps } from "./ValueField";

export interface PropertySchemaJson {
  type: string;
  description?: string;
  required: boolean;
  update_allowed: boolean;
  immutable: boolean;
  default?: unknown;
  constraints?: HeatConstraint[];
  /** A map's known keys. */
  schema?: Record<string, PropertySchemaJson>;
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
  choices: Choices;
  readOnly: boolean;
  onRename: (to: string) => string | undefined;
  onSetValue: (property: string, value: unknown) => void;
  onSetYaml: (property: string, yaml: string) => string | undefined;
  onDelete: () => void;
  onClose: () => void;
}

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
    setNameError(props.onRename(to));
  };

  const schemaProps = schema ? Object.entries(schema.properties).sort(([a, pa], [b, pb]) => Number(pb.required) - Number(pa.required) || Number(b in values) - Number(a in values) || a.localeCompare(b)) : [];
  const extra = Object.keys(values).filter((k) => !schema?.properties[k]);
  const general = problems.filter((p) => !/\.properties\.[^.]+/.test(p.path));
  const problemFor = (prop: string) => problems.filter((p) => p.path.includes(`.properties.${prop}`)).map((p) => p.message);
  const field = (prop: string): Omit<ValueFieldProps, "formType"> => ({
    id: `prop-${prop}`,
    name: prop,
    present: prop in values,
    value: values[prop],
    yamlText: yaml[prop] ?? "",
    serverProblems: problemFor(prop),
    choices: props.choices,
    readOnly,
    onSetValue: (v) => props.onSetValue(prop, v),
    onSetYaml: (t) => props.onSetYaml(prop, t),
  });

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
        {schemaProps.map(([prop, s]) =>
          isKeyedMap(s, values[prop]) ? (
            <MapField key={prop} name={prop} schema={s} value={values[prop]} problems={problems.filter((p) => p.path.includes(`.properties.${prop}`))} tags={<PropertyTags type={s.type} required={s.required} />} choices={props.choices} readOnly={readOnly} onSetValue={(v) => props.onSetValue(prop, v)} />
          ) : (
            <ValueField key={`${prop}\u0000${yaml[prop] ?? ""}`} {...field(prop)} formType={s.type} constraints={s.constraints} defaultValue={s.default} description={s.description} tags={<PropertyTags type={s.type} required={s.required} />} />
          ),
        )}
        {extra.map((prop) => (
          <ValueField key={`${prop}\u0000${yaml[prop] ?? ""}`} {...field(prop)} tags={<PropertyTags type="any" required={false} />} />
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

function PropertyTags({ type, required }: { type: string; required: boolean }) {
  return (
    <>
      <span className="param-type">{type}</span>
      {required && <span className="param-required">required</span>}
    </>
  );
}
