/**
 * Command-line parsing: finds the command named by the leading words, then parses its flags
 * with node:util parseArgs. Every mistake is a UsageError that says what is allowed.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./exit";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
  help: string;
  /** The command cannot run without it. */
  required?: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandSpec<Ctx = unknown> {
  /** The words naming the command, e.g. ["stack", "create"]. */
  words: string[];
  summary: string;
  /** Positional argument names, e.g. ["NAME"]; required unless written "[NAME]" (then last). */
  positionals: string[];
  options: Record<string, OptionSpec>;
  run(ctx: Ctx, args: ParsedCommand<Ctx>): Promise<number>;
}

export interface ParsedCommand<Ctx = unknown> {
  command: CommandSpec<Ctx>;
  values: OptionValues;
  positionals: string[];
}

export type ParseResult<Ctx> =
  | { kind: "run"; parsed: ParsedCommand<Ctx> }
  /** `--help` or `help`: `words` says how much of the command was named. */
  | { kind: "help"; words: string[]; command?: CommandSpec<Ctx> };

const HELP: Record<string, OptionSpec> = { help: { type: "boolean", short: "h", help: "Show help for the command and exit" } };

export function parseCommandLine<Ctx>(argv: string[], commands: CommandSpec<Ctx>[]): ParseResult<Ctx> {
  const wantsHelp = argv.includes("--help") || argv.includes("-h") || argv[0] === "help";
  const tokens = argv[0] === "help" ? argv.slice(1) : argv;
  const words: string[] = [];
  // Flags may come before the command (`kiln --url U stack list`): set them aside, with their values.
  const leading: string[] = [];
  let rest = tokens;
  const takesValue = (flag: string) =>
    commands.some((c) => Object.entries(c.options).some(([k, o]) => o.type === "string" && (flag === `--${k}` || flag === `-${o.short}`)));
  while (rest.length && rest[0].startsWith("-")) {
    const n = takesValue(rest[0]) ? 2 : 1;
    leading.push(...rest.slice(0, n));
    rest = rest.slice(n);
  }
  // Greedy: take leading words while some command's name continues with them.
  while (rest.length && !rest[0].startsWith("-")) {
    const next = [...words, rest[0]];
    if (!commands.some((c) => startsWith(c.words, next))) break;
    words.push(rest[0]);
    rest = rest.slice(1);
    if (commands.some((c) => c.words.length === words.length && startsWith(c.words, words))) break;
  }
  const command = commands.find((c) => c.words.length === words.length && startsWith(c.words, words));
  if (wantsHelp) return { kind: "help", words, command };
  if (!command) {
    const choices = [...new Set(commands.filter((c) => startsWith(c.words, words)).map((c) => c.words[words.length]))];
    if (!rest.length || rest[0].startsWith("-")) {
      throw new UsageError(`${words.length ? `"${words.join(" ")}" needs` : "kiln needs"} a command: ${choices.join(", ")}`);
    }
    throw new UsageError(`unknown command "${[...words, rest[0]].join(" ")}"; allowed: ${choices.join(", ")}`);
  }
  return { kind: "run", parsed: parseOptions(command, [...leading, ...rest]) };
}

function parseOptions<Ctx>(command: CommandSpec<Ctx>, tokens: string[]): ParsedCommand<Ctx> {
  const options = { ...command.options, ...HELP };
  const name = command.words.join(" ");
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: tokens,
      options: Object.fromEntries(
        Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${name}: ${parseArgsMessage(e as Error & { code?: string })}; allowed: ${flagList(options)}`);
  }
  const positionals = parsed.positionals;
  const absent = Object.entries(command.options).filter(([k, o]) => o.required && parsed.values[k] === undefined);
  if (absent.length) {
    throw new UsageError(`${name}: ${absent.map(([k, o]) => flagName(k, o)).join(", ")} is required; usage: kiln ${usageLine(command)}`);
  }
  const required = command.positionals.filter((p) => !p.startsWith("["));
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length);
    throw new UsageError(`${name}: missing ${missing.join(" ")}; usage: kiln ${usageLine(command)}`);
  }
  if (positionals.length > command.positionals.length) {
    const extra = positionals.slice(command.positionals.length);
    throw new UsageError(`${name}: unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((a) => `"${a}"`).join(" ")}; usage: kiln ${usageLine(command)}`);
  }
  return { command, values: parsed.values as OptionValues, positionals };
}

/** parseArgs's messages carry advice about `--` that does not apply here; keep their first sentence. */
function parseArgsMessage(e: Error & { code?: string }): string {
  const unknown = /Unknown option '([^']+)'/.exec(e.message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missingValue = /Option '([^']+)' argument missing/.exec(e.message);
  if (missingValue) return `${missingValue[1].replace(/^-\w, /, "")} needs a value`;
  const noValue = /Option '([^']+)' does not take an argument/.exec(e.message);
  if (noValue) return `${noValue[1].replace(/^-\w, /, "")} takes no value`;
  return e.message.split(/\.\s/)[0];
}

export const flagName = (name: string, o: OptionSpec) => `${o.short ? `-${o.short}/` : ""}--${name}`;

const flagList = (options: Record<string, OptionSpec>) =>
  Object.entries(options)
    .map(([k, o]) => flagName(k, o))
    .join(", ");

export function usageLine(c: CommandSpec<unknown>): string {
  const flags = Object.entries(c.options).map(([k, o]) => {
    const flag = `${o.short ? `-${o.short}` : `--${k}`}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return o.required ? flag : `[${flag}]${o.multiple ? "..." : ""}`;
  });
  return [...c.words, ...c.positionals, ...flags].join(" ");
}

const startsWith = (words: string[], prefix: string[]) => prefix.every((w, i) => words[i] === w);

/** Typed accessors over parseArgs values. */
export const opt = {
  str: (v: OptionValues, k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined),
  list: (v: OptionValues, k: string) => (Array.isArray(v[k]) ? (v[k] as string[]) : typeof v[k] === "string" ? [v[k] as string] : []),
  flag: (v: OptionValues, k: string) => v[k] === true,
};
