"use client";
import { useState, type ReactNode } from "react";
import { constraintProblems, parseFieldValue, type HeatConstraint } from "../model/constraints";
import { INTRINSICS, intrinsicValue, readIntrinsic, type IntrinsicName } from "../model/intrinsics";
import { IntrinsicPicker, type Choices } from "./IntrinsicPicker";

type Mode = "value" | "yaml" | IntrinsicName;

export interface ValueFieldProps {
  /** Unique in the page: the control's id. */
  id: string;
  name: string;
  /** Label adornments after the name (type, "required"). */
  tags?: ReactNode;
  /** The type a plain form control edits (string, integer, number, boolean); without one only functions and YAML. */
  formType?: string;
  /** False for values that cannot be functions (a parameter's default): a plain value or YAML only. */
  functions?: boolean;
  constraints?: readonly HeatConstraint[];
  defaultValue?: unknown;
  description?: string;
  present: boolean;
  value: unknown;
  yamlText: string;
  serverProblems: readonly string[];
  choices: Choices;
  readOnly: boolean;
  onSetValue: (v: unknown) => void;
  onSetYaml: (yaml: string) => string | undefined;
}

const FORM_TYPES = new Set(["string", "integer", "number", "boolean"]);
const isScalarValue = (v: unknown) => v === undefined || v === null || ["string", "number", "boolean"].includes(typeof v);
const scalarText = (v: unknown) => (isScalarValue(v) && v !== undefined && v !== null ? String(v) : "");
const MODE_LABEL: Record<Mode, string> = { value: "value", get_param: "get_param", get_resource: "get_resource", get_attr: "get_attr", yaml: "YAML" };

/**
 * One value: a typed control checked against its constraints as you type, a picker for
 * get_param / get_resource / get_attr, or raw YAML for anything else.
 */
export function ValueField(props: ValueFieldProps) {
  const { id, name, formType, constraints, present, value, yamlText, readOnly } = props;
  const type = formType ?? "any";
  const formable = formType !== undefined && FORM_TYPES.has(formType);
  const intrinsic = readIntrinsic(value);
  const [mode, setMode] = useState<Mode>(intrinsic?.fn ?? (formable && isScalarValue(value) ? "value" : "yaml"));
  const [draft, setDraft] = useState(mode === "yaml" ? yamlText : scalarText(value));
  const [yamlError, setYamlError] = useState<string>();

  const parsed = mode === "value" ? parseFieldValue(type, draft) : undefined;
  const typed = parsed instanceof Error ? [parsed.message] : constraintProblems(parsed, constraints);
  const allowed = constraints?.find((c) => c.allowed_values)?.allowed_values;
  const defaultText = props.defaultValue !== undefined ? `default: ${typeof props.defaultValue === "string" ? props.defaultValue || '""' : JSON.stringify(props.defaultValue)}` : undefined;

  const commitForm = (text: string) => {
    const v = parseFieldValue(type, text);
    if (v instanceof Error) return;
    if (v === undefined && !present) return;
    if (v !== undefined && String(v) === String(value) && typeof v === typeof value) return;
    props.onSetValue(v);
  };
  const commitYaml = () => {
    if (draft === yamlText) return;
    if (draft.trim() === "") return props.onSetValue(undefined);
    setYamlError(props.onSetYaml(draft));
  };
  const switchTo = (m: Mode) => {
    setMode(m);
    setYamlError(undefined);
    setDraft(m === "yaml" ? (present ? yamlText : "") : scalarText(value));
  };

  let control;
  if (mode === "yaml") {
    control = (
      <textarea
        id={id}
        className="input code-input input-small"
        rows={Math.min(8, Math.max(1, draft.split("\n").length))}
        value={draft}
        disabled={readOnly}
        spellCheck={false}
        placeholder={defaultText ?? "YAML, e.g. { list_join: [',', [a, b]] }"}
        onChange={(e) => {
          setDraft(e.target.value);
          setYamlError(undefined);
        }}
        onBlur={commitYaml}
        aria-invalid={!!yamlError}
      />
    );
  } else if (mode !== "value") {
    control = <IntrinsicPicker id={id} fn={mode} current={intrinsic} choices={props.choices} readOnly={readOnly} onPick={(i) => props.onSetValue(intrinsicValue(i))} />;
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

  const modes: Mode[] = [...(formable ? (["value"] as const) : []), ...(props.functions === false ? [] : INTRINSICS), "yaml"];
  const problems = [...(yamlError ? [yamlError] : []), ...(props.serverProblems.length ? props.serverProblems : typed)];
  return (
    <div className="field prop-field" data-testid="property-field" data-property={name}>
      <div className="field-row">
        <label className="field-label" htmlFor={id}>
          {name}
          {props.tags}
        </label>
        {!readOnly && (
          <select className="prop-mode" value={mode} onChange={(e) => switchTo(e.target.value as Mode)} aria-label={`How ${name} is given`} title="A plain value, a function of the template's parameters or resources, or YAML">
            {modes.map((m) => (
              <option key={m} value={m}>
                {MODE_LABEL[m]}
              </option>
            ))}
          </select>
        )}
      </div>
      {control}
      {problems.map((p, i) => (
        <span key={i} className="field-error">
          {p}
        </span>
      ))}
      {props.description && <span className="field-hint">{props.description}</span>}
    </div>
  );
}
