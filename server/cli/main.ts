/** The `kiln` process: run the command line, exit with its code. */
import { processIo } from "./io";
import { runKiln } from "./run";

// `kiln … | head` closes stdout early: stop quietly, as other command-line tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runKiln(process.argv.slice(2), processIo());
