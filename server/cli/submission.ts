/** The template, files, environments and parameters named by `-t`, `-e`, `--parameter` and `--parameter-file`. */
import { opt, type OptionValues } from "./args";
import { gatherTemplate, type TemplateSubmission } from "./files";
import { parseParameters } from "./parameters";

export interface Submission extends TemplateSubmission {
  parameters: Record<string, string>;
}

export function readSubmission(values: OptionValues, cwd: string): Submission {
  // Parameters first: a usage mistake is reported before any file is read.
  const parameters = parseParameters(opt.list(values, "parameter"), opt.list(values, "parameter-file"), cwd);
  return { ...gatherTemplate(opt.str(values, "template")!, opt.list(values, "environment"), cwd), parameters };
}
