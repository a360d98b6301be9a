/**
 * The template's parameters, outputs and conditions sections: read as entries, edited as
 * Document edits through editTemplate, so the rest of the text stays as written.
 */
import { isMap, isSeq, YAMLMap, YAMLSeq, type Document, type Node } from "yaml";
import { editTemplate, ensureMap, flowNode, keyOf, mapContent, nodeYaml, parseForReading, setKey, toJS, yamlNode, type MapContent } from "./hotDocument";
import type { HeatConstraint } from "./constraints";

export type Section = "parameters" | "outputs" | "conditions";

export interface SectionEntry extends MapContent {
  name: string;
  /** The whole entry as a plain value, and as YAML. */
  value: unknown;
  entryYaml: string;
}

export const ENTRY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export const SECTIONS: readonly Section[] = ["parameters", "outputs", "conditions"];

/** Every entry of the three sections, from one parse. */
export function readSections(text: string): Record<Section, SectionEntry[]> {
  const { doc } = parseForReading(text);
  const read = (section: Section): SectionEntry[] => {
    const map = doc.get(section, true);
    if (!isMap(map)) return [];
    return map.items.map((pair) => {
      const node = pair.value as Node | null;
      return { name: keyOf(pair), value: toJS(node), entryYaml: node ? nodeYaml(node, text) : "", ...mapContent(node, text) };
    });
  };
  return { parameters: read("parameters"), outputs: read("outputs"), conditions: read("conditions") };
}

function entryMap(doc: Document, section: Section, name: string): YAMLMap {
  const entry = doc.getIn([section, name], true);
  if (!isMap(entry)) throw new Error(`There is no ${section.replace(/s$/, "")} "${name}".`);
  return entry;
}

/** Adds an entry at the end of its section (the section is made when missing; `{}` becomes a block map). */
export function addEntry(text: string, section: Section, name: string, body: unknown): string {
  if (!ENTRY_NAME.test(name)) throw new Error("Use letters, digits, _ . or - (starting with a letter or _).");
  return editTemplate(text, (doc) => {
    const map = ensureMap(doc, section);
    if (map.has(name)) throw new Error(`"${name}" is already in ${section}.`);
    if (map.flow && map.items.length === 0) map.flow = false;
    const node = doc.createNode(body);
    if (node instanceof YAMLMap) for (const pair of node.items) if (pair.value instanceof YAMLMap || pair.value instanceof YAMLSeq) pair.value.flow = true;
    map.set(name, node);
  });
}

export function removeEntry(text: string, section: Section, name: string): string {
  return editTemplate(text, (doc) => {
    const map = doc.get(section, true);
    if (isMap(map)) map.delete(name);
  });
}

/** Sets one key of an entry (a parameter's default, an output's value) to a plain value; undefined removes it. */
export function setEntryField(text: string, section: Section, name: string, key: string, value: unknown): string {
  return editTemplate(text, (doc) => {
    const entry = entryMap(doc, section, name);
    if (value === undefined) entry.delete(key);
    else setKey(entry, key, flowNode(doc, value));
  });
}

/** Sets one key of an entry from YAML text as typed; throws on invalid YAML. */
export function setEntryFieldYaml(text: string, section: Section, name: string, key: string, yamlText: string): string {
  const node = yamlNode(yamlText);
  return editTemplate(text, (doc) => setKey(entryMap(doc, section, name), key, node));
}

/** Replaces a whole entry (a condition) by YAML text as typed; throws on invalid YAML. */
export function setEntryYaml(text: string, section: Section, name: string, yamlText: string): string {
  const node = yamlNode(yamlText);
  return editTemplate(text, (doc) => {
    const map = doc.get(section, true);
    if (!isMap(map) || !map.has(name)) throw new Error(`There is no "${name}" in ${section}.`);
    setKey(map, name, node);
  });
}

/**
 * Sets a parameter's constraint at index (index = count appends; undefined removes it), written
 * as `- range: { min: 1, max: 9 }` with an optional description.
 */
export function setConstraint(text: string, parameter: string, index: number, constraint: HeatConstraint | undefined): string {
  return editTemplate(text, (doc) => {
    const entry = entryMap(doc, "parameters", parameter);
    const found = entry.get("constraints", true);
    const list = isSeq(found) ? found : new YAMLSeq();
    if (constraint === undefined) list.delete(index);
    else {
      const item = new YAMLMap();
      for (const [k, v] of Object.entries(constraint)) if (v !== undefined) item.set(k, flowNode(doc, v));
      if (index < list.items.length) list.set(index, item);
      else list.add(item);
    }
    if (list.items.length === 0) entry.delete("constraints");
    else if (!isSeq(found)) entry.set("constraints", list);
    list.flow = false;
  });
}
