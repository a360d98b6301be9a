import { describe, expect, it } from "vitest";
import { parseCommandLine, type CommandSpec } from "./args";
import { EXIT, UsageError } from "./exit";
import { commands } from "./commands/catalog";

const parse = (line: string) => parseCommandLine(line.split(" ").filter(Boolean), commands);

function usageError(line: string): UsageError {
  try {
    parse(line);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(EXIT.usage);
    return e as UsageError;
  }
  throw new Error(`"${line}" parsed without error`);
}

describe("command-line parsing", () => {
  it("finds a command by its words and gives its flags and positionals", () => {
    const r = parse("stack create web -t a.yaml -e one.yaml -e two.yaml --parameter a=1 --wait --url http://h:1");
    expect(r.kind).toBe("run");
    if (r.kind !== "run") return;
    expect(r.parsed.command.words).toEqual(["stack", "create"]);
    expect(r.parsed.positionals).toEqual(["web"]);
    expect(r.parsed.values).toMatchObject({ template: "a.yaml", environment: ["one.yaml", "two.yaml"], parameter: ["a=1"], wait: true, url: "http://h:1" });
  });

  it("takes three-word commands and flags before the name", () => {
    const r = parse("stack resource list --nested-depth 2 web");
    expect(r.kind === "run" && r.parsed.command.words).toEqual(["stack", "resource", "list"]);
    expect(r.kind === "run" && r.parsed.positionals).toEqual(["web"]);
  });

  it("takes flags before the command too", () => {
    const r = parse("--url http://h:1 --json stack show web");
    expect(r.kind === "run" && r.parsed.values).toMatchObject({ url: "http://h:1", json: true });
    expect(r.kind === "run" && r.parsed.positionals).toEqual(["web"]);
  });

  it("a positional written [NAME] may be left out; the others may not", () => {
    const r = parse("software deployment output show dep --all");
    expect(r.kind === "run" && r.parsed.positionals).toEqual(["dep"]);
    const both = parse("software deployment output show dep deploy_stdout");
    expect(both.kind === "run" && both.parsed.positionals).toEqual(["dep", "deploy_stdout"]);
    expect(usageError("software deployment output show").message).toBe("software deployment output show: missing DEPLOYMENT; usage: kiln software deployment output show DEPLOYMENT [OUTPUT] [--all] [--long] [--url URL] [--token TOKEN] [--project PROJECT] [--json]");
    expect(usageError("software deployment output show a b c").message).toContain('unexpected argument "c"');
  });

  it("an unknown flag is a usage error naming the flags allowed", () => {
    const e = usageError("stack create web -t a.yaml --bogus");
    expect(e.message).toContain("unknown option --bogus");
    expect(e.message).toContain("allowed: -t/--template, -e/--environment, --parameter");
    expect(e.message).toContain("--enable-rollback");
  });

  it("an unknown command lists the commands allowed at that point", () => {
    expect(usageError("stack frobnicate").message).toBe('unknown command "stack frobnicate"; allowed: create, update, preview, delete, list, show, check, cancel, event, resource, output');
    expect(usageError("nonsense").message).toContain("allowed: login, logout, template, stack, resource, software, user, password, project, role");
  });

  it("a group without its command says which commands it has", () => {
    expect(usageError("stack output").message).toBe('"stack output" needs a command: list, show');
  });

  it("a missing argument, or a missing required flag, is named with the usage", () => {
    expect(usageError("stack show").message).toMatch(/^stack show: missing NAME; usage: kiln stack show NAME/);
    expect(usageError("stack create web").message).toMatch(/^stack create: -t\/--template is required/);
    expect(usageError("stack output show web").message).toContain("missing OUTPUT");
  });

  it("an extra argument is refused", () => {
    expect(usageError("stack show a b").message).toContain('unexpected argument "b"');
  });

  it("a flag without its value is refused", () => {
    expect(usageError("stack create web -t").message).toContain("needs a value");
  });

  it("--help anywhere asks for help on what was named so far", () => {
    expect(parse("stack create --help")).toMatchObject({ kind: "help", words: ["stack", "create"] });
    expect(parse("stack --help")).toMatchObject({ kind: "help", words: ["stack"] });
    expect(parse("help stack show")).toMatchObject({ kind: "help", words: ["stack", "show"] });
  });

  it("works with any command table", () => {
    const tiny: CommandSpec<unknown>[] = [{ words: ["go"], summary: "", positionals: [], options: { fast: { type: "boolean", help: "" } }, run: async () => 0 }];
    expect(parseCommandLine(["go", "--fast"], tiny)).toMatchObject({ kind: "run", parsed: { values: { fast: true } } });
  });
});
