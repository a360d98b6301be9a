/** `kiln template validate`: offline, with the same validation the server runs. */
import type { CommandSpec } from "../args";
import { EXIT } from "../exit";
import { printJson } from "../output";
import { readSubmission } from "../submission";
import { opt } from "../args";
import { flags, templateFlags, type CliContext } from "./context";

export const templateValidate: CommandSpec<CliContext> = {
  words: ["template", "validate"],
  summary: "Validate a template and its environments locally (no server needed)",
  positionals: [],
  options: { ...templateFlags, json: flags.json },
  async run({ io }, { values }) {
    // Loaded here: the template engine is only needed by this command.
    const { environmentIndex, formatProblem, validateTemplate } = await import("../../services/templates");
    const submitted = readSubmission(values, io.cwd);
    // Each -e file by the name it was given, not its place.
    const paths = opt.list(values, "environment");
    const named = <P extends { file: string | null }>(p: P): P => ({ ...p, file: paths[environmentIndex(p.file ?? undefined) ?? -1] ?? p.file });
    const checked = validateTemplate(submitted);
    const result = { ...checked, errors: checked.errors.map(named), warnings: checked.warnings.map(named) };
    if (values.json) {
      printJson(io, result);
      return result.valid ? EXIT.ok : EXIT.failed;
    }
    for (const e of result.errors) io.out(formatProblem(e));
    for (const w of result.warnings) io.out(`WARNING ${formatProblem(w)}`);
    // Offline: whether the cloud has these is for the server's validate (and create) to say.
    if (result.notLookedUp.length) {
      const values = result.notLookedUp.map((l) => `${l.path} '${l.value}' (${l.constraint})`);
      io.out(`Cloud lookups skipped (offline): ${values.length} value${values.length === 1 ? "" : "s"} not checked against a cloud: ${values.join(", ")}`);
    }
    const resources = result.graph.nodes.length;
    const params = result.parameters.schema.map((p) => p.name);
    if (!result.valid) {
      io.out(`Template is not valid: ${result.errors.length} error${result.errors.length === 1 ? "" : "s"}`);
      return EXIT.failed;
    }
    io.out(
      `Template is valid: ${resources} resource${resources === 1 ? "" : "s"}, ` +
        `${params.length} parameter${params.length === 1 ? "" : "s"}${params.length ? ` (${params.join(", ")})` : ""}` +
        (result.warnings.length ? `, ${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"}` : ""),
    );
    return EXIT.ok;
  },
};
