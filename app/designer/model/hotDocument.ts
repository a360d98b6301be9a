/**
 * A HOT template as a `yaml` Document: the graph the canvas draws is read from it, and every
 * canvas edit is a Document edit re-stringified with the untouched text kept as written
 * (comments, key order, quoting, unknown keys, yaql, unregistered types).
 */
import { Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, YAMLMap, YAMLSeq, Scalar } from "yaml";
import { fastLoad } from "../../../server/engine/template/fastYaml";
import { mergeFormatting } from "./lineMerge";

export type RefKind = "depends_on" | "get_resource" | "get_attr";
export type PathKey = string | number;

/** A reference from one resource to another: an edge `from` (the dependency) → `to` (the dependent). */
export interface HotRef {
  id: string;
  from: string;
  to: string;
  kind: RefKind;
  attribute?: string;
  /** Where the reference sits: the depends_on item, or the `{get_…: …}` map. */
  path: PathKey[];
  /** Dotted, as templates.validate reports it (`resources.b.properties.value.get_attr`). */
  pathString: string;
}

export interface HotResource {
  name: string;
  type: string;
  /** 1-based line of the resource's name in the text. */
  line: number;
}

export interface HotModel {
  text: string;
  resources: HotResource[];
  refs: HotRef[];
  /** YAML syntax errors; when there are any, the canvas is read-only. */
  syntaxErrors: { line: number; column: number; message: string }[];
}

const FUNCTIONS = new Set(["get_resource", "get_attr"]);

export const keyOf = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

export function parse(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  return { doc, lineCounter };
}

/** The latest texts read (the template and its environment), newest last. */
const recentlyRead = new Map<string, ReturnType<typeof parse>>();

/** The parse of text for reading only, never to edit: the views read the same text several times. */
export function parseForReading(text: string): ReturnType<typeof parse> {
  const parsed = recentlyRead.get(text) ?? parse(text);
  recentlyRead.delete(text);
  recentlyRead.set(text, parsed);
  if (recentlyRead.size > 2) recentlyRead.delete(recentlyRead.keys().next().value!);
  return parsed;
}

export function resourcesMap(doc: Document): YAMLMap | undefined {
  const r = doc.get("resources", true);
  return isMap(r) ? r : undefined;
}

/**
 * How a walk reads a template: as the `yaml` Document's nodes (which an edit changes in place),
 * or as plain values (the fast read). One walk over either, so both find the same references.
 */
interface TemplateTree<N> {
  /** A map's entries, keys as text; undefined when `node` is not a map. */
  entries(node: N): readonly (readonly [string, N])[] | undefined;
  /** A list's items; undefined when `node` is not a list. */
  items(node: N): readonly N[] | undefined;
  /** A string's text; undefined for anything else. */
  text(node: N): string | undefined;
  /** Any scalar as text (a number, true, null); undefined for a map or a list. */
  scalar(node: N): string | undefined;
}

const NODES: TemplateTree<unknown> = {
  entries: (n) => (isMap(n) ? n.items.map((pair) => [keyOf(pair), pair.value] as const) : undefined),
  items: (n) => (isSeq(n) ? n.items : undefined),
  text: (n) => (isScalar(n) && typeof n.value === "string" ? n.value : undefined),
  scalar: (n) => (isScalar(n) ? String(n.value) : undefined),
};

const isPlainMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const VALUES: TemplateTree<unknown> = {
  entries: (v) => (isPlainMap(v) ? Object.entries(v) : undefined),
  items: (v) => (Array.isArray(v) ? v : undefined),
  text: (v) => (typeof v === "string" ? v : undefined),
  scalar: (v) => (v === null || typeof v !== "object" ? String(v) : undefined),
};

const valueAt = <N>(tree: TemplateTree<N>, node: N, key: string): N | undefined => tree.entries(node)?.find(([k]) => k === key)?.[1];

