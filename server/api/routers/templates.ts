import { z } from "zod";
import { validateTemplateInCloud } from "../../services/templates";
import { templateInput } from "../inputs";
import { readerProcedure, router } from "../trpc";

export const templatesRouter = router({
  /** Validation is a read: a mutation only so large templates travel in a POST body. */
  /**
   * Asks the project's cloud about the flavors, images, networks… the template names, unless
   * `cloudLookups: false` (a page that only wants the graph).
   */
  validate: readerProcedure
    .meta({ access: "reader", changesNothing: true })
    .input(templateInput.extend({ cloudLookups: z.boolean().default(true) }))
    .mutation(async ({ input, ctx }) => validateTemplateInCloud(input, ctx.rt.limits, input.cloudLookups ? await ctx.rt.clouds?.forProject(ctx.projectId) : undefined)),
});
