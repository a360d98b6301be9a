import { z } from "zod";

/** What the CLI and the UI send for a template: the text, the files it refers to, environments, parameters. */
export const templateInput = z.object({
  template: z.string().min(1, "the template is empty").max(1024 * 1024, "the template is over 1 MB"),
  files: z.record(z.string(), z.string()).default({}),
  environment: z.array(z.string()).default([]),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

export const stackRef = z.object({ stack: z.string().min(1, "name or id of the stack") });
