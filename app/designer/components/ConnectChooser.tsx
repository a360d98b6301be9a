"use client";
import { useState } from "react";
import { attributeNames, likelyProperty } from "../model/schemaChoices";
import type { NewReference } from "../model/hotDocument";
import type { TypeSchema } from "./Inspector";

interface Props {
  from: string;
  to: string;
  fromSchema: TypeSchema | null | undefined;
  toSchema: TypeSchema | null | undefined;
  onChoose: (ref: NewReference) => void;
  onCancel: () => void;
}

/** After an edge is drawn A → B: how B should depend on A. */
export function ConnectChooser({ from, to, fromSchema, toSchema, onChoose, onCancel }: Props) {
  const [kind, setKind] = useState<NewReference["kind"]>("depends_on");
  const properties = toSchema ? Object.keys(toSchema.properties).sort() : [];
  const attributes = fromSchema ? attributeNames(fromSchema) : [];
  const [property, setProperty] = useState(toSchema ? likelyProperty(toSchema) : "");
  const [attribute, setAttribute] = useState(attributes.find((a) => a !== "show") ?? attributes[0] ?? "");

  const ready = kind === "depends_on" || (property.trim() !== "" && (kind === "get_resource" || attribute.trim() !== ""));
  const choose = () => {
    if (!ready) return;
    onChoose(kind === "depends_on" ? { kind } : kind === "get_resource" ? { kind, property: property.trim() } : { kind, property: property.trim(), attribute: attribute.trim() });
  };

  const propertyControl = properties.length ? (
    <select className="input input-small" value={property} onChange={(e) => setProperty(e.target.value)} aria-label="Property of the dependent resource">
      {properties.map((p) => (
        <option key={p}>{p}</option>
      ))}
    </select>
  ) : (
    <input className="input input-small" value={property} onChange={(e) => setProperty(e.target.value)} placeholder="property" aria-label="Property of the dependent resource" />
  );

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="dialog-box"
        role="dialog"
        aria-modal="true"
        aria-label="Connect resources"
        data-testid="connect-chooser"
        onKeyDown={(e) => {
          if (e.key === "Escape") onCancel();
          if (e.key === "Enter" && (e.target as HTMLElement).tagName !== "SELECT") choose();
        }}
      >
        <h2>
          <code>{to}</code> uses <code>{from}</code>
        </h2>
        <div className="chooser-options">
          <label className="check">
            <input type="radio" name="kind" checked={kind === "depends_on"} onChange={() => setKind("depends_on")} autoFocus />
            <span>
              depends_on
              <span className="field-hint">
                {to} is created after {from}; no value is passed.
              </span>
            </span>
          </label>
          <label className="check">
            <input type="radio" name="kind" checked={kind === "get_resource"} onChange={() => setKind("get_resource")} />
            <span>
              get_resource into a property
              <span className="field-hint">The property gets {from}’s id.</span>
            </span>
          </label>
          {kind === "get_resource" && <div className="chooser-sub">{propertyControl}</div>}
          <label className="check">
            <input type="radio" name="kind" checked={kind === "get_attr"} onChange={() => setKind("get_attr")} />
            <span>
              get_attr into a property
              <span className="field-hint">The property gets one of {from}’s attributes.</span>
            </span>
          </label>
          {kind === "get_attr" && (
            <div className="chooser-sub">
              {attributes.length ? (
                <select className="input input-small" value={attribute} onChange={(e) => setAttribute(e.target.value)} aria-label="Attribute">
                  {attributes.map((a) => (
                    <option key={a} value={a} title={fromSchema?.attributes[a]?.description}>
                      {a}
                    </option>
                  ))}
                </select>
              ) : (
                <input className="input input-small" value={attribute} onChange={(e) => setAttribute(e.target.value)} placeholder="attribute" aria-label="Attribute" />
              )}
              <span className="muted small">into</span>
              {propertyControl}
            </div>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={choose} disabled={!ready}>
            Connect
          </button>
        </div>
      </div>
    </div>
  );
}
