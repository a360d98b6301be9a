/**
 * Regular expressions users write (a resource type filter, a template's allowed_pattern) run
 * with a time limit: one that backtracks catastrophically, `^(?:[\w:]+)*x$`, would otherwise
 * hold the event loop, and with it every request and job of the process, for minutes or hours.
 */
import vm from "node:vm";

/** Far above what any sane pattern takes on a parameter or a type name. */
const LIMIT_MS = 250;

const context = vm.createContext({});
const script = new vm.Script("matches = texts.map((text) => pattern.test(text))");

export class PatternTooSlow extends Error {
  constructor(source: string) {
    super(`the pattern "${source}" takes too long to match (it backtracks too much); simplify it`);
  }
}

/** Whether each text matches; throws PatternTooSlow when the pattern runs past the limit. */
export function matchEach(pattern: RegExp, texts: string[]): boolean[] {
  Object.assign(context, { pattern, texts, matches: undefined });
  try {
    script.runInContext(context, { timeout: LIMIT_MS });
    return (context as { matches: boolean[] }).matches;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new PatternTooSlow(pattern.source);
    throw e;
  } finally {
    Object.assign(context, { pattern: undefined, texts: undefined, matches: undefined });
  }
}

export const matches = (pattern: RegExp, text: string): boolean => matchEach(pattern, [text])[0]!;