/** Every `{get_resource: X}` and `{get_attr: [X, …]}` under node: the function's map, its path, its target and the attribute named. */
function walkReferences<N>(tree: TemplateTree<N>, node: N, path: PathKey[], visit: (fn: N, path: PathKey[], kind: "get_resource" | "get_attr", target: N, name: string, attribute?: string) => void) {
  const entries = tree.entries(node);
  if (!entries) {
    tree.items(node)?.forEach((item, i) => walkReferences(tree, item, [...path, i], visit));
    return;
  }
  if (entries.length === 1 && FUNCTIONS.has(entries[0]![0])) {
    const [key, arg] = entries[0]!;
    const kind = key as "get_resource" | "get_attr";
    const args = kind === "get_attr" ? tree.items(arg) : undefined;
    const target = kind === "get_resource" ? arg : args?.[0];
    const name = target === undefined ? undefined : tree.text(target);
    const attribute = args && args.length > 1 ? tree.scalar(args[1]!) : undefined;
    if (name !== undefined) visit(node, path, kind, target!, name, attribute);
  }
  for (const [key, value] of entries) walkReferences(tree, value, [...path, key], visit);
}

/** Every `{get_resource: X}` and `{get_attr: [X, …]}` under a Document's node, with its path. */
export function findFunctions(node: unknown, path: PathKey[], visit: (fn: YAMLMap, path: PathKey[], kind: "get_resource" | "get_attr", target: Scalar) => void) {
  walkReferences(NODES, node, path, (fn, at, kind, target) => visit(fn as YAMLMap, at, kind, target as Scalar));
}

/** A resource's depends_on entries that name a resource: one name, or a list of them. */
function dependsOnTargets<N>(tree: TemplateTree<N>, resource: N, name: string): { target: N; name: string; path: PathKey[] }[] {
  const node = valueAt(tree, resource, "depends_on");
  const base: PathKey[] = ["resources", name, "depends_on"];
  if (node === undefined) return [];
  const one = tree.text(node);
  if (one !== undefined) return [{ target: node, name: one, path: base }];
  return (tree.items(node) ?? []).flatMap((item, i) => {
    const target = tree.text(item);
    return target !== undefined ? [{ target: item, name: target, path: [...base, i] }] : [];
  });
}

export function dependsOnItems(resource: YAMLMap, name: string): { target: Scalar; path: PathKey[] }[] {
  return dependsOnTargets(NODES, resource, name).map((d) => ({ target: d.target as Scalar, path: d.path }));
}

/** The resources (name and body, in the text's order) and what each one's body references. */
function readResources<N>(tree: TemplateTree<N>, resources: readonly (readonly [string, N])[], lineOf: (index: number) => number): Pick<HotModel, "resources" | "refs"> {
  const out: HotResource[] = [];
  const refs: HotRef[] = [];
  const names = new Set(resources.map(([name]) => name));
  resources.forEach(([name, body], index) => {
    const type = valueAt(tree, body, "type");
    out.push({ name, type: (type !== undefined && tree.text(type)) || "", line: lineOf(index) });
    const entries = tree.entries(body);
    if (!entries) return;
    const add = (ref: Omit<HotRef, "id" | "pathString">) => {
      if (!names.has(ref.from)) return;
      const pathString = ref.path.join(".");
      refs.push({ ...ref, id: `${ref.from}→${ref.to}@${pathString}`, pathString });
    };
    for (const d of dependsOnTargets(tree, body, name)) add({ from: d.name, to: name, kind: "depends_on", path: d.path });
    for (const [key, value] of entries) {
      if (key === "depends_on" || key === "type") continue;
      walkReferences(tree, value, ["resources", name, key], (_fn, path, kind, _target, target, attribute) => {
        add({ from: target, to: name, kind, path: [...path, kind], ...(attribute !== undefined && { attribute }) });
      });
    }
  });
  return { resources: out, refs };
}

/**
 * The graph the canvas draws, read from the text. Read fast first (js-yaml, several times
 * faster than the `yaml` Document: a 500-resource template's Document was a third of the
 * designer's first paint): a text it reads, whose resources' lines a scan of the text finds,
 * needs no Document. Anything else (anchors, flow-style resources, a %YAML directive) is read
 * from the Document, which knows every position and error. js-yaml takes some text the Document
 * refuses, and reads a few rare scalars otherwise (`0b11`, `+.5`): what is shown only until the
 * Document has been read (`readCarefully`, which edits and syntax checks use) may read so.
 */
export function readTemplate(text: string): HotModel {
  return readFast(text) ?? readCarefully(text);
}

