/** Runs one command line to an exit code; every failure becomes a message on stderr, never a stack trace. */
import { parseCommandLine } from "./args";
import { CliFailure, EXIT, UsageError } from "./exit";
import { helpText } from "./help";
import type { Io } from "./io";
import { commands } from "./commands/catalog";

export async function runKiln(argv: string[], io: Io): Promise<number> {
  try {
    if (!argv.length) {
      io.err(helpText(commands, []));
      return EXIT.usage;
    }
    const line = parseCommandLine(argv, commands);
    if (line.kind === "help") {
      io.out(helpText(commands, line.words));
      return EXIT.ok;
    }
    const ctx = { io, atExit: [] as (() => Promise<void>)[] };
    try {
      return await line.parsed.command.run(ctx, line.parsed);
    } finally {
      for (const done of ctx.atExit) await done().catch(() => {});
    }
  } catch (e) {
    if (e instanceof CliFailure) {
      io.err(`kiln: ${e.message}`);
      for (const d of e.details) io.err(`  ${d}`);
      if (e instanceof UsageError) io.err("Run kiln --help for the commands and their flags.");
      return e.exitCode;
    }
    io.err(`kiln: unexpected error: ${(e as Error)?.message ?? String(e)}`);
    return EXIT.failed;
  }
}
