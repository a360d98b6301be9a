import { z } from "zod";
import { inputLimits, tooDeepAt, tooDeepMessage, tooLargeMessage } from "../engine/limits";

/** Parameter values nested past the depth limit are refused here, before anything walks them. */
const parameterValues = z.record(z.string(), z.unknown()).superRefine((values, ctx) => {
  const { maxDepth } = inputLimits();
  const at = tooDeepAt(values, maxDepth);
  if (at !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: at.split("."), message: tooDeepMessage(maxDepth) });
});

/** Each file the template refers to: within the same size the CLI reads. */
const files = z.record(z.string(), z.string()).superRefine((record, ctx) => {
  const { maxFileBytes } = inputLimits();
  for (const [name, text] of Object.entries(record)) {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > maxFileBytes) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: tooLargeMessage("the file", maxFileBytes, bytes) });
  }
});

/** What the CLI and the UI send for a template: the text, the files it refers to, environments, parameters. */
export const templateInput = z.object({
  template: z.string().min(1, "the template is empty").max(1024 * 1024, "the template is over 1 MB"),
  files: files.default({}),
  environment: z.array(z.string()).default([]),
  parameters: parameterValues.default({}),
});

export const stackRef = z.object({ stack: z.string().min(1, "name or id of the stack") });
