import { LineCounter, parseDocument, type ScalarTag, type Tags } from "yaml";
import { error, type Diagnostic } from "../diagnostics";
import { fastLoad } from "./fastYaml";
import { indexPositions, type PositionIndex } from "./positions";

export interface SourceLimits {
  /** Largest accepted template or environment file, in bytes (Heat: max_template_size). */
  maxTemplateBytes: number;
  /** Most resources in one stack (Heat: max_resources_per_stack). */
  maxResources: number;
  /** Deepest nesting of stacks; checked by the nested-stack code, exposed here so all limits live together. */
  maxNestingDepth: number;
}

export const defaultLimits: SourceLimits = { maxTemplateBytes: 512 * 1024, maxResources: 1000, maxNestingDepth: 5 };

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
  const fast = fastLoad(text);
  if (fast) return { value: fast.value, positions: new LazyPositions(text), diagnostics: [] };
  return carefulParse(text);
}

/** The `yaml` package: positions for every path, and positioned errors for text that does not load. */
export function carefulParse(text: string): ParsedSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: "1.1", customTags: heatTags, lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const diagnostics: Diagnostic[] = [...doc.errors, ...doc.warnings].map((e) => {
    const p = lines.linePos(e.pos[0]);
    return { severity: doc.errors.includes(e as never) ? "error" : "warning", path: "", line: p.line, column: p.col, message: e.message };
  });
  const positions = indexPositions(doc.contents, lines);
  if (doc.errors.length > 0) return { value: undefined, positions, diagnostics };
  return { value: doc.toJS({ maxAliasCount: 10000 }), positions, diagnostics };
}