/** Whether two reads of a text agree: the same resources, lines, references and syntax errors. */
export function sameGraph(a: HotModel, b: HotModel): boolean {
  return a.text === b.text && JSON.stringify([a.resources, a.refs, a.syntaxErrors]) === JSON.stringify([b.resources, b.refs, b.syntaxErrors]);
}

/** The fast read alone (undefined where the Document must read it); exported for the test holding both reads to one answer. */
export function readFast(text: string): HotModel | undefined {
  // A %YAML 1.1 directive changes how the Document reads scalars; js-yaml would not follow.
  if (/^%YAML/m.test(text)) return undefined;
  const loaded = fastLoad(text, "1.2");
  if (!loaded || !(loaded.value === undefined || loaded.value === null || isPlainMap(loaded.value))) return undefined;
  const section = isPlainMap(loaded.value) ? loaded.value.resources : undefined;
  if (section !== undefined && section !== null && !isPlainMap(section)) return undefined;
  const resources = Object.entries(section ?? {});
  const lines = resourceLines(text, resources.map(([name]) => name));
  if (!lines) return undefined;
  return { text, ...readResources(VALUES, resources, (i) => lines[i]!), syntaxErrors: [] };
}

/** The read from the `yaml` Document. */
export function readCarefully(text: string): HotModel {
  const { doc, lineCounter } = parseForReading(text);
  const syntaxErrors = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    return { line: pos.line, column: pos.col, message: e.message.split("\n")[0] };
  });
  const pairs = resourcesMap(doc)?.items ?? [];
  const read = readResources(
    NODES,
    pairs.map((pair) => [keyOf(pair), pair.value] as const),
    (i) => lineCounter.linePos((pairs[i]!.key as Node | null)?.range?.[0] ?? 0).line,
  );
  return { text, ...read, syntaxErrors };
}

/** A quoted resource name as a key: 'single' or "double", followed by a colon. */
const QUOTED_KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)')[ \t]*:(?:\s|$)/;

