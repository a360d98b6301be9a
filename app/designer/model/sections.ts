/**
 * The template's parameters, outputs and conditions sections: read as entries, edited as
 * Document edits through editTemplate, so the rest of the text stays as written.
 */
import { isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document, type Node, type Scalar } from "yaml";
import { editTemplate, ensureMap, flowNode, keyOf, mapContent, nodeYaml, parse, parseForReading, setKey, spliceScalars, toJS, yamlNode, type MapContent } from "./hotDocument";
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

/** The name scalars of every `{get_param: name}` and `{get_param: [name, …]}` under node. */
function getParamNames(node: unknown, out: Scalar[] = []): Scalar[] {
  if (isMap(node)) {
    const only = node.items.length === 1 ? node.items[0] : undefined;
    if (only && keyOf(only) === "get_param") {
      const target = isSeq(only.value) ? only.value.items[0] : only.value;
      if (isScalar(target) && typeof target.value === "string") out.push(target);
    }
    for (const pair of node.items) getParamNames(pair.value, out);
  } else if (isSeq(node)) for (const item of node.items) getParamNames(item, out);
  return out;
}

/** Renames a parameter and every get_param of it, each name replaced in its own quoting. */
export function renameParameter(text: string, from: string, to: string): string {
  return renameEntry(text, "parameters", from, to, (doc) => getParamNames(doc.contents));
}

/**
 * The name scalars that refer to conditions: a resource's or output's `condition:`, the
 * arguments of `not` / `and` / `or` inside condition expressions, and the first argument of `if`.
 */
function conditionNames(doc: Document): Scalar[] {
  const out: Scalar[] = [];
  const named = (node: unknown) => {
    if (isScalar(node) && typeof node.value === "string") out.push(node);
    else expression(node);
  };
  const expression = (node: unknown) => {
    if (!isMap(node) || node.items.length !== 1) return;
    const [only] = node.items;
    const fn = keyOf(only);
    if (fn === "not") named(only.value);
    else if ((fn === "and" || fn === "or") && isSeq(only.value)) only.value.items.forEach(named);
  };
  const ifs = (node: unknown) => {
    if (isMap(node)) {
      const only = node.items.length === 1 ? node.items[0] : undefined;
      if (only && keyOf(only) === "if" && isSeq(only.value)) named(only.value.items[0]);
      for (const pair of node.items) ifs(pair.value);
    } else if (isSeq(node)) node.items.forEach(ifs);
  };
  for (const section of ["resources", "outputs"]) {
    const map = doc.get(section, true);
    if (!isMap(map)) continue;
    for (const pair of map.items) if (isMap(pair.value)) named(pair.value.get("condition", true));
    ifs(map);
  }
  const conditions = doc.get("conditions", true);
  if (isMap(conditions)) for (const pair of conditions.items) named(pair.value);
  return out;
}

/** Renames a condition and every reference to it (condition:, not / and / or, if). */
export function renameCondition(text: string, from: string, to: string): string {
  return renameEntry(text, "conditions", from, to, conditionNames);
}

/** Renames an output (nothing in the template refers to one). */
export function renameOutput(text: string, from: string, to: string): string {
  return renameEntry(text, "outputs", from, to, () => []);
}

/** Renames an entry and the name scalars readers finds for it, each replaced in its own quoting. */
function renameEntry(text: string, section: Section, from: string, to: string, readers: (doc: Document) => Scalar[]): string {
  if (from === to) return text;
  if (!ENTRY_NAME.test(to)) throw new Error("Use letters, digits, _ . or - (starting with a letter or _).");
  const { doc } = parse(text);
  if (doc.errors.length) throw new Error("The YAML has syntax errors; fix them before editing.");
  const map = doc.get(section, true);
  const pair = isMap(map) ? map.items.find((p) => keyOf(p) === from) : undefined;
  if (!isMap(map) || !pair) throw new Error(`There is no ${section.replace(/s$/, "")} "${from}".`);
  if (map.has(to)) throw new Error(`"${to}" is already in ${section}.`);
  const scalars = [...(isScalar(pair.key) ? [pair.key] : []), ...readers(doc).filter((s) => s.value === from)];
  const spliced = spliceScalars(text, scalars, to);
  if (spliced !== undefined) return spliced;
  return editTemplate(text, (d) => {
    const key = (d.get(section, true) as YAMLMap).items.find((p) => keyOf(p) === from)!.key;
    if (isScalar(key)) key.value = to;
    for (const s of readers(d)) if (s.value === from) s.value = to;
  });
}
