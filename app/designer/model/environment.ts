/**
 * The environment launched with the template: parameter_defaults and resource_registry, edited
 * as a `yaml` Document like the template, so its comments and other sections stay as written.
 */
import { isMap } from "yaml";
import { editTemplate, ensureMap, flowNode, mapContent, nodeYaml, parseForReading, setKey, yamlNode, type MapContent } from "./hotDocument";

export interface EnvironmentView {
  /** parameter_defaults, as values and as YAML. */
  defaults: MapContent;
  /** resource_registry as YAML ("" when there is none). */
  registry: string;
  syntaxError?: string;
}

export function readEnvironment(text: string): EnvironmentView {
  const { doc } = parseForReading(text);
  const registry = doc.get("resource_registry", true);
  return {
    defaults: mapContent(doc.get("parameter_defaults", true), text),
    registry: isMap(registry) ? nodeYaml(registry, text) : "",
    ...(doc.errors.length > 0 && { syntaxError: doc.errors[0].message.split("\n")[0] }),
  };
}

/** Sets a parameter's default in parameter_defaults; undefined removes it (and the section once empty). */
export function setParameterDefault(text: string, parameter: string, value: unknown): string {
  return editTemplate(text, (doc) => {
    const defaults = ensureMap(doc, "parameter_defaults");
    if (value === undefined) defaults.delete(parameter);
    else setKey(defaults, parameter, flowNode(doc, value));
    if (defaults.items.length === 0) doc.delete("parameter_defaults");
  });
}

/** Sets parameter_defaults.<parameter> from YAML text as typed; throws on invalid YAML. */
export function setParameterDefaultYaml(text: string, parameter: string, yamlText: string): string {
  const node = yamlNode(yamlText);
  return editTemplate(text, (doc) => setKey(ensureMap(doc, "parameter_defaults"), parameter, node));
}

/** Replaces resource_registry by YAML text (a map of types to types or templates); blank removes it. */
export function setRegistry(text: string, yamlText: string): string {
  const node = yamlText.trim() ? yamlNode(yamlText) : undefined;
  if (node && !isMap(node)) throw new Error("resource_registry maps resource types to other types or templates, e.g. My::Server: OS::Heat::None");
  return editTemplate(text, (doc) => {
    if (node) doc.set("resource_registry", node);
    else doc.delete("resource_registry");
  });
}