/** The resource name a line (without its indentation) begins with as a key; undefined when the scan cannot tell. */
function keyOfLine(line: string): string | undefined {
  const quoted = QUOTED_KEY.exec(line);
  if (quoted) {
    try {
      return quoted[2] !== undefined ? quoted[2].replace(/''/g, "'") : (JSON.parse(`"${quoted[1]}"`) as string);
    } catch {
      return undefined;
    }
  }
  // A plain key runs to its first ": " (or a colon ending the line); found without a regex that
  // could backtrack over a long line.
  if (/^[\s#'"{}[\],&*!|>%@`?:]/.test(line) || /^-(\s|$)/.test(line)) return undefined;
  const colon = line.search(/:(?:\s|$)/);
  if (colon <= 0) return undefined;
  const name = line.slice(0, colon).trimEnd();
  return name.includes(" #") || name.includes("\t#") ? undefined : name;
}

/**
 * The 1-based line of each resource's name, found by reading the lines under a top-level
 * `resources:` line; undefined unless exactly `names` are found there, in order (a flow-style
 * map, a key the scan cannot read: the Document knows).
 */
export function resourceLines(text: string, names: readonly string[]): number[] | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => /^resources\s*:\s*(#.*)?$/.test(line));
  if (start < 0) return names.length === 0 ? [] : undefined;
  const found: number[] = [];
  let indent: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const depth = line.length - line.trimStart().length;
    if (depth === 0) break;
    indent ??= depth;
    if (depth !== indent) continue;
    const name = keyOfLine(line.slice(depth));
    if (name === undefined || name !== names[found.length]) return undefined;
    found.push(i + 1);
  }
  return found.length === names.length ? found : undefined;
}

/** Layout choices read from the text, so lines an edit rewrites look like their neighbours. */
function styleOf(text: string) {
  const padded = (text.match(/[{[] [^\s}\]]/g) ?? []).length;
  const tight = (text.match(/[{[][^\s}\]]/g) ?? []).length;
  const seqUnderKey = /^( *)[^\s#-][^\n]*:[ \t]*\n( *)- /m.exec(text);
  const indent = /^[^\s#][^\n]*:[ \t]*\n( +)[^\s-]/m.exec(text)?.[1].length;
  return {
    flowCollectionPadding: padded > tight,
    indentSeq: seqUnderKey ? seqUnderKey[2].length > seqUnderKey[1].length : true,
    indent: indent && indent <= 8 ? indent : 2,
    lineWidth: 0,
    minContentWidth: 0,
  };
}

/** Applies fn to a fresh Document of text; returns the new text (unchanged parts as written). */
export function editTemplate(text: string, fn: (doc: Document) => void): string {
  const { doc } = parse(text);
  if (doc.errors.length) throw new Error("The YAML has syntax errors; fix them before editing on the canvas.");
  const style = styleOf(text);
  const baseline = doc.toString(style);
  fn(doc);
  const edited = doc.toString(style);
  const merged = mergeFormatting(text, baseline, edited);
  // The merge only copies back text the edit left alone; if it ever changes the meaning, trust the plain rendering.
  if (merged !== edited && JSON.stringify(parseDocument(merged).toJS()) !== JSON.stringify(parseDocument(edited).toJS())) return edited;
  return merged;
}

function resourceBody(doc: Document, name: string): YAMLMap {
  const body = resourcesMap(doc)?.get(name, true);
  if (!isMap(body)) throw new Error(`There is no resource "${name}".`);
  return body;
}

/** "OS::Heat::RandomString" → "random_string", then random_string_2, … until the name is free. */
export function freeResourceName(text: string, type: string): string {
  const base =
    (type.split("::").pop() ?? "resource")
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/[^A-Za-z0-9_]+/g, "_")
      .toLowerCase() || "resource";
  return freeName(new Set(readCarefully(text).resources.map((r) => r.name)), base);
}

/** base when it is not taken, else base_2, base_3, … */
export function freeName(taken: ReadonlySet<string>, base: string): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

export type Placeholder = { name: string; type: string };

/** The comment on an empty required property addResource writes, so the user sees what to fill in. */
const placeholderComment = (type: string) => ` required ${type}`;
const isPlaceholder = (node: Node) => isScalar(node) && node.value === null && /^ required \S+$/.test(node.comment ?? "");

export function addResource(text: string, name: string, type: string, required: Placeholder[] = []): string {
  return editTemplate(text, (doc) => {
    const resources = ensureMap(doc, "resources");
    if (resources.has(name)) throw new Error(`A resource named "${name}" already exists.`);
    const body = new YAMLMap();
    body.set("type", type);
    if (required.length) {
      const props = new YAMLMap();
      for (const p of required) {
        const value = new Scalar(null);
        value.comment = placeholderComment(p.type);
        props.set(p.name, value);
      }
      body.set("properties", props);
    }
    resources.flow = false;
    resources.set(name, body);
  });
}

/** Removes the resource and every depends_on / get_resource / get_attr in other resources that points to it. */
export function removeResource(text: string, name: string): string {
  return deleteFromCanvas(text, [name], []);
}

/**
 * What the Delete key does on the canvas, as one edit: the chosen references go, then the
 * chosen resources with every reference other resources make to them.
 */
export function deleteFromCanvas(text: string, names: readonly string[], refs: readonly HotRef[]): string {
  const gone = new Set(names);
  // As the Document reads them, since the edit is made on it.
  const all = readCarefully(text).refs;
  const ids = new Set(refs.map((r) => r.id));
  const removed = all.filter((r) => !gone.has(r.to) && (ids.has(r.id) || gone.has(r.from)));
  return editTemplate(text, (doc) => {
    for (const ref of sortForRemoval(removed)) removeRefIn(doc, ref);
    for (const name of gone) resourcesMap(doc)?.delete(name);
  });
}

export const RESOURCE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Renames the resource and every reference to it anywhere (resources, outputs, conditions). */
export function renameResource(text: string, from: string, to: string): string {
  if (from === to) return text;
  if (!RESOURCE_NAME.test(to)) throw new Error("Use letters, digits, _ . or - (not starting with . or -).");
  const { doc } = parse(text);
  if (doc.errors.length) throw new Error("The YAML has syntax errors; fix them before editing on the canvas.");
  const resources = resourcesMap(doc);
  const pair = resources?.items.find((p) => keyOf(p) === from);
  if (!resources || !pair) throw new Error(`There is no resource "${from}".`);
  if (resources.has(to)) throw new Error(`A resource named "${to}" already exists.`);
  const scalars: Scalar[] = [];
  if (isScalar(pair.key)) scalars.push(pair.key);
  for (const p of resources.items) {
    if (isMap(p.value)) for (const d of dependsOnItems(p.value, keyOf(p))) if (d.target.value === from) scalars.push(d.target);
  }
  findFunctions(doc.contents, [], (_fn, _path, _kind, target) => {
    if (target.value === from) scalars.push(target);
  });
  // Only the names change: each is replaced in the text itself, in its own quoting.
  const spliced = spliceScalars(text, scalars, to);
  if (spliced !== undefined) return spliced;
  return editTemplate(text, (d) => {
    const again = resourcesMap(d)!;
    const p = again.items.find((i) => keyOf(i) === from)!;
    if (isScalar(p.key)) p.key.value = to;
    for (const q of again.items) if (isMap(q.value)) for (const dep of dependsOnItems(q.value, keyOf(q))) if (dep.target.value === from) dep.target.value = to;
    findFunctions(d.contents, [], (_fn, _path, _kind, target) => {
      if (target.value === from) target.value = to;
    });
  });
}

/** Replaces each scalar's source text by value in the same quoting; undefined when one cannot be. */
export function spliceScalars(text: string, scalars: Scalar[], value: string): string | undefined {
  const plainIsString = typeof parseDocument(value).toJS() === "string";
  const edits: { start: number; end: number; text: string }[] = [];
  for (const s of scalars) {
    if (!s.range) return undefined;
    const [start, end] = s.range;
    let rendered: string;
    if (s.type === "PLAIN" && plainIsString) rendered = value;
    else if (s.type === "QUOTE_DOUBLE" || (s.type === "PLAIN" && !plainIsString)) rendered = JSON.stringify(value);
    else if (s.type === "QUOTE_SINGLE") rendered = `'${value.replace(/'/g, "''")}'`;
    else return undefined;
    edits.push({ start, end, text: rendered });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Deleting later list items first keeps the earlier paths valid. */
function sortForRemoval(refs: HotRef[]): HotRef[] {
  const compare = (a: PathKey[], b: PathKey[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] === b[i]) continue;
      if (typeof a[i] === "number" && typeof b[i] === "number") return (b[i] as number) - (a[i] as number);
      return String(b[i]).localeCompare(String(a[i]));
    }
    return b.length - a.length;
  };
  return [...refs].sort((a, b) => compare(a.path, b.path));
}

function removeRefIn(doc: Document, ref: HotRef) {
  if (ref.kind === "depends_on") {
    const body = resourceBody(doc, ref.to);
    const node = body.get("depends_on", true);
    if (isSeq(node) && typeof ref.path[3] === "number") {
      node.delete(ref.path[3]);
      if (node.items.length === 0) body.delete("depends_on");
    } else body.delete("depends_on");
    return;
  }
  // The function map sits at path minus its last key; it goes from its parent (property, map key or list item).
  const fnPath = ref.path.slice(0, -1);
  const parentPath = fnPath.slice(0, -1);
  const key = fnPath[fnPath.length - 1];
  const parent = doc.getIn(parentPath, true);
  if (isSeq(parent) && typeof key === "number") parent.delete(key);
  else if (isMap(parent)) parent.delete(key);
}

export function removeReference(text: string, ref: HotRef): string {
  return deleteFromCanvas(text, [], [ref]);
}

export type NewReference = { kind: "depends_on" } | { kind: "get_resource"; property: string } | { kind: "get_attr"; property: string; attribute: string };

export function flowNode(doc: Document, value: unknown): Node {
  const node = doc.createNode(value, { flow: true });
  return node;
}

/** Makes `to` depend on `from`: a depends_on entry, or a property set to get_resource / get_attr of `from`. */
export function addReference(text: string, from: string, to: string, ref: NewReference): string {
  if (from === to) throw new Error("A resource cannot depend on itself.");
  return editTemplate(text, (doc) => {
    const body = resourceBody(doc, to);
    resourceBody(doc, from);
    if (ref.kind === "depends_on") {
      const existing = body.get("depends_on", true);
      if (isSeq(existing)) {
        if (!existing.items.some((i) => isScalar(i) && i.value === from)) existing.add(doc.createNode(from));
      } else if (isScalar(existing)) {
        if (existing.value !== from) {
          const seq = new YAMLSeq();
          seq.flow = true;
          seq.add(existing);
          seq.add(doc.createNode(from));
          body.set("depends_on", seq);
        }
      } else body.set("depends_on", flowNode(doc, [from]));
      return;
    }
    const value = ref.kind === "get_resource" ? { get_resource: from } : { get_attr: [from, ref.attribute] };
    setIn(body, ref.property, flowNode(doc, value));
  });
}

/** The map under key in parent, made (as a block map) when there is none. */
export function ensureMap(parent: YAMLMap | Document, key: string): YAMLMap {
  const found: unknown = parent.get(key, true);
  if (isMap(found)) return found;
  const map = new YAMLMap();
  parent.set(key, map);
  return map;
}

/** Sets key in map to node; a scalar keeps its node (quoting, comments) when a scalar replaces it. */
export function setKey(map: YAMLMap, key: string, node: Node) {
  const existing = map.get(key, true);
  // The line's comment stays with the line, unless it is addResource's placeholder, which a value makes stale.
  const keep = isNode(existing) && existing.comment && !(isPlaceholder(existing) && !(isScalar(node) && node.value === null)) ? existing.comment : undefined;
  if (isScalar(existing) && isScalar(node)) {
    existing.value = node.value;
    existing.comment = keep;
    return;
  }
  if (keep && isNode(node) && !node.comment) node.comment = keep;
  if (map.flow && map.items.length === 0) map.flow = false;
  map.set(key, node);
}

function setIn(body: YAMLMap, property: string, node: Node) {
  setKey(ensureMap(body, "properties"), property, node);
}

/** The node YAML text stands for; throws on invalid YAML. */
export function yamlNode(yamlText: string): Node {
  const parsed = parseDocument(yamlText);
  if (parsed.errors.length) throw new Error(parsed.errors[0].message.split("\n")[0]);
  return (parsed.contents ?? new Scalar(null)) as Node;
}

/** Sets a property to a plain value (undefined removes it). */
export function setProperty(text: string, resource: string, property: string, value: unknown): string {
  return editTemplate(text, (doc) => {
    const body = resourceBody(doc, resource);
    if (value === undefined) {
      const props = body.get("properties", true);
      if (isMap(props)) props.delete(property);
      return;
    }
    setIn(body, property, flowNode(doc, value));
  });
}

/** Sets a property from YAML text as typed (intrinsic functions, lists, maps); throws on invalid YAML. */
export function setPropertyYaml(text: string, resource: string, property: string, yamlText: string): string {
  const node = yamlNode(yamlText);
  return editTemplate(text, (doc) => setIn(resourceBody(doc, resource), property, node));
}

/** A resource's properties as plain values, and each one's YAML as written. */
export function resourceProperties(text: string, name: string): ({ type: string } & MapContent) | undefined {
  const { doc } = parseForReading(text);
  const body = resourcesMap(doc)?.get(name, true);
  if (!isMap(body)) return undefined;
  const type = body.get("type");
  return { type: typeof type === "string" ? type : "", ...mapContent(body.get("properties", true), text) };
}

export type MapContent = { values: Record<string, unknown>; yaml: Record<string, string> };

/** A map's entries (of text's Document) as plain values, and each one's YAML as written (nothing for a node that is not a map). */
export function mapContent(node: unknown, text: string): MapContent {
  const values: Record<string, unknown> = {};
  const yaml: Record<string, string> = {};
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyOf(pair);
      const v = pair.value as Node | null;
      values[key] = toJS(v);
      yaml[key] = v ? nodeYaml(v, text) : "";
    }
  }
  return { values, yaml };
}

export const toJS = (v: Node | null): unknown => (v && typeof (v as { toJSON?: unknown }).toJSON === "function" ? v.toJSON() : v);

/** A node's YAML: as written when it sits on one line of text, else as `yaml` prints it. */
export function nodeYaml(node: Node, text: string): string {
  const written = node.range && text.slice(node.range[0], node.range[1]).trim();
  return written && !written.includes("\n") ? written : stringifyNode(node);
}

function stringifyNode(node: Node): string {
  const wrapper = new Document();
  wrapper.contents = node;
  return wrapper.toString({ lineWidth: 0 }).replace(/\n$/, "");
}

