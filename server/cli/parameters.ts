/**
 * `--parameter k=v` (repeatable, or once as `k=v;k2=v2`) and `--parameter-file k=FILE` into
 * the `parameters` object. Values stay strings: the server coerces them to the declared types.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { CliFailure, EXIT, UsageError } from "./exit";

export function parseParameters(values: string[], fileValues: string[] = [], cwd = process.cwd()): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (key: string, value: string, flag: string) => {
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new UsageError(`${flag}: parameter "${key}" is given more than once`);
    out[key] = value;
  };
  for (const raw of values.flatMap(splitPairs)) {
    const [key, value] = pair(raw, "--parameter", "KEY=VALUE");
    set(key, value, "--parameter");
  }
  for (const raw of fileValues) {
    const [key, file] = pair(raw, "--parameter-file", "KEY=FILE");
    let text: string;
    try {
      text = readFileSync(path.resolve(cwd, file), "utf8");
    } catch (e) {
      throw new CliFailure(`--parameter-file ${key}: cannot read ${file}: ${(e as Error).message}`, EXIT.failed);
    }
    set(key, text, "--parameter-file");
  }
  return out;
}

/** `a=1;b=2` is two parameters when every part is a KEY=VALUE; otherwise the `;` belongs to the value. */
function splitPairs(raw: string): string[] {
  const parts = raw.split(";");
  return parts.length > 1 && parts.every((p) => /^[^=\s]+=/.test(p)) ? parts : [raw];
}

function pair(raw: string, flag: string, form: string): [string, string] {
  const eq = raw.indexOf("=");
  if (eq <= 0) throw new UsageError(`${flag} "${raw}": expected ${form}`);
  return [raw.slice(0, eq).trim(), raw.slice(eq + 1)];
}
