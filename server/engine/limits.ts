/**
 * What one user's request, template or stack tree may use, so that no single one can take
 * Kiln down: the rule for the engine, the API and the CLI, in one place. Every check here is
 * iterative, so a value nested far deeper than allowed is measured without recursion and
 * refused with the path where it went over, never with "Maximum call stack size exceeded".
 */

/**
 * What one stack tree may use. Set by the operator (server/config.ts) and handed to the engine
 * with its ports; the defaults are Heat's.
 */
export interface EngineLimits {
  /**
   * Resources in a whole tree of nested stacks, counted from its root (Heat's
   * max_resources_per_stack); -1 for no limit.
   */
  maxResourcesPerStack: number;
  /** Minutes a stack operation may take when the stack sets no timeout_mins (Heat's stack_action_timeout). */
  stackTimeoutMins: number;
  /**
   * Top-level stacks one project may have (Heat's max_stacks_per_tenant); -1 for no limit.
   * Nested stacks are not counted, as in Heat: the resource limit bounds them.
   */
  maxStacksPerProject: number;
}

/** The longest a stack operation may be given, in minutes (a week): any stack's timeout_mins, an OS::Heat::Stack's timeout, the operator's default. */
export const MAX_STACK_TIMEOUT_MINS = 10080;

export const DEFAULT_LIMITS: EngineLimits = { maxResourcesPerStack: 1000, stackTimeoutMins: 60, maxStacksPerProject: 512 };

/** How big and how deep one user's input may be. */
export interface InputLimits {
  /** Largest value an intrinsic function may produce, and largest stored value (a parameter, an output, a resource's properties, attributes or data), in bytes of JSON. */
  maxValueBytes: number;
  /** Deepest nesting of lists and maps in a template, environment or parameter value. */
  maxDepth: number;
  /** Most nodes YAML aliases may expand to in one document (guards against "billion laughs"). */
  maxAliasNodes: number;
  /** Largest file in a submission's `files` (get_file contents, provider templates), and largest file the CLI reads, in bytes. */
  maxFileBytes: number;
  /** Largest API request body, in bytes (Heat: max_json_body_size). */
  maxRequestBytes: number;
}

export const defaultInputLimits: InputLimits = {
  maxValueBytes: 1024 * 1024,
  maxDepth: 100,
  maxAliasNodes: 10_000,
  maxFileBytes: 1024 * 1024,
  maxRequestBytes: 4 * 1024 * 1024,
};

let current: InputLimits = defaultInputLimits;

/** The limits in force in this process: the defaults, or what server/main.ts installed from its configuration. */
export const inputLimits = (): InputLimits => current;

/** Installs the process's limits once at start (configuration is read by server/config.ts, not here). */
export function setInputLimits(limits: Partial<InputLimits>): void {
  current = { ...defaultInputLimits, ...limits };
}

/** `2 GB`, `1.5 MB`, `300 KB`, `12 bytes`: sizes as a user reads them. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

const isContainer = (v: unknown): v is object => typeof v === "object" && v !== null;

/**
 * Sizes of lists and maps measured whole: a large parameter handed to a thousand resources is
 * measured once, not once per resource (values are not changed once built).
 */
const measured = new WeakMap<object, number>();

/**
 * Size of `value` written as JSON (close enough: strings count their characters plus quotes),
 * stopping as soon as it passes `cap`; so measuring a huge value costs no more than `cap`.
 */
export function jsonSize(value: unknown, cap = Infinity): number {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && size <= cap) {
    const v = pending.pop();
    if (typeof v === "string") size += v.length + 2;
    else if (isContainer(v)) {
      const known = measured.get(v);
      if (known !== undefined) size += known;
      else if (Array.isArray(v)) {
        size += 2 + v.length;
        if (size <= cap) for (const item of v) pending.push(item);
      } else {
        const entries = Object.entries(v);
        size += 2 + entries.length * 4;
        if (size <= cap) for (const [k, item] of entries) {
          size += k.length;
          pending.push(item);
        }
      }
    } else size += v === undefined ? 4 : String(v).length;
  }
  if (isContainer(value) && size <= cap) measured.set(value, size);
  return size;
}

/** Paths longer than this many keys are cut short in messages (the line number says where). */
const SHOWN_KEYS = 12;

/** The path (dotted, from `base`) of the first list or map nested deeper than `maxDepth`, or undefined; long paths end in "…". */
export function tooDeepAt(value: unknown, maxDepth: number, base = ""): string | undefined {
  const pending: [unknown, string, number][] = [[value, base, 0]];
  while (pending.length > 0) {
    const [v, path, depth] = pending.pop()!;
    if (!isContainer(v)) continue;
    if (depth >= maxDepth) {
      const keys = path.split(".");
      return keys.length > SHOWN_KEYS ? `${keys.slice(0, SHOWN_KEYS).join(".")}.…` : path;
    }
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    for (const [k, x] of entries) if (isContainer(x)) pending.push([x, path === "" ? k : `${path}.${k}`, depth + 1]);
  }
  return undefined;
}

export const tooDeepMessage = (maxDepth: number) => `nested more than ${maxDepth} levels deep; at most ${maxDepth} levels of lists and maps are allowed`;

/**
 * `bytes` when the exact size is known; without it, the value was measured only up to the limit.
 * A size that rounds to the limit's own figure ("1 MB; at most 1 MB") is said to be over it.
 */
export function tooLargeMessage(what: string, maxBytes: number, bytes?: number): string {
  const limit = formatBytes(maxBytes);
  const size = bytes === undefined || formatBytes(bytes) === limit ? `over ${limit}` : formatBytes(bytes);
  return `${what} is ${size}; at most ${limit} is allowed`;
}

/** Why `value` may not be kept (it is over the value limit, `what` naming it), or undefined when it fits. */
export function overValueLimit(value: unknown, what: string): string | undefined {
  const { maxValueBytes } = inputLimits();
  return jsonSize(value, maxValueBytes) > maxValueBytes ? tooLargeMessage(what, maxValueBytes) : undefined;
}

/**
 * Where flow-style brackets (`[`, `{`) in YAML or JSON text first nest deeper than `maxDepth`:
 * the character offset, or undefined. A scan of the text, run before any parser, so a
 * 10,000-deep document is refused in microseconds instead of overflowing a recursive parser.
 * Quoted strings and comments are skipped; other block-style nesting costs indentation, which
 * the template size limit bounds, and is checked on the parsed value.
 */
export function flowTooDeepAt(text: string, maxDepth: number): number | undefined {
  // Compact block sequences and keys ("- - - x", "? ? ? x") nest one level per two characters.
  const compact = new RegExp(`^[ \\t]*(?:[-?:][ \\t]+){${maxDepth + 1}}`, "m").exec(text);
  if (compact) return compact.index;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "[" || ch === "{") {
      if (++depth > maxDepth) return i;
    } else if (ch === "]" || ch === "}") {
      if (depth > 0) depth--;
    } else if (ch === '"' || (ch === "'" && (i === 0 || /[\s[{,:]/.test(text[i - 1])))) {
      // Skip a quoted string (a `'` inside a plain scalar like don't is not a quote).
      for (i++; i < text.length && text[i] !== ch; i++) if (ch === '"' && text[i] === "\\") i++;
    } else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== "\n") i++;
    }
  }
  return undefined;
}
