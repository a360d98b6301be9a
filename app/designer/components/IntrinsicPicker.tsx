"use client";
import { useState } from "react";
import type { Intrinsic, IntrinsicName } from "../model/intrinsics";

/** What a picker can point at: the template's parameters, the other resources and their types' attributes. */
export interface Choices {
  parameters: readonly string[];
  resources: readonly string[];
  /** The attributes of a resource's type: undefined while its schema loads, null for a type the server does not know. */
  attributesOf: (resource: string) => readonly string[] | null | undefined;
}

export const NO_CHOICES: Choices = { parameters: [], resources: [], attributesOf: () => null };

interface Props {
  id: string;
  fn: IntrinsicName;
  current: Intrinsic | undefined;
  choices: Choices;
  readOnly: boolean;
  onPick: (i: Intrinsic) => void;
}

/** A select of names, keeping a current name that is not (or no longer) among them. */
function NameSelect(props: { id?: string; label: string; placeholder: string; value: string; names: readonly string[]; missing: string; disabled: boolean; onChange: (name: string) => void }) {
  const names = props.value && !props.names.includes(props.value) ? [props.value, ...props.names] : props.names;
  return (
    <select id={props.id} className="input input-small" aria-label={props.label} value={props.value} disabled={props.disabled} onChange={(e) => e.target.value && props.onChange(e.target.value)}>
      <option value="">{props.placeholder}</option>
      {names.map((n) => (
        <option key={n} value={n}>
          {props.names.includes(n) ? n : `${n} (${props.missing})`}
        </option>
      ))}
    </select>
  );
}

/** get_param, get_resource or get_attr as selects of what the template holds. */
export function IntrinsicPicker({ id, fn, current, choices, readOnly, onPick }: Props) {
  const [resource, setResource] = useState(current && current.fn !== "get_param" ? current.resource : "");
  const [attribute, setAttribute] = useState(current?.fn === "get_attr" ? current.attribute : "");

  if (fn === "get_param") {
    if (!choices.parameters.length && current?.fn !== "get_param") return <p className="field-hint picker-empty">The template has no parameters yet: add one in the Parameters tab.</p>;
    return <NameSelect id={id} label="Parameter" placeholder="choose a parameter…" value={current?.fn === "get_param" ? current.parameter : ""} names={choices.parameters} missing="not in the template" disabled={readOnly} onChange={(parameter) => onPick({ fn, parameter })} />;
  }
  if (fn === "get_resource") {
    return <NameSelect id={id} label="Resource" placeholder="choose a resource…" value={resource} names={choices.resources} missing="not in the template" disabled={readOnly} onChange={(r) => (setResource(r), onPick({ fn, resource: r }))} />;
  }

  const attributes = resource ? choices.attributesOf(resource) : [];
  const pickAttribute = (a: string) => {
    setAttribute(a);
    if (resource && a) onPick({ fn, resource, attribute: a });
  };
  return (
    <div className="picker-pair">
      <NameSelect
        id={id}
        label="Resource"
        placeholder="resource…"
        value={resource}
        names={choices.resources}
        missing="not in the template"
        disabled={readOnly}
        onChange={(r) => {
          setResource(r);
          const known = choices.attributesOf(r);
          if (attribute && (known === null || known?.includes(attribute))) onPick({ fn, resource: r, attribute });
          else setAttribute("");
        }}
      />
      {attributes === null ? (
        <input
          className="input input-small"
          aria-label="Attribute"
          placeholder="attribute"
          value={attribute}
          disabled={readOnly}
          spellCheck={false}
          onChange={(e) => setAttribute(e.target.value)}
          onBlur={() => attribute.trim() && pickAttribute(attribute.trim())}
          onKeyDown={(e) => e.key === "Enter" && attribute.trim() && pickAttribute(attribute.trim())}
        />
      ) : (
        <NameSelect label="Attribute" placeholder={attributes === undefined ? "loading…" : "attribute…"} value={attribute} names={attributes ?? []} missing="not an attribute of its type" disabled={readOnly || !resource || attributes === undefined} onChange={pickAttribute} />
      )}
    </div>
  );
}
