"use client";
import { useMemo } from "react";
import { readEnvironment, setParameterDefault, setParameterDefaultYaml, setRegistry } from "../model/environment";
import type { SectionEntry } from "../model/sections";
import { NO_CHOICES } from "./IntrinsicPicker";
import { DEFAULT_FORM } from "./ParametersPanel";
import { YamlArea, type EditFn } from "./SectionParts";
import { ValueField } from "./ValueField";

interface Props {
  /** The environment's YAML. */
  text: string;
  /** The template's parameters, each of which can get a default here. */
  parameters: readonly SectionEntry[];
  readOnly: boolean;
  onEdit: EditFn;
}

/** The environment the template is launched with: parameter_defaults per parameter, and the resource_registry. */
export function EnvironmentPanel({ text, parameters, readOnly, onEdit }: Props) {
  const env = useMemo(() => readEnvironment(text), [text]);
  const known = new Map(parameters.map((p) => [p.name, p]));
  const names = [...known.keys(), ...Object.keys(env.defaults.values).filter((n) => !known.has(n))];
  return (
    <div className="section-panel" data-testid="environment-panel">
      <p className="field-hint env-intro">Launched with the template: parameter_defaults replace the template’s defaults, resource_registry maps resource types to other types.</p>
      {env.syntaxError && <p className="field-error">The environment does not parse: {env.syntaxError}</p>}
      <h3 className="env-heading">parameter_defaults</h3>
      {names.length === 0 && <p className="muted small">The template has no parameters.</p>}
      {names.map((name) => {
        const type = known.get(name)?.values.type;
        return (
          <ValueField
            key={`${name}\u0000${env.defaults.yaml[name] ?? ""}`}
            id={`env-default-${name}`}
            name={name}
            tags={<span className="param-type">{typeof type === "string" ? type : "not in the template"}</span>}
            functions={false}
            formType={typeof type === "string" ? DEFAULT_FORM[type] : undefined}
            defaultValue={known.get(name)?.values.default}
            present={name in env.defaults.values}
            value={env.defaults.values[name]}
            yamlText={env.defaults.yaml[name] ?? ""}
            serverProblems={[]}
            choices={NO_CHOICES}
            readOnly={readOnly}
            onSetValue={(v) => onEdit((t) => setParameterDefault(t, name, v))}
            onSetYaml={(y) => onEdit((t) => setParameterDefaultYaml(t, name, y))}
          />
        );
      })}
      <h3 className="env-heading">resource_registry</h3>
      <YamlArea key={env.registry} label="resource_registry" value={env.registry} placeholder={"My::Server: OS::Heat::None"} readOnly={readOnly} onCommit={(y) => onEdit((t) => setRegistry(t, y))} />
    </div>
  );
}
