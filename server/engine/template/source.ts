import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type ScalarTag, type Tags } from "yaml";
import { error, type Diagnostic } from "../diagnostics";
import { flowTooDeepAt, inputLimits, tooDeepAt, tooDeepMessage } from "../limits";
import { fastLoad } from "./fastYaml";
import { indexPositions, type PositionIndex } from "./positions";

export interface SourceLimits {
  /** Largest accepted template or environment file, in bytes (Heat: max_template_size). */
  maxTemplateBytes: number;
  /** Deepest nesting of stacks; checked by the nested-stack code, exposed here so all limits live together. */
  maxNestingDepth: number;
}

export const defaultLimits: SourceLimits = { maxTemplateBytes: 512 * 1024, maxNestingDepth: 5 };

export interface ParsedSource {
  value: unknown;
  positions: PositionIndex;
  diagnostics: Diagnostic[];
}

// Heat reads YAML 1.1 with PyYAML: `yes`/`on`/`off` are booleans (but not `y`/`n`), and dates
// stay strings, so `heat_template_version: 2016-10-14` is the string Heat compares against.
const pyyamlBool: ScalarTag = {
  identify: (v) => typeof v === "boolean",
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (s) => /^(?:yes|true|on)$/i.test(s),
};
const heatTags = (tags: Tags): Tags => [
  pyyamlBool,
  ...tags.filter((t) => typeof t === "string" || (t.tag !== "tag:yaml.org,2002:timestamp" && t.tag !== "tag:yaml.org,2002:bool")),
];

/** Positions computed on first use: a template without problems never pays for them. */
class LazyPositions implements PositionIndex {
  private index?: PositionIndex;
  constructor(private readonly text: string) {}
  get(path: string) {
    this.index ??= carefulParse(this.text).positions;
    return this.index.get(path);
  }
}

/** Parses YAML or JSON text, checks its size, and indexes every path's position. */
export function parseSource(text: string, limits: Pick<SourceLimits, "maxTemplateBytes"> = defaultLimits): ParsedSource {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > limits.maxTemplateBytes) {
    return {
      value: undefined,
      positions: new Map(),
      diagnostics: [error("", `Template size (${bytes} bytes) exceeds the maximum allowed size (${limits.maxTemplateBytes} bytes).`)],
    };
  }
  const { maxDepth } = inputLimits();
  const deepAt = flowTooDeepAt(text, maxDepth);
  if (deepAt !== undefined) {
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let nl = text.indexOf("\n"); nl >= 0 && nl < deepAt; nl = text.indexOf("\n", nl + 1)) lines.addNewLine(nl + 1);
    const p = lines.linePos(deepAt);
    return { value: undefined, positions: new Map(), diagnostics: [{ ...error("", tooDeepMessage(maxDepth)), line: p.line, column: p.col }] };
  }
  const fast = fastLoad(text);
  const parsed = fast ? { value: fast.value, positions: new LazyPositions(text), diagnostics: [] } : carefulParse(text);
  const deepPath = parsed.diagnostics.length === 0 ? tooDeepAt(parsed.value, maxDepth) : undefined;
  if (deepPath !== undefined) return { value: undefined, positions: parsed.positions, diagnostics: [error(deepPath, tooDeepMessage(maxDepth))] };
  return parsed;
}

/** What went wrong turning a parsed YAML document into values, as a user can act on it. */
function conversionProblem(e: unknown, maxAliasNodes: number): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/alias count/i.test(message)) return `YAML aliases expand to more than ${maxAliasNodes} nodes; a template may not multiply its content through aliases (anchors "&" and aliases "*")`;
  if (/Merge sources/i.test(message)) return `a YAML merge key "<<" must be given a map or a list of maps`;
  if (e instanceof RangeError) return "the document is nested too deeply to read";
  return `the YAML document cannot be read: ${message}`;
}

/** Where the first merge key "<<" whose value is not a map (nor an alias of one, nor a list of those) sits. */
function badMergeKeyOffset(root: Node | null | undefined, doc: Document): number | undefined {
  let found: number | undefined;
  const isMapLike = (n: unknown): boolean => isMap(n) || (isAlias(n) && isMap(n.resolve(doc)));
  visit(root ?? null, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.source !== "<<") return;
      const v = pair.value;
      if (isMapLike(v) || (isSeq(v) && v.items.every(isMapLike))) return;
      found = pair.key.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}

/** Where each key that repeats an earlier key of the same map starts (scalar keys, as YAML 1.1 compares them). */
function duplicateKeys(root: Node | null | undefined): number[] {
  const found: number[] = [];
  visit(root ?? null, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (seen.has(key) && pair.key.range) found.push(pair.key.range[0]);
        seen.add(key);
      }
    },
  });
  return found;
}

/** The `yaml` package: positions for every path, and positioned errors for text that does not load. */
export function carefulParse(text: string): ParsedSource {
  try {
    return parseWithPositions(text);
  } catch (e) {
    // Block-style nesting ("- - - - …") deep enough to exhaust the parser's own recursion.
    if (!(e instanceof RangeError)) throw e;
    return { value: undefined, positions: new Map(), diagnostics: [error("", tooDeepMessage(inputLimits().maxDepth))] };
  }
}

function parseWithPositions(text: string): ParsedSource {
  const lines = new LineCounter();
  // uniqueKeys off: the package compares each key with every earlier one of its map, so an
  // environment of 40,000 parameters took 28 s; duplicateKeys finds the same in one pass.
  const doc = parseDocument(text, { version: "1.1", customTags: heatTags, lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const diagnostics: Diagnostic[] = [...doc.errors, ...doc.warnings].map((e) => {
    const p = lines.linePos(e.pos[0]);
    // The parser reports its own stack overflow as a problem; say what it means instead.
    const message = /Maximum call stack/i.test(e.message) ? tooDeepMessage(inputLimits().maxDepth) : e.message;
    return { severity: doc.errors.includes(e as never) ? "error" : "warning", path: "", line: p.line, column: p.col, message };
  });
  for (const offset of duplicateKeys(doc.contents)) {
    const p = lines.linePos(offset);
    diagnostics.push({ ...error("", "Map keys must be unique"), line: p.line, column: p.col });
  }
  const positions = indexPositions(doc.contents, lines);
  if (diagnostics.some((d) => d.severity === "error")) return { value: undefined, positions, diagnostics };
  const { maxAliasNodes } = inputLimits();
  try {
    return { value: doc.toJS({ maxAliasCount: maxAliasNodes }), positions, diagnostics };
  } catch (e) {
    const at = /Merge sources/i.test(String(e)) ? badMergeKeyOffset(doc.contents, doc) : undefined;
    const p = at === undefined ? undefined : lines.linePos(at);
    return { value: undefined, positions, diagnostics: [...diagnostics, { ...error("", conversionProblem(e, maxAliasNodes)), ...(p ? { line: p.line, column: p.col } : {}) }] };
  }
}
