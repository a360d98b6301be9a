"use client";
import { parse, stringify } from "yaml";
import { readIntrinsic } from "../model/intrinsics";
import type { PropertySchemaJson } from "./Inspector";
import type { Choices } from "./IntrinsicPicker";
import { ValueField } from "./ValueField";

/** A map property whose keys the type knows (TestResource's action_wait_secs): a plain map, or nothing yet. */
export const isKeyedMap = (s: PropertySchemaJson, value: unknown): boolean =>
  s.type === "map" && !!s.schema && Object.keys(s.schema).length > 0 && (value === undefined || value === null || (typeof value === "object" && !Array.isArray(value) && !readIntrinsic(value)));

interface Props {
  name: string;
  schema: PropertySchemaJson;
  value: unknown;
  /** The server's problems under this property, with their paths. */
  problems: readonly { path: string; message: string }[];
  tags: React.ReactNode;
  choices: Choices;
  readOnly: boolean;
  /** The whole map; undefined removes the property. */
  onSetValue: (v: unknown) => void;
}

/** A sub-form for a keyed map: one field per known key; keys it does not know are kept as written. */
export function MapField({ name, schema, value, problems, tags, choices, readOnly, onSetValue }: Props) {
  const map = (value ?? {}) as Record<string, unknown>;
  const withKey = (key: string, v: unknown) => {
    const next = { ...map };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onSetValue(Object.keys(next).length ? next : undefined);
  };
  return (
    <fieldset className="map-field" data-testid="property-field" data-property={name}>
      <legend className="field-label">
        {name}
        {tags}
      </legend>
      {schema.description && <span className="field-hint">{schema.description}</span>}
      {Object.entries(schema.schema!).map(([key, sub]) => (
        <ValueField
          key={`${key}\u0000${JSON.stringify(map[key])}`}
          id={`prop-${name}-${key}`}
          name={key}
          formType={sub.type}
          constraints={sub.constraints}
          defaultValue={sub.default}
          description={sub.description}
          tags={<span className="param-type">{sub.type}</span>}
          present={key in map}
          value={map[key]}
          yamlText={key in map ? stringify(map[key], { flowCollectionPadding: true }).trim() : ""}
          serverProblems={problems.filter((p) => p.path.includes(`.${name}.${key}`)).map((p) => p.message)}
          choices={choices}
          readOnly={readOnly}
          onSetValue={(v) => withKey(key, v)}
          onSetYaml={(text) => {
            try {
              withKey(key, parse(text));
              return undefined;
            } catch (e) {
              return (e as Error).message.split("\n")[0];
            }
          }}
        />
      ))}
    </fieldset>
  );
}
