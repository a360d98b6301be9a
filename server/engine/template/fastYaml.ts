/**
 * A fast loader for well-formed templates. The `yaml` package keeps positions and comments but
 * costs ~150 ms per 100 KB; js-yaml builds plain values ten times faster. Templates are
 * loaded with js-yaml under a schema that resolves scalars exactly as our `yaml` settings do
 * (YAML 1.1 as Heat reads it: yes/no/on/off are booleans, dates stay strings, 0-prefixed
 * octal), and `yaml` runs only when positions are needed: a problem to report, or a template
 * js-yaml refuses. A test compares both loaders over the corpus.
 */
import jsYaml from "js-yaml";

const scalar = (tag: string, resolve: (s: string) => boolean, construct: (s: string) => unknown, predicate: (v: unknown) => boolean) =>
  new jsYaml.Type(tag, { kind: "scalar", resolve: (s: string | null) => s !== null && resolve(s), construct, predicate });

const nullType = scalar("tag:yaml.org,2002:null", (s) => /^(?:~|[Nn]ull|NULL)?$/.test(s), () => null, (v) => v === null);

const boolType = scalar(
  "tag:yaml.org,2002:bool",
  (s) => /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(s),
  (s) => /^(?:yes|true|on)$/i.test(s),
  (v) => typeof v === "boolean",
);

function intOf(s: string, prefix: number, radix: number): number {
  const sign = s[0] === "-" ? -1 : 1;
  const digits = s.replace(/_/g, "").replace(/^[-+]/, "").slice(prefix);
  return sign * parseInt(digits, radix);
}

/** YAML 1.1's base-60 numbers: `1:20` is 80, `1:20.5` is 80.5. */
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/;
function sexagesimal(s: string): number {
  const sign = s[0] === "-" ? -1 : 1;
  const parts = s.replace(/_/g, "").replace(/^[-+]/, "").split(":");
  return sign * parts.reduce((acc, p) => acc * 60 + parseFloat(p), 0);
}

const intType = scalar(
  "tag:yaml.org,2002:int",
  (s) =>
    /^[-+]?0b[0-1_]+$/.test(s) || /^[-+]?0[0-7_]+$/.test(s) || /^[-+]?[0-9][0-9_]*$/.test(s) || /^[-+]?0x[0-9a-fA-F_]+$/.test(s) || SEXAGESIMAL_INT.test(s),
  (s) =>
    SEXAGESIMAL_INT.test(s)
      ? sexagesimal(s)
      : /^[-+]?0b/.test(s)
        ? intOf(s, 2, 2)
        : /^[-+]?0x/.test(s)
          ? intOf(s, 2, 16)
          : /^[-+]?0[0-7_]+$/.test(s)
            ? intOf(s, 1, 8)
            : intOf(s, 0, 10),
  (v) => typeof v === "number" && Number.isInteger(v),
);

const floatType = scalar(
  "tag:yaml.org,2002:float",
  (s) =>
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s) ||
    /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/.test(s) ||
    /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/.test(s) ||
    SEXAGESIMAL_FLOAT.test(s),
  (s) => {
    if (SEXAGESIMAL_FLOAT.test(s)) return sexagesimal(s);
    if (/nan$/i.test(s)) return NaN;
    if (/inf$/i.test(s)) return s[0] === "-" ? -Infinity : Infinity;
    return parseFloat(s.replace(/_/g, ""));
  },
  (v) => typeof v === "number",
);

const schema = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType], explicit: [] });

/** Anchors and aliases take the careful path, which limits alias expansion; so do merge keys, which only it reads as YAML 1.1 does. */
const HAS_ANCHOR = /(^|[\s[{,:-])&[^\s]/m;
const HAS_MERGE_KEY = /(^|[\s{,])<<\s*:/m;

/**
 * The template's value, or undefined when only the `yaml` package should judge this text. YAML
 * 1.1 as Heat reads it; "1.2" reads scalars as the `yaml` package does by default (its core
 * schema), as the designer's Document does.
 */
export function fastLoad(text: string, version: "1.1" | "1.2" = "1.1"): { value: unknown } | undefined {
  if (HAS_ANCHOR.test(text) || HAS_MERGE_KEY.test(text)) return undefined;
  try {
    return { value: jsYaml.load(text, { schema: version === "1.1" ? schema : jsYaml.CORE_SCHEMA }) };
  } catch {
    return undefined;
  }
}
